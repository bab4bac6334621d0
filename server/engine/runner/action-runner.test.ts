// The attempt runner: input validation, time-outs on the injected clock, and the lazily made signal.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultEgressPolicy } from '../../actions/egress.js';
import { createHttpClient } from '../../actions/http-client.js';
import { ActionRegistry, defineAction } from '../../actions/registry.js';
import { silentLogger } from '../../logger.js';
import { actionAttempt as runAttempt } from './action-runner.js';
import { FakeClock } from '../clock.js';

const { fetch } = createHttpClient({ policy: defaultEgressPolicy() });
const effect = { tokenId: 't1', nodeId: 'n', visit: 1, attempt: 1, action: 'probe', input: {}, idempotencyKey: 'r:n:1', timeoutMs: 1_000 };

describe('runAttempt', () => {
  it('a signal first read after the time-out is already aborted', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const seen: boolean[] = [];
    const probe = defineAction({
      name: 'probe',
      description: 'test',
      input: z.object({}),
      run: async (_input, ctx) => {
        await new Promise<void>((resolve) => (release = resolve));
        seen.push(ctx.signal.aborted);
      },
    });
    const attempt = runAttempt(effect, { actions: new ActionRegistry([probe]), clock, logger: silentLogger, instanceId: 'r', fetch });
    clock.advance(1_000);
    expect(await attempt.outcome).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([true]);
  });

  it('stopping the worker aborts the attempt as a retryable failure', async () => {
    const probe = defineAction({ name: 'probe', description: 'test', input: z.object({}), run: (_input, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))) });
    const attempt = runAttempt(effect, { actions: new ActionRegistry([probe]), clock: new FakeClock(), logger: silentLogger, instanceId: 'r', fetch });
    await new Promise((resolve) => setImmediate(resolve));
    attempt.abort();
    expect(await attempt.outcome).toMatchObject({ ok: false, error: { code: 'ABORTED', retryable: true } });
  });
});
