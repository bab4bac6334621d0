// The pure core, table-driven: a graph fixture, a prior state (reached by earlier events), one
// event → the expected status, effects, history and tokens. No database, no clock, no I/O.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphSchema } from '../../../shared/graph/graph.schema.js';
import { LIMITS } from '../../../shared/limits.js';
import { indexGraph } from './graph-index.js';
import { engineFailure, initialState, transition } from './interpreter.js';
import type { Effect, RunEvent, RunState, Transition } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const graph = indexGraph(graphSchema.parse(JSON.parse(readFileSync(new URL('./fixtures/charge.graph.json', import.meta.url), 'utf8'))));

function context(now: number, amount = 50) {
  return { instance: { id: 'run-1', workflow: 'charge', version: 1, startedAt: T0, input: { amount } }, graph, now, limits: LIMITS, historyCount: 0 };
}

/** Apply events in order (each at its own time), as the runner would. */
async function replay(steps: [at: number, event: RunEvent][], amount?: number): Promise<Transition> {
  let state: RunState = initialState();
  let last: Transition | undefined;
  for (const [at, event] of steps) {
    last = await transition(context(at, amount), state, event);
    state = last.state;
  }
  return last!;
}

const started: [number, RunEvent] = [T0, { type: 'start' }];
const charged: [number, RunEvent] = [T0, { type: 'actionSucceeded', tokenId: 't1', attempt: 1, output: { id: 'pay-1' } }];
const declined = (attempt: number, at: number): [number, RunEvent] => [
  at,
  { type: 'actionFailed', tokenId: 't1', attempt, error: { name: 'Error', code: 'DECLINED', message: 'declined', retryable: true } },
];
const fired = (at: number, tokenId: string, purpose: 'wait' | 'retry'): [number, RunEvent] => [at, { type: 'timerFired', tokenId, purpose }];
const effectsOf = (result: Transition) => result.effects.map((effect: Effect) => ({ ...effect }));

