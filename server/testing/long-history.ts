// A run with a long history, made quickly by the real engine: a loop that counts `input.loops` times
// (7 events a turn), then waits at an event node that takes "tick" signals again and again (3 events
// each). The run page tests read it through the API as a browser would.
import { buildGraph } from './graphs.js';

export const LONG_HISTORY_SLUG = 'long-history';

export const longHistoryGraph = buildGraph(
  [
    ['start', 'start'],
    ['count', 'step', { action: 'transform', input: { expression: '$ + 1', data: '{{ $exists(nodes.count) ? nodes.count : 0 }}' } }],
    ['more', 'branch', { condition: '{{ nodes.count < input.loops }}' }],
    ['again', 'branch', { condition: '{{ true }}' }],
    ['listen', 'event', { event: 'tick' }],
  ],
  ['start.next -> count', 'count.ok -> more', 'more.true -> again', 'again.true -> count', 'more.false -> listen', 'listen.received -> listen'],
);

/** Events before the run waits: runStarted, start's two, 7 per turn but the last (5: it leaves `more` by false), listen's entry. */
export const eventsAfterLoops = (loops: number) => 1 + 2 + 7 * (loops - 1) + 5 + 1;

/** Each tick: signalReceived, listen completed, listen entered again. */
export const EVENTS_PER_TICK = 3;
