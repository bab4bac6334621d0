// start: the run's input (already validated against inputSchema) is the node's output.
import type { StartConfig } from '../../../../shared/nodes/start.node.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

export const startExecutor: NodeExecutor<StartConfig> = {
  enter(run, token) {
    entered(run, token);
    run.takePort(token, 'next', run.ctx.instance.input);
  },
};
