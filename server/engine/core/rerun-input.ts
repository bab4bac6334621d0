// The changed input a rerun from a step may give its first node (core/rerun.ts), taken once.
import type { IndexedNode } from './graph-index.js';
import type { RunState } from './types.js';

/**
 * The changed input of X, once: on X's first visit of this run, in place of resolving `input`. The
 * seed lets go of it then, so a later visit (a loop) resolves X's input as usual.
 */
export function takeRerunInput(state: RunState, node: IndexedNode, field: string): { value: unknown } | undefined {
  const seed = state.rerun;
  if (!seed?.input || field !== 'input' || node.id !== seed.fromNode) return undefined;
  const { input, ...rest } = seed;
  state.rerun = rest;
  return input;
}
