// Issue 18 acceptance, traces: a real OTLP/HTTP receiver on 127.0.0.1 collects the spans of a run
// with a retry, a wait, an approval and a child run, moved by two server processes in turn on one
// database (the first closed mid-wait, as a restart): one trace, continuing the caller's
// traceparent, with the documented structure and attributes; the step's request carries the
// attempt's traceparent. Runs on both databases.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { spanIdOf } from '../engine/runner/trace-context.js';
import { createLogger, silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { buildGraph } from '../testing/graphs.js';
import { startOtlpReceiver, type ReceivedSpan } from '../testing/otlp-receiver.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const ADMIN = 'trace-test-admin-token-0123456789';
const CALLER = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A downstream service that fails its first request (so the step retries) and records headers. */
async function downstream() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createHttpServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(seen.length === 1 ? 503 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/charge`, seen };
}

async function serve(database: TestDatabase, clock: FakeClock, endpoint: string): Promise<CairnServer> {
  return createServer({
    databaseUrl: database.url,
    host: '127.0.0.1',
    port: 0,
    clock,
    logger: silentLogger,
    sync: 'normal',
    adminToken: ADMIN,
    seed: false,
    httpAllow: ['127.0.0.1'],
    // Webhooks keep their secrets under the credentials key (PostgreSQL has no key file).
    secretKey: Buffer.alloc(32, 7).toString('base64'),
    telemetry: { tracing: { endpoint, serviceName: 'cairn-test' } },
  });
}

async function call(server: CairnServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function publish(server: CairnServer, slug: string, graph: unknown) {
  expect((await call(server, 'PUT', `/api/v1/workflows/${slug}`, { name: slug, graph })).status).toBeLessThan(300);
  expect((await call(server, 'POST', `/api/v1/workflows/${slug}/publish`, {})).status).toBeLessThan(300);
}

describe('traces', () => {
  it('one trace per run across a restart: root, visits, attempts, waits, approval and child, under the caller', async () => {
    const receiver = await startOtlpReceiver();
    cleanups.push(receiver.close);
    const target = await downstream();
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const clock = new FakeClock(Date.UTC(2026, 2, 2, 9));

    let server = await serve(database, clock, receiver.endpoint);
    let closed = false;
    cleanups.push(async () => void (closed || (await server.close())));
    await publish(server, 'kid', buildGraph([['start', 'start'], ['done', 'end', { output: '{{ "kid done" }}' }]], ['start.next -> done']));
    await publish(
      server,
      'expense',
      buildGraph(
        [
          ['start', 'start'],
          ['charge', 'step', { action: 'http.request', input: { method: 'POST', url: target.url, body: { amount: 3 } }, retry: { maxAttempts: 3, initialInterval: '10s', jitter: 0 } }],
          ['nap', 'wait', { duration: '1h' }],
          ['review', 'approval', { title: 'Approve?', assignees: { users: ['someone'] } }],
          ['child', 'subflow', { workflow: 'kid', input: '{{ {} }}' }],
          ['end', 'end'],
        ],
        ['start.next -> charge', 'charge.ok -> nap', 'nap.next -> review', 'review.approved -> child', 'child.ok -> end'],
      ),
    );
    const started = await call(server, 'POST', '/api/v1/workflows/expense/instances', { input: {} }, { traceparent: `00-${CALLER.traceId}-${CALLER.spanId}-01` });
    expect(started.status).toBe(201);
    const runId: string = started.body.id;
    await server.worker!.drain();
    clock.advance('10s'); // the retry's back-off is due
    await server.worker!.drain();
    expect((await call(server, 'GET', `/api/v1/instances/${runId}`)).body.waitingOn).toEqual([expect.objectContaining({ nodeId: 'nap', kind: 'timer' })]);

    // A restart mid-wait: the first process goes, another takes the run up from the database.
    await server.close();
    closed = true;
    clock.advance('1h');
    server = await serve(database, clock, receiver.endpoint);
    cleanups.push(() => server.close());
    await server.worker!.drain();
    const tasks = await call(server, 'GET', '/api/v1/approvals?status=pending&scope=all');
    const task = tasks.body.find((candidate: { instanceId: string }) => candidate.instanceId === runId);
    clock.advance('5m');
    expect((await call(server, 'POST', `/api/v1/approvals/${task.id}/decision`, { decision: 'approve' })).status).toBe(200);
    await server.worker!.drain();
    expect((await call(server, 'GET', `/api/v1/instances/${runId}`)).body.status).toBe('completed');
    await server.telemetry.flush();

    const spans = receiver.spans;
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([CALLER.traceId]));
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['cairn-test']));
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
    const one = (predicate: (span: ReceivedSpan) => boolean, what: string) => {
      const found = spans.filter(predicate);
      expect(found, what).toHaveLength(1);
      return found[0];
    };
    const root = one((span) => span.name === 'run expense', 'the root span');
    expect(root.parentSpanId).toBe(CALLER.spanId);
    expect(root.attributes).toMatchObject({ 'cairn.run.id': runId, 'cairn.workflow': 'expense', 'cairn.workflow.version': 1, 'cairn.run.status': 'completed' });
    expect(root.start).toBe(Date.UTC(2026, 2, 2, 9));
    const visit = (nodeId: string) => one((span) => span.attributes['cairn.node.id'] === nodeId && span.parentSpanId === root.spanId, `the visit of ${nodeId}`);
    for (const nodeId of ['start', 'charge', 'nap', 'review', 'child', 'end']) expect(visit(nodeId).name).toMatch(new RegExp(` ${nodeId}$`));

    // The step: two attempts (the first failed and retried after a 10 s back-off) under its visit.
    const charge = visit('charge');
    const attempts = spans.filter((span) => span.parentSpanId === charge.spanId && span.name === 'step http.request').sort((a, b) => a.start - b.start);
    expect(attempts.map((span) => [span.attributes['cairn.attempt'], span.attributes['cairn.attempt.outcome']])).toEqual([[1, 'failed'], [2, 'succeeded']]);
    expect(attempts[0].attributes['error.type']).toBeDefined();
    expect(attempts[0].status?.code).toBe(2);
    const backoff = one((span) => span.parentSpanId === charge.spanId && span.name === 'wait retry', 'the retry back-off');
    expect(backoff.attributes).toMatchObject({ 'cairn.wait.kind': 'retry', 'cairn.wait.planned_ms': 10_000, 'cairn.wait.actual_ms': 10_000, 'cairn.queue_delay_ms': 0 });
    expect(attempts[1].attributes['cairn.queue_delay_ms']).toBe(0);

    // Each request the step sent carried its own attempt's span as the parent.
    expect(target.seen.map((headers) => headers.traceparent)).toEqual(attempts.map((span) => `00-${CALLER.traceId}-${span.spanId}-01`));

    // The wait began in the first process and ended in the second: planned one hour, as long in fact.
    const nap = one((span) => span.parentSpanId === visit('nap').spanId, 'the timer wait');
    expect(nap.name).toBe('wait timer');
    expect(nap.attributes).toMatchObject({ 'cairn.wait.kind': 'timer', 'cairn.wait.planned_ms': 3_600_000, 'cairn.wait.actual_ms': 3_600_000, 'cairn.queue_delay_ms': 0 });

    const approval = one((span) => span.parentSpanId === visit('review').spanId, 'the approval wait');
    expect(approval.attributes).toMatchObject({ 'cairn.wait.kind': 'approval', 'cairn.approval.decision': 'approved', 'cairn.approval.task_id': task.id, 'cairn.wait.actual_ms': 300_000 });
    expect(visit('review').attributes['cairn.node.port']).toBe('approved');

    // The child run is its own run in the same trace, under the subflow visit.
    const subflow = visit('child');
    const kid = one((span) => span.name === 'run kid', 'the child run');
    expect(kid.parentSpanId).toBe(subflow.spanId);
    expect(kid.attributes['cairn.run.parent_id']).toBe(runId);
    expect(subflow.attributes['cairn.child.run_id']).toBe(kid.attributes['cairn.run.id']);
    expect(spans.filter((span) => span.parentSpanId === kid.spanId).map((span) => span.name).sort()).toEqual(['end done', 'start start']);
    expect(receiver.requests.every((request) => request.contentType?.startsWith('application/json'))).toBe(true);
  });

  it('a malformed traceparent is ignored (a trace of its own) and a huge one refused', async () => {
    const receiver = await startOtlpReceiver();
    cleanups.push(receiver.close);
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const clock = new FakeClock();
    const server = await serve(database, clock, receiver.endpoint);
    cleanups.push(() => server.close());
    await publish(server, 'hello', buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']));
    const start = (traceparent: string) => call(server, 'POST', '/api/v1/workflows/hello/instances', { input: {} }, { traceparent });

    const malformed = ['garbage', `00-${'0'.repeat(32)}-${CALLER.spanId}-01`, `00-${CALLER.traceId}-${'0'.repeat(16)}-01`, `ff-${CALLER.traceId}-${CALLER.spanId}-01`, `00-${CALLER.traceId.toUpperCase()}-${CALLER.spanId}-01`];
    for (const traceparent of malformed) expect((await start(traceparent)).status).toBe(201);
    const huge = await start(`00-${CALLER.traceId}-${CALLER.spanId}-01-${'x'.repeat(2_000)}`);
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toMatch(/traceparent/);
    await server.worker!.drain();
    await server.telemetry.flush();
    const roots = receiver.spans.filter((span) => span.name === 'run hello');
    expect(roots).toHaveLength(malformed.length);
    expect(roots.every((span) => span.parentSpanId === undefined && span.traceId !== CALLER.traceId && /^[0-9a-f]{32}$/.test(span.traceId))).toBe(true);
    expect(new Set(roots.map((span) => span.traceId)).size).toBe(malformed.length);
    // The refused start made no run.
    expect((await call(server, 'GET', '/api/v1/instances?workflow=hello')).body.runs).toHaveLength(malformed.length);
  });

  it('a traceparent on a webhook start is the run\'s parent, as on a REST start', async () => {
    const receiver = await startOtlpReceiver();
    cleanups.push(receiver.close);
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const server = await serve(database, new FakeClock(), receiver.endpoint);
    cleanups.push(() => server.close());
    await publish(server, 'hooked', buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']));
    const { trigger, secret } = await server.services.triggers!.createWebhook('hooked', 'admin');
    const post = (traceparent: string) =>
      fetch(`${server.url}${trigger.path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', traceparent }, body: '{}' });

    expect((await post(`00-${CALLER.traceId}-${CALLER.spanId}-01`)).status).toBe(202);
    const huge = await post(`00-${CALLER.traceId}-${CALLER.spanId}-01-${'x'.repeat(2_000)}`);
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/traceparent/);
    await server.worker!.drain();
    await server.telemetry.flush();
    const roots = receiver.spans.filter((span) => span.name === 'run hooked');
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ traceId: CALLER.traceId, parentSpanId: CALLER.spanId });
  });

  it('log lines written during an attempt carry the run, node, trace and span ids (nothing exported)', async () => {
    const lines: Record<string, unknown>[] = [];
    const chatty = defineAction({ name: 'chatty', description: 'test: logs one line', input: z.object({}), run: (_input, ctx) => void ctx.logger.info('charging the card') });
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const logger = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
    const server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger, sync: 'normal', adminToken: ADMIN, seed: false, actions: [chatty] });
    cleanups.push(() => server.close());
    expect(server.telemetry.tracing).toBe(false);
    await publish(server, 'talk', buildGraph([['start', 'start'], ['say', 'step', { action: 'chatty' }], ['end', 'end']], ['start.next -> say', 'say.ok -> end']));
    const { body } = await call(server, 'POST', '/api/v1/workflows/talk/instances', { input: {} }, { traceparent: `00-${CALLER.traceId}-${CALLER.spanId}-01` });
    await server.worker!.drain();
    const line = lines.find((entry) => entry.message === 'charging the card');
    const trace = { traceId: CALLER.traceId, parentSpanId: CALLER.spanId, sampled: true };
    expect(line).toMatchObject({ level: 'info', instanceId: body.id, nodeId: 'say', action: 'chatty', traceId: CALLER.traceId, spanId: spanIdOf(trace, body.id, { of: 'attempt', nodeId: 'say', visit: 1, attempt: 1 }) });
  });
});
