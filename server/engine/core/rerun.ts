// Rerun from a step, the pure part: a rerun is a new run whose first state already holds the outputs
// the earlier run recorded before node X (its seed, written by runner/rerun.ts). Its `start` enters X
// instead of the start node, and X's first visit may take a changed input instead of resolving its own.
import type { Run } from './run.js';
import type { RerunSeed } from './types.js';

export type { RerunSeed };

/** The `start` of a seeded run: record where it comes from, then enter X with the reused outputs in place. */
export function startRerun(run: Run, seed: RerunSeed): void {
  const { instance } = run.ctx;
  run.record({
    type: 'runStarted',
    data: { workflow: instance.workflow, version: instance.version, input: instance.input, rerunOf: { runId: seed.of, fromNode: seed.fromNode, reused: seed.reused, inputChanged: seed.input !== undefined } },
  });
  run.newToken(seed.fromNode);
}
