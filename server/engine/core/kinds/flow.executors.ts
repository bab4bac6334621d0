// The control-flow kinds: branch, parallel, join, end and fail. Each decides at once on entry.
import { RunFailure, runError } from '../failures.js';
import type { BranchConfig } from '../../../../shared/nodes/branch.node.js';
import type { EndConfig } from '../../../../shared/nodes/end.node.js';
import type { FailConfig } from '../../../../shared/nodes/fail.node.js';
import type { JoinConfig } from '../../../../shared/nodes/join.node.js';
import type { ParallelConfig } from '../../../../shared/nodes/parallel.node.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

export const branchExecutor: NodeExecutor<BranchConfig> = {
  async enter(run, token, node) {
    const value = await run.resolve(node, 'condition', node.config.condition);
    const result = Array.isArray(value) ? value.length > 0 : Boolean(value);
    entered(run, token, { result });
    run.takePort(token, result ? 'true' : 'false', { result });
  },
};

export const parallelExecutor: NodeExecutor<ParallelConfig> = {
  enter(run, token) {
    entered(run, token);
    run.takePort(token, 'branches', {});
  },
};

/** Fires when every incoming edge has an arrival, consuming one arrival per edge. */
export const joinExecutor: NodeExecutor<JoinConfig> = {
  enter(run, token, node) {
    const incoming = run.ctx.graph.incoming(node.id).map((edge) => edge.id);
    const arrived = [...(run.state.joins[node.id] ?? []), token.via ?? ''];
    const missing = incoming.filter((edgeId) => !arrived.includes(edgeId));
    if (missing.length > 0) {
      run.state.joins[node.id] = arrived;
      run.record({ type: 'joinArrived', nodeId: node.id, visit: token.visit, data: { edgeId: token.via, waitingFor: missing } });
      run.removeToken(token);
      return;
    }
    const remaining = [...arrived];
    for (const edgeId of incoming) remaining.splice(remaining.indexOf(edgeId), 1);
    if (remaining.length > 0) run.state.joins[node.id] = remaining;
    else delete run.state.joins[node.id];
    entered(run, token, { edges: incoming });
    run.takePort(token, 'next', {});
  },
};

export const endExecutor: NodeExecutor<EndConfig> = {
  async enter(run, token, node) {
    const output = await run.resolve(node, 'output', node.config.output);
    entered(run, token);
    if (output !== undefined) {
      run.setOutput(node.id, output);
      run.state.output = output;
    }
    run.record({ type: 'nodeCompleted', nodeId: node.id, visit: token.visit, data: { output: output ?? null } });
    run.removeToken(token);
  },
};

export const failExecutor: NodeExecutor<FailConfig> = {
  async enter(run, token, node) {
    const message = String(await run.resolve(node, 'message', node.config.message));
    entered(run, token, { message });
    throw new RunFailure(runError('FAILED_BY_NODE', message, node.id));
  },
};
