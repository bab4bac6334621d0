// Step retries on durable timers: explicit delays, exponential backoff with jitter, per-attempt
// time-outs and non-retryable errors.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { retryDelayMs, retryPolicy } from './core/backoff.js';
import { NonRetryableError, RetryableError } from './errors.js';
import { lineOfSteps } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An action that fails `failures` times, then succeeds, noting when each attempt ran. */
function flaky(clock: FakeClock, failures: number, error: () => Error = () => new RetryableError('gateway declined')) {
  const attempts: { at: number; attempt: number; key: string }[] = [];
  const action = defineAction({
    name: 'charge',
    description: 'test: fails, then succeeds',
    input: z.object({}).passthrough(),
    run(_input, ctx) {
      attempts.push({ at: clock.now(), attempt: ctx.attempt, key: ctx.idempotencyKey });
      if (attempts.length <= failures) throw error();
      return { charged: true };
    },
  });
  return { action, attempts };
}

describe('retries', () => {
  it('delays ["1h","1d","3d"]: three failures then success retry at exactly those offsets', async () => {
    const clock = new FakeClock(Date.UTC(2026, 2, 1));
    const { action, attempts } = flaky(clock, 3);
    harness = await createHarness({ clock, actions: [action] });
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'pay', action: 'charge', retry: { delays: ['1h', '1d', '3d'] } }]));
    const t0 = clock.now();
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    for (const step of [HOUR, DAY, 3 * DAY]) {
      clock.advance(step - 1);
      await harness.worker.drain();
      const before = attempts.length;
      clock.advance(1);
      await harness.worker.drain();
      expect(attempts.length).toBe(before + 1);
    }
    expect(attempts.map((attempt) => attempt.at - t0)).toEqual([0, HOUR, HOUR + DAY, HOUR + 4 * DAY]);
    expect(attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4]);
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    const retryAts = (await harness.engine.history(id)).filter((event) => event.type === 'stepAttemptFailed').map((event) => (event.data as { retryAt: string }).retryAt);
    expect(retryAts).toEqual([t0 + HOUR, t0 + HOUR + DAY, t0 + HOUR + 4 * DAY].map((at) => new Date(at).toISOString()));
  });

  it('a step whose delays are used up takes its error path with the last error', async () => {
    const clock = new FakeClock();
    const { action, attempts } = flaky(clock, 10);
    harness = await createHarness({ clock, actions: [action] });
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'pay', action: 'charge', retry: { delays: ['1h', '1d', '3d'] } }]));
    const { id } = await harness.engine.startRun({ versionId });
    for (const step of ['0s', '1h', '1d', '3d']) {
      clock.advance(step);
      await harness.worker.drain();
    }
    expect(attempts).toHaveLength(4);
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'ACTION_FAILED', nodeId: 'pay', message: 'gateway declined' });
  });

  it('exponential backoff with jitter stays within its bounds', () => {
    const policy = retryPolicy({ initialInterval: '10s', backoffCoefficient: 3, maxInterval: '10m', jitter: 0.25, maxAttempts: 10 });
    for (let attempt = 1; attempt <= 8; attempt++) {
      const base = Math.min(10_000 * 3 ** (attempt - 1), 600_000);
      const delays = Array.from({ length: 300 }, (_, seed) => retryDelayMs(policy, attempt, `run-${seed}:node:1#${attempt}`));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(base * 0.75);
      expect(Math.max(...delays)).toBeLessThanOrEqual(base * 1.25);
      // The jitter really spreads: not every run retries at the same moment.
      expect(new Set(delays).size).toBeGreaterThan(200);
    }
    const noJitter = retryPolicy({ initialInterval: '1s', jitter: 0 });
    expect([1, 2, 3].map((attempt) => retryDelayMs(noJitter, attempt, 'x'))).toEqual([1_000, 2_000, 4_000]);
  });

  it('the engine schedules backoff retries within the jitter bounds', async () => {
    const clock = new FakeClock();
    const { action } = flaky(clock, 3);
    harness = await createHarness({ clock, actions: [action] });
    const { versionId } = await harness.publish(
      lineOfSteps([{ id: 'pay', action: 'charge', retry: { maxAttempts: 4, initialInterval: '1m', backoffCoefficient: 2, jitter: 0.5 } }]),
    );
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    for (let failure = 1; failure <= 3; failure++) {
      const history = await harness.engine.history(id);
      const failed = history.filter((event) => event.type === 'stepAttemptFailed').at(-1)!;
      const delay = Date.parse((failed.data as { retryAt: string }).retryAt) - failed.at;
      const base = 60_000 * 2 ** (failure - 1);
      expect(delay).toBeGreaterThanOrEqual(base * 0.5);
      expect(delay).toBeLessThanOrEqual(base * 1.5);
      clock.set(Date.parse((failed.data as { retryAt: string }).retryAt));
      await harness.worker.drain();
    }
    expect((await harness.engine.getRun(id)).status).toBe('completed');
  });

  it('a per-attempt timeout aborts the action through its AbortSignal', async () => {
    const clock = new FakeClock();
    const seen: { attempt: number; aborted: boolean }[] = [];
    const hang = defineAction({
      name: 'hang',
      description: 'test: waits until aborted',
      input: z.object({}),
      run: (_input, ctx) =>
        new Promise((_resolve, reject) => {
          const entry = { attempt: ctx.attempt, aborted: false };
          seen.push(entry);
          ctx.signal.addEventListener('abort', () => {
            entry.aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    harness = await createHarness({ clock, actions: [hang] });
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'slow', action: 'hang', timeout: '5s', retry: { maxAttempts: 2, initialInterval: '1s', jitter: 0 } }]));
    const { id } = await harness.engine.startRun({ versionId });
    await until(() => seen.length === 1, { what: 'the first attempt to start' });
    clock.advance('5s');
    await harness.worker.drain();
    expect(seen[0].aborted).toBe(true);
    clock.advance('1s');
    await until(() => seen.length === 2, { what: 'the second attempt to start' });
    clock.advance('5s');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(seen.map((entry) => entry.aborted)).toEqual([true, true]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'TIMEOUT', nodeId: 'slow' });
    expect(run.error?.message).toContain('timed out after 5s');
  });

  it('a non-retryable error skips the remaining attempts', async () => {
    const clock = new FakeClock();
    const { action, attempts } = flaky(clock, 5, () => new NonRetryableError('card reported stolen', { code: 'CARD_STOLEN' }));
    harness = await createHarness({ clock, actions: [action] });
    const run = await harness.run(lineOfSteps([{ id: 'pay', action: 'charge', retry: { maxAttempts: 5 } }]));
    expect(attempts).toHaveLength(1);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'CARD_STOLEN', retryable: false, nodeId: 'pay' });
  });
});
