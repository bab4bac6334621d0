// The workflows the benchmarks run: a trivial action, ten steps in a line, start → wait → end and
// start → approval → end.
import { z } from 'zod';
import { defineAction } from '../server/actions/registry.js';
import { buildGraph, lineOfSteps } from '../server/testing/graphs.js';

/** Returns at once: the benchmark measures the engine's checkpoints, not the action's work. */
export const noopAction = defineAction({
  name: 'bench.noop',
  description: 'Does nothing (benchmarks).',
  input: z.object({}),
  run: () => null,
});

export function stepsGraph(steps: number) {
  return lineOfSteps(Array.from({ length: steps }, (_, index) => ({ id: `s${index + 1}`, action: noopAction.name, input: {} })));
}

export function parkingGraph(wait: string) {
  return buildGraph([['start', 'start'], ['park', 'wait', { duration: wait }], ['end', 'end']], ['start.next -> park', 'park.next -> end']);
}

/** start → approval (assigned to the role `manager`, its title rendered from the input) → end. */
/** One decision by a manager; or, with `quorum`, two of three named managers (issue 19). */
export function approvalGraph(quorum: 'single' | 'two-of-three' = 'single') {
  const policy = quorum === 'single' ? { assignees: { roles: ['manager'] } } : { assignees: { users: ['m1', 'm2', 'm3'] }, approvalsNeeded: 2 };
  return buildGraph(
    [
      ['start', 'start'],
      ['approve', 'approval', { title: 'Approve order {{ input.order }}', ...policy }],
      ['approved', 'end', { output: '{{ { "approvedBy": nodes.approve.by } }}' }],
      ['rejected', 'end'],
    ],
    ['start.next -> approve', 'approve.approved -> approved', 'approve.rejected -> rejected'],
  );
}

/** The users' scenario's step (issue 21): a JavaScript function that adds 1, as a team would register it. */
export const addOneAction = defineAction({
  name: 'bench.addOne',
  description: 'Adds 1 to its input (benchmarks).',
  input: z.object({ value: z.number() }),
  run: ({ value }) => ({ value: value + 1 }),
});

/** start → `steps` × bench.addOne, each fed the previous one's output → end (whose output is the last value). */
export function addOneGraph(steps: number) {
  return lineOfSteps(
    Array.from({ length: steps }, (_, index) => ({
      id: `s${index + 1}`,
      action: addOneAction.name,
      input: { value: index === 0 ? '{{ input.value }}' : `{{ nodes.s${index}.value }}` },
    })),
  );
}

/** start → wait for the signal `go` → end: runs parked on an event, resumed by a signal each. */
export function signalGraph() {
  return buildGraph([['start', 'start'], ['park', 'event', { event: 'go' }], ['end', 'end']], ['start.next -> park', 'park.received -> end']);
}
