// Every attempt of a step visit shares one idempotency key, and http.request sends it as the
// Idempotency-Key header (checked by a real HTTP server on 127.0.0.1).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { RetryableError } from './errors.js';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server that answers each request with the next of `answers` and keeps what it received. */
async function scriptedServer(answers: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const received: { method: string; url: string; key: string | undefined; body: string }[] = [];
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, key: request.headers['idempotency-key'] as string | undefined, body });
      const answer = answers[Math.min(received.length - 1, answers.length - 1)];
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received };
}

describe('idempotency keys', () => {
  it('every attempt of a step sees the same key; a second visit gets its own', async () => {
    const clock = new FakeClock();
    const keys: string[] = [];
    const flaky = defineAction({
      name: 'flaky',
      description: 'test: fails on the first two attempts',
      input: z.object({}),
      run(_input, ctx) {
        keys.push(`${ctx.attempt}:${ctx.idempotencyKey}`);
        if (ctx.attempt < 3) throw new RetryableError('not yet');
        return {};
      },
    });
    harness = await createHarness({ clock, actions: [flaky] });
    const graph = lineOfSteps([{ id: 'call', action: 'flaky', retry: { maxAttempts: 3, initialInterval: '1s', jitter: 0 } }]);
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId });
    for (let i = 0; i < 3; i++) {
      clock.advance('2s');
      await harness.worker.drain();
    }
    expect(keys).toEqual([`1:${id}:call:1`, `2:${id}:call:1`, `3:${id}:call:1`]);
  });

  it('a step visited twice in a loop uses one key per visit', async () => {
    const keys: string[] = [];
    const note = defineAction({
      name: 'note',
      description: 'test: notes its key',
      input: z.object({}),
      run: (_input, ctx) => {
        keys.push(ctx.idempotencyKey);
        return { count: keys.length };
      },
    });
    harness = await createHarness({ actions: [note] });
    const graph = buildGraph(
      [['start', 'start'], ['count', 'step', { action: 'note' }], ['more', 'branch', { condition: '{{ nodes.count.count < 2 }}' }], ['end', 'end']],
      ['start.next -> count', 'count.ok -> more', 'more.true -> count', 'more.false -> end'],
    );
    const run = await harness.run(graph);
    expect(run.status).toBe('completed');
    expect(keys).toEqual([`${run.id}:count:1`, `${run.id}:count:2`]);
  });

  it('http.request sends the key as Idempotency-Key on every attempt; 503 and 429 are retried', async () => {
    const { url, received } = await scriptedServer([
      { status: 503 },
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 201, body: { paymentId: 'p-1' } },
    ]);
    const clock = new FakeClock();
    harness = await createHarness({ clock, httpAllow: ['127.0.0.1'] });
    const graph = lineOfSteps([
      { id: 'charge', action: 'http.request', input: { method: 'POST', url: `${url}/charges`, body: { amount: '{{ input.amount }}' } }, retry: { maxAttempts: 3, initialInterval: '1s', jitter: 0 } },
    ]);
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId, input: { amount: 42 } });
    await harness.worker.drain();
    expect(received).toHaveLength(1);
    clock.advance('1s');
    await harness.worker.drain();
    expect(received).toHaveLength(2);
    // The 429 asked for 120 s, longer than the 2 s backoff: the engine honours Retry-After.
    clock.advance('119s');
    await harness.worker.drain();
    expect(received).toHaveLength(2);
    clock.advance('1s');
    await harness.worker.drain();
    expect(received.map((request) => request.key)).toEqual([`${id}:charge:1`, `${id}:charge:1`, `${id}:charge:1`]);
    expect(JSON.parse(received[0].body)).toEqual({ amount: 42 });
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect((run.state.outputs.charge as { status: number; body: unknown }).body).toEqual({ paymentId: 'p-1' });
  });

  it('http.request does not retry other 4xx answers', async () => {
    const { url, received } = await scriptedServer([{ status: 422, body: { error: 'bad card' } }]);
    harness = await createHarness({ httpAllow: ['127.0.0.1'] });
    const run = await harness.run(lineOfSteps([{ id: 'charge', action: 'http.request', input: { method: 'POST', url, body: {} } }]));
    expect(received).toHaveLength(1);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HTTP_422', retryable: false, nodeId: 'charge' });
  });

  it('http.request treats a refused connection as retryable', async () => {
    const { url } = await scriptedServer([{ status: 200 }]);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const clock = new FakeClock();
    harness = await createHarness({ clock, httpAllow: ['127.0.0.1'] });
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'call', action: 'http.request', input: { url }, retry: { maxAttempts: 2, initialInterval: '1s', jitter: 0 } }]));
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    clock.advance('1s');
    await harness.worker.drain();
    const history = await harness.engine.history(id);
    const failures = history.filter((event) => event.type === 'stepAttemptFailed');
    expect(failures).toHaveLength(2);
    expect(failures[0].data).toMatchObject({ error: { code: 'HTTP_NETWORK', retryable: true } });
  });
});
