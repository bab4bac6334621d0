// Rerun from a step, the pure part: a rerun is a new run whose first state already holds the outputs
// the earlier run recorded before node X (its seed, written by runner/rerun.ts). Its `start` enters X
// instead of the start node, and X's first visit may take a changed input instead of resolving its own.
import type { IndexedNode } from './graph-index.js';
import type { Run } from './run.js';

/** What a rerun's first state carries besides the reused outputs. */
export interface RerunSeed {
  /** The run this one reruns. */
  of: string;
  /** The node it continues from. */
  fromNode: string;
  /** The nodes whose recorded outputs it reuses, in the order the earlier run completed them. */
  reused: string[];
  /** Present when X's input was changed: used instead of resolving X's `input` on its first visit. */
  input?: { value: unknown };
}

/** The `start` of a seeded run: record where it comes from, then enter X with the reused outputs in place. */
export function startRerun(run: Run, seed: RerunSeed): void {
  const { instance } = run.ctx;
  run.record({
    type: 'runStarted',
    data: { workflow: instance.workflow, version: instance.version, input: instance.input, rerunOf: { runId: seed.of, fromNode: seed.fromNode, reused: seed.reused, inputChanged: seed.input !== undefined } },
  });
  run.newToken(seed.fromNode);
}

/**
 * The changed input of X, once: on X's first visit of this run, in place of resolving `input`. The
 * seed lets go of it then, so a later visit (a loop) resolves X's input as usual.
 */
export function takeRerunInput(run: Run, node: IndexedNode, field: string): { value: unknown } | undefined {
  const seed = run.state.rerun;
  if (!seed?.input || field !== 'input' || node.id !== seed.fromNode) return undefined;
  const { input, ...rest } = seed;
  run.state.rerun = rest;
  return input;
}