describe('interpreter', () => {
  it.each<{ name: string; steps: [number, RunEvent][]; amount?: number; status: string; effects: unknown[]; history: string[] }>([
    {
      name: 'start enters the step and asks for its first attempt with resolved input',
      steps: [started],
      status: 'running',
      effects: [{ type: 'runAction', tokenId: 't1', nodeId: 'charge', visit: 1, attempt: 1, action: 'charge', input: { amount: 50 }, idempotencyKey: 'run-1:charge:1', timeoutMs: 30_000 }],
      history: ['runStarted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'stepAttemptStarted'],
    },
    {
      name: 'a retryable failure waits on a durable timer at the first delay',
      steps: [started, declined(1, T0 + 5)],
      status: 'waiting',
      effects: [{ type: 'setTimer', timerId: 'run-1:t1:retry', tokenId: 't1', purpose: 'retry', dueAt: T0 + 5 + HOUR }],
      history: ['stepAttemptFailed'],
    },
    {
      name: 'the retry timer starts attempt 2 with the same idempotency key',
      steps: [started, declined(1, T0), fired(T0 + HOUR, 't1', 'retry')],
      status: 'running',
      effects: [expect.objectContaining({ type: 'runAction', attempt: 2, idempotencyKey: 'run-1:charge:1', input: { amount: 50 } })],
      history: ['stepAttemptStarted'],
    },
    {
      name: 'a result for a superseded attempt changes nothing',
      steps: [started, declined(1, T0), fired(T0 + HOUR, 't1', 'retry'), [T0 + HOUR, { type: 'actionSucceeded', tokenId: 't1', attempt: 1, output: {} }]],
      status: 'running',
      effects: [],
      history: [],
    },
    {
      name: 'success moves on to the 7d wait',
      steps: [started, charged],
      status: 'waiting',
      effects: [{ type: 'setTimer', timerId: 'run-1:t1:wait', tokenId: 't1', purpose: 'wait', dueAt: T0 + 7 * DAY }],
      history: ['nodeCompleted', 'nodeEntered'],
    },
    {
      name: 'the wait fires into a parallel split: two timers',
      steps: [started, charged, fired(T0 + 7 * DAY, 't1', 'wait')],
      status: 'waiting',
      effects: [
        { type: 'setTimer', timerId: 'run-1:t1:wait', tokenId: 't1', purpose: 'wait', dueAt: T0 + 7 * DAY + HOUR },
        { type: 'setTimer', timerId: 'run-1:t2:wait', tokenId: 't2', purpose: 'wait', dueAt: T0 + 7 * DAY + 2 * HOUR },
      ],
      history: ['nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'nodeEntered'],
    },
    {
      name: 'the first branch to arrive waits at the join',
      steps: [started, charged, fired(T0 + 7 * DAY, 't1', 'wait'), fired(T0 + 7 * DAY + HOUR, 't1', 'wait')],
      status: 'waiting',
      effects: [],
      history: ['nodeCompleted', 'joinArrived'],
    },
    {
      name: 'the second arrival fires the join, the branch and the end',
      steps: [started, charged, fired(T0 + 7 * DAY, 't1', 'wait'), fired(T0 + 7 * DAY + HOUR, 't1', 'wait'), fired(T0 + 7 * DAY + 2 * HOUR, 't2', 'wait')],
      status: 'completed',
      effects: [],
      history: ['nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'nodeCompleted', 'runCompleted'],
    },
    {
      name: 'reaching fail compensates the completed charge first',
      amount: 500,
      steps: [started, charged, fired(T0 + 7 * DAY, 't1', 'wait'), fired(T0 + 7 * DAY + HOUR, 't1', 'wait'), fired(T0 + 7 * DAY + 2 * HOUR, 't2', 'wait')],
      status: 'running',
      effects: [expect.objectContaining({ type: 'runAction', action: 'refund', input: { payment: 'pay-1' }, idempotencyKey: 'run-1:charge:1:compensate' })],
      history: ['nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered', 'compensationStarted', 'compensationAttemptStarted'],
    },
    {
      name: 'recovery turns the in-flight attempt into a failed one and schedules the retry',
      steps: [started, [T0 + 60_000, { type: 'recover' }]],
      status: 'waiting',
      effects: [{ type: 'setTimer', timerId: 'run-1:t1:retry', tokenId: 't1', purpose: 'retry', dueAt: T0 + 60_000 + HOUR }],
      history: ['stepAttemptFailed'],
    },
    {
      name: 'the last delay used up with no error edge fails the run',
      steps: [started, declined(1, T0), fired(T0 + HOUR, 't1', 'retry'), declined(2, T0 + HOUR), fired(T0 + HOUR + DAY, 't1', 'retry'), declined(3, T0 + HOUR + DAY)],
      status: 'failed',
      effects: [],
      history: ['stepAttemptFailed', 'stepFailed', 'nodeCompleted', 'runFailed'],
    },
  ])('$name', async ({ steps, amount, status, effects, history }) => {
    const result = await replay(steps, amount);
    expect(result.status).toBe(status);
    expect(effectsOf(result)).toEqual(effects);
    expect(result.history.map((entry) => entry.type)).toEqual(history);
  });

  it('does not change the state it was given', async () => {
    const prior = (await replay([started])).state;
    const frozen = JSON.stringify(prior);
    await transition(context(T0), prior, charged[1]);
    expect(JSON.stringify(prior)).toBe(frozen);
  });

  it('is deterministic: the same events give the same transition', async () => {
    const steps = [started, declined(1, T0), fired(T0 + HOUR, 't1', 'retry'), charged];
    expect(JSON.stringify(await replay(steps))).toBe(JSON.stringify(await replay(steps)));
  });
});

describe('interruptions in a row quarantine a run (DESIGN §3)', () => {
  const recovered = (at: number): [number, RunEvent] => [at, { type: 'recover' }];

  it('the third recovery in a row, with no attempt coming back between them, ends the run QUARANTINED without compensating', async () => {
    const result = await replay([started, recovered(T0 + 1), fired(T0 + 1 + HOUR, 't1', 'retry'), recovered(T0 + 2 * HOUR), fired(T0 + 2 * HOUR + DAY, 't1', 'retry'), recovered(T0 + 3 * DAY)]);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'QUARANTINED', nodeId: 'charge', message: expect.stringContaining('interrupted 3 times in a row') });
    expect(result.error?.compensated).toBeUndefined();
    expect(result.state.tokens).toEqual([]);
    expect(result.history.map((entry) => entry.type)).toEqual(['runFailed']);
  });

  it('an attempt that comes back ends the count', async () => {
    const afterTwo = await replay([started, recovered(T0 + 1), fired(T0 + 1 + HOUR, 't1', 'retry'), recovered(T0 + 2 * HOUR)]);
    expect(afterTwo.state.interruptions).toBe(2);
    const result = await replay([started, recovered(T0 + 1), fired(T0 + 1 + HOUR, 't1', 'retry'), [T0 + 2 * HOUR, { type: 'actionSucceeded', tokenId: 't1', attempt: 2, output: { id: 'pay-1' } }]]);
    expect(result.state.interruptions).toBeUndefined();
    expect(result.status).toBe('waiting');
  });

  it('a checkpoint that only starts an attempt does not end the count: that attempt may be what kills the process', async () => {
    const result = await replay([started, recovered(T0 + 1), fired(T0 + 1 + HOUR, 't1', 'retry')]);
    expect(result.status).toBe('running');
    expect(result.state.interruptions).toBe(1);
  });

  it('a waiting run counts a recovery too, and a later event that leaves nothing in flight ends the count', async () => {
    const waiting = await replay([started, charged, recovered(T0 + 5)]);
    expect(waiting).toMatchObject({ status: 'waiting', state: { interruptions: 1 } });
    const moved = await replay([started, charged, recovered(T0 + 5), fired(T0 + 7 * DAY, 't1', 'wait')]);
    expect(moved.state.interruptions).toBeUndefined();
  });
});

describe('a transition that throws', () => {
  it('engineFailure ends the run failed with ENGINE_ERROR at the node it was at, stopping its timers', async () => {
    const waiting = await replay([started, charged]);
    const result = engineFailure(context(T0 + 10), waiting.state, 'the engine failed while handling "timerFired": boom');
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'ENGINE_ERROR', nodeId: 'cool', message: 'the engine failed while handling "timerFired": boom' });
    expect(result.effects).toEqual([{ type: 'cancelTimer', timerId: 'run-1:t1:wait' }]);
    expect(result.state.tokens).toEqual([]);
  });
});
