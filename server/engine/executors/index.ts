// Executors by node kind. The mapped type makes a kind without an executor a type error.
import type { NodeKind } from '../../../shared/nodes/registry.js';
import type { NodeExecutor } from './executor.js';
import { startExecutor } from './start.executor.js';
import { stepExecutor } from './step.executor.js';
import { waitExecutor } from './wait.executor.js';
import { branchExecutor, endExecutor, failExecutor, joinExecutor, notYetExecutable, parallelExecutor } from './flow.executors.js';

export const executors: { [K in NodeKind]: NodeExecutor } = {
  start: startExecutor,
  step: stepExecutor,
  wait: waitExecutor,
  branch: branchExecutor,
  parallel: parallelExecutor,
  join: joinExecutor,
  end: endExecutor,
  fail: failExecutor,
  event: notYetExecutable,
  approval: notYetExecutable,
  ai: notYetExecutable,
  subflow: notYetExecutable,
};
