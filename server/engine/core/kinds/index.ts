// Executors by node kind. The mapped type makes a kind without an executor a type error.
import type { NodeKind } from '../../../../shared/nodes/registry.js';
import type { NodeExecutor } from './executor.js';
import { startExecutor } from './start.executor.js';
import { stepExecutor } from './step.executor.js';
import { waitExecutor } from './wait.executor.js';
import { branchExecutor, endExecutor, failExecutor, joinExecutor, parallelExecutor } from './flow.executors.js';
import { eventExecutor } from './event.executor.js';
import { approvalExecutor } from './approval.executor.js';
import { aiExecutor } from './ai.executor.js';
import { subflowExecutor } from './subflow.executor.js';

export const executors: { [K in NodeKind]: NodeExecutor } = {
  start: startExecutor,
  step: stepExecutor,
  wait: waitExecutor,
  branch: branchExecutor,
  parallel: parallelExecutor,
  join: joinExecutor,
  end: endExecutor,
  fail: failExecutor,
  event: eventExecutor,
  approval: approvalExecutor,
  ai: aiExecutor,
  subflow: subflowExecutor,
};
