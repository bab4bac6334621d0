// "Run to here" in the editor: the draft runs as a test run on the scenario runner's sandbox (a
// throw-away database, the virtual clock) from the start until node X has run. X's outgoing edges
// lead to a stand-in end, so nothing after X runs. On the way, timers fire at once, approvals are
// approved and awaited signals sent with {} (each noted), and actions run for real unless stubbed.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { DEFAULT_START } from '../../shared/scenarios/scenario.schema.js';
import type { EgressPolicy } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import { EngineError } from '../engine/errors.js';
import type { HistoryRecord } from '../engine/store.js';
import { ScenarioDoubles } from './doubles.js';
import { describeRun } from './run-view.js';
import { openSandbox, SandboxFolder, type Sandbox } from './sandbox.js';
import { VirtualClock } from './virtual-clock.js';

export const STOP_NODE = '__run_to_here';
/** Waits the trial gets past by itself before it gives up (a loop of approvals would never end). */
const MAX_MOVES = 200;
const TRIAL_TIMEOUT_MS = 30_000;

export interface TrialRequest {
  graph: Graph;
  slug: string;
  untilNode: string;
  input: unknown;
  /** Every step answers this instead of running its action (absent: actions run for real). */
  stubResult?: { value: unknown };
}

export interface NodeRun {
  /** What the node was given: the values it resolved on entry (a step's action and input…). */
  input: unknown;
  output?: unknown;
  port?: string;
  state: 'done' | 'waiting' | 'failed';
}

export interface TrialResult {
  reached: boolean;
  status: string;
  path: string[];
  nodes: Record<string, NodeRun>;
  notes: string[];
  error: string | null;
}

/** The graph with X's outgoing edges led to a stand-in end: the run stops once X has run. */
export function cutAfter(graph: Graph, nodeId: string): Graph {
  const x = graph.nodes.find((node) => node.id === nodeId)!;
  const stop = { id: STOP_NODE, kind: 'end', label: 'Run to here', position: { x: x.position.x + 200, y: x.position.y }, config: {} };
  return { ...graph, nodes: [...graph.nodes, stop] as Graph['nodes'], edges: graph.edges.map((edge) => (edge.source === nodeId ? { ...edge, target: STOP_NODE } : edge)) };
}

function nodeRuns(history: readonly HistoryRecord[]): Pick<TrialResult, 'path' | 'nodes'> {
  const path: string[] = [];
  const nodes: Record<string, NodeRun> = {};
  for (const event of history) {
    const id = event.nodeId;
    if (!id || id === STOP_NODE) continue;
    const data = event.data as Record<string, unknown> | undefined;
    if (event.type === 'nodeEntered') {
      path.push(id);
      nodes[id] = { input: data ?? null, state: 'waiting' };
    } else if (event.type === 'nodeCompleted' && nodes[id]) Object.assign(nodes[id], { output: data?.output ?? null, port: data?.port, state: 'done' });
    else if (event.type === 'stepFailed' && nodes[id]) Object.assign(nodes[id], { output: data?.error ?? null, state: 'failed' });
  }
  return { path, nodes };
}

/** One move past what the run waits on; false when there is nothing the trial can do. */
async function moveOn(sandbox: Sandbox, runId: string, notes: string[]): Promise<boolean> {
  const run = await sandbox.engine.getRun(runId);
  for (const wait of run.waitingOn) {
    if (wait.kind === 'approval') {
      const [task] = (await sandbox.engine.tasksFor({ user: 'editor', admin: true, status: 'pending' })).filter((candidate) => candidate.instanceId === runId && candidate.nodeId === wait.nodeId);
      if (!task) continue;
      // A quorum needs several people: each approval of the trial is another stand-in's.
      const by = { user: `run-to-here${task.decisions.length > 0 ? `-${task.decisions.length + 1}` : ''}`, admin: true };
      await sandbox.engine.decide(task.id, { by, decision: 'approve', form: task.form ? {} : undefined });
      notes.push(`approved ${wait.nodeId}`);
      return true;
    }
    if (wait.kind === 'signal' && wait.on) {
      await sandbox.engine.signal(runId, wait.on, {});
      notes.push(`sent signal "${wait.on}" to ${wait.nodeId} with {}`);
      return true;
    }
  }
  const next = sandbox.clock.nextDueAt();
  if (next === undefined) return false;
  notes.push(`skipped ${Math.round((next - sandbox.clock.now()) / 1000)}s of waiting`);
  sandbox.clock.moveTo(next);
  return true;
}

export async function runToHere(request: TrialRequest, env: { actions: ActionRegistry; egress: EgressPolicy; scratch: string; timeoutMs?: number }): Promise<TrialResult> {
  const doubles = new ScenarioDoubles();
  if (request.stubResult) for (const node of request.graph.nodes.filter((candidate) => candidate.kind === 'step')) doubles.stubNode(node.id, [{ result: request.stubResult.value }]);
  const folder = new SandboxFolder(env.scratch);
  const clock = new VirtualClock(Date.parse(DEFAULT_START));
  const notes: string[] = [];
  let sandbox: Sandbox | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    sandbox = await openSandbox({ folder, graph: cutAfter(request.graph, request.untilNode), slug: request.slug, clock, actions: doubles.registry(env.actions, []), models: doubles.models, egress: env.egress });
    const { id } = await sandbox.engine.startRun({ versionId: sandbox.versionId, input: request.input ?? {} });
    const open = sandbox;
    const play = async () => {
      await open.worker.drain();
      for (let moves = 0; moves < MAX_MOVES; moves++) {
        const run = await open.engine.getRun(id);
        if (['completed', 'failed', 'cancelled'].includes(run.status) || !(await moveOn(open, id, notes))) break;
        await open.worker.drain();
      }
    };
    // An action that never answers must not hold the editor (or the runner's queue) forever.
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), env.timeoutMs ?? TRIAL_TIMEOUT_MS)));
    const playing = play();
    // After a time-out the sandbox closes under the play, which then fails: that is already reported.
    playing.catch(() => {});
    if ((await Promise.race([playing, timedOut])) === 'timeout') notes.push(`stopped after ${env.timeoutMs ?? TRIAL_TIMEOUT_MS} ms of wall time: an action did not answer`);
    const run = await sandbox.engine.getRun(id);
    const view = nodeRuns(await sandbox.engine.history(id));
    const reached = view.nodes[request.untilNode] !== undefined;
    const error = run.status === 'completed' && reached ? null : describeRun(run);
    return { reached, status: run.status, ...view, notes, error };
  } catch (error) {
    if (error instanceof EngineError) return { reached: false, status: 'refused', path: [], nodes: {}, notes, error: `the run was refused: ${error.message}` };
    throw error;
  } finally {
    clearTimeout(timer);
    await sandbox?.close().catch(() => {});
    folder.dispose();
  }
}
