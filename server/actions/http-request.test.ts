// http.request (and any action's ctx.fetch) in a real engine, against a real HTTP server on
// 127.0.0.1: egress refusals end the step at once, a 200 MB answer fails at the cap without being
// read (RSS stays flat), and a hostile Retry-After never yields an unrepresentable delay.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeClock } from '../engine/clock.js';
import { lineOfSteps } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { defineAction } from './registry.js';
import { MAX_RETRY_AFTER_MS } from './retry-after.js';

const MB = 1024 * 1024;
let harness: Harness | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function attemptErrors(runId: string) {
  const history = await harness!.engine.history(runId);
  return history.filter((event) => event.type === 'stepAttemptFailed').map((event) => (event.data as { error: Record<string, unknown> }).error);
}

describe('egress from a step', () => {
  it('a call to loopback fails the step once, not retried, naming the address and CAIRN_HTTP_ALLOW', async () => {
    let requests = 0;
    const url = await listen((_request, response) => {
      requests++;
      response.end('{"secret":true}');
    });
    harness = await createHarness();
    const run = await harness.run(lineOfSteps([{ id: 'call', action: 'http.request', input: { url: `${url}/api/v1/instances` }, retry: { maxAttempts: 3, initialInterval: '1s' } }]));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false, nodeId: 'call' });
    expect(run.error!.message).toContain('127.0.0.1 is a loopback address; to allow it, add it to CAIRN_HTTP_ALLOW');
    expect(await attemptErrors(run.id)).toHaveLength(1);
    expect(requests).toBe(0);
  });

  it('a redirect from an allowed server into a refused address is refused', async () => {
    const url = await listen((_request, response) => response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    harness = await createHarness({ httpAllow: ['127.0.0.1'] });
    const run = await harness.run(lineOfSteps([{ id: 'call', action: 'http.request', input: { url } }]));
    expect(run.error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(run.error!.message).toContain('169.254.169.254 is a link-local address');
  });

  it.each(['data:application/json,{"leak":true}', 'file:///etc/passwd'])('%s is refused, not fetched nor retried', async (url) => {
    harness = await createHarness({ httpAllow: ['127.0.0.1'] });
    const run = await harness.run(lineOfSteps([{ id: 'call', action: 'http.request', input: { url }, retry: { maxAttempts: 3, initialInterval: '1s' } }]));
    expect(run.error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(run.error!.message).toContain('only http: and https: URLs may be fetched');
    expect(await attemptErrors(run.id)).toHaveLength(1);
  });

  it('every action gets the same policy through ctx.fetch', async () => {
    const url = await listen((_request, response) => response.end('inside'));
    const peek = defineAction({
      name: 'peek',
      description: 'fetches a URL with ctx.fetch',
      input: z.object({ url: z.string() }),
      run: async ({ url: target }, ctx) => (await ctx.fetch(target)).text(),
    });
    harness = await createHarness({ actions: [peek] });
    const refused = await harness.run(lineOfSteps([{ id: 'peek', action: 'peek', input: { url: `${url.replace('127.0.0.1', 'localhost')}/` } }]));
    expect(refused.error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    await harness.close();
    harness = await createHarness({ actions: [peek], httpAllow: ['127.0.0.1'] });
    const allowed = await harness.run(lineOfSteps([{ id: 'peek', action: 'peek', input: { url } }]));
    expect(allowed.status).toBe('completed');
    expect(allowed.state.outputs.peek).toBe('inside');
  });
});

describe('response size', () => {
  it('a 200 MB answer fails at the cap with RSS growth under 50 MB, and is not read to its end', async () => {
    const total = 200 * MB;
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // Streamed in chunks as the socket takes them, with no Content-Length: the server holds 64 KB.
    const url = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        while (written < total && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => response.destroy());
      pump();
    });
    harness = await createHarness({ httpAllow: ['127.0.0.1'] });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const run = await harness.run(lineOfSteps([{ id: 'download', action: 'http.request', input: { url: `${url}/dump` } }])).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE', retryable: false, nodeId: 'download' });
    expect(run.error!.message).toContain(`${url}/dump is larger than 1048576 bytes`);
    expect(peak - before).toBeLessThan(50 * MB);
    // What the kernel's socket buffers took before the connection closed, not the 200 MB.
    expect(written).toBeLessThan(total / 4);
  });
});

describe('Retry-After', () => {
  it.each([
    ['99999999999999', MAX_RETRY_AFTER_MS],
    ['Thu, 01 Jan 2099 00:00:00 GMT', MAX_RETRY_AFTER_MS],
    ['120', 120_000],
    ['1e400', undefined],
    ['-5', undefined],
    ['soon 5', undefined],
  ])('a 429 with Retry-After %j asks for %s ms', async (retryAfter, expected) => {
    const url = await listen((_request, response) => response.writeHead(429, { 'retry-after': retryAfter }).end());
    harness = await createHarness({ clock: new FakeClock(), httpAllow: ['127.0.0.1'] });
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'call', action: 'http.request', input: { url }, retry: { maxAttempts: 2, initialInterval: '1s' } }]));
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    const errors = await attemptErrors(id);
    expect(errors).toEqual([expect.objectContaining({ code: 'HTTP_429', retryable: true })]);
    expect(errors[0]!.retryAfterMs).toBe(expected);
    expect((await harness.engine.getRun(id)).status).toBe('waiting');
  });
});
