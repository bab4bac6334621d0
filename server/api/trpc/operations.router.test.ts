// tRPC operations.* (issue 18) against a real server on 127.0.0.1, on both databases: pause and
// resume, a queued run's place, the concurrency limit, bulk preview/start/progress — and hostile
// input to each, refused with a message naming what is wrong, with nothing lost and other runs
// unaffected.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../../testing/graphs.js';
import { until } from '../../testing/harness.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import type { AppRouter } from './router.js';

const HOUR = 3_600_000;
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const napThenHold = buildGraph(
  [['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['hold', 'event', { event: 'go' }], ['end', 'end']],
  ['start.next -> nap', 'nap.next -> hold', 'hold.received -> end'],
);

function clientFor(server: TestServer, token = ADMIN_TOKEN) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });
}

/** The refusal a call ends in: its tRPC code and message (the server's sentence or zod's issues). */
async function refusal(call: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should have been refused').toBeInstanceOf(TRPCClientError);
  return { code: (error as TRPCClientError<AppRouter>).data?.code, message: (error as Error).message };
}

async function publishedWorkflow(server: TestServer, slug: string) {
  const trpc = clientFor(server);
  await trpc.workflows.saveDraft.mutate({ slug, name: slug, graph: napThenHold });
  await trpc.workflows.publish.mutate({ slug });
  return trpc;
}

async function tokenFor(server: TestServer, role: string): Promise<string> {
  return (await server.call('POST', '/api/v1/tokens', { body: { name: `${role}-token`, role } })).body.token as string;
}

describe('tRPC operations', () => {
  it('pauses and resumes a run: its due timer waits while paused; refusals name what is wrong', async () => {
    t = await startTestServer();
    const trpc = await publishedWorkflow(t, 'ops');
    const run = await trpc.runs.start.mutate({ workflow: 'ops', input: {} });
    const other = await trpc.runs.start.mutate({ workflow: 'ops', input: {} });
    await t.worker.drain();

    expect(await trpc.operations.pause.mutate({ id: run.id, reason: 'supplier outage' })).toEqual({ id: run.id, status: 'pausing' });
    await t.worker.drain();
    expect((await trpc.runs.get.query({ id: run.id })).status).toBe('paused');
    t.clock.advance(2 * HOUR);
    await t.worker.drain();
    // The paused run's timer came due and waited; the other run went on to its event node.
    expect((await trpc.runs.get.query({ id: run.id })).status).toBe('paused');
    expect(await trpc.runs.get.query({ id: other.id })).toMatchObject({ status: 'waiting', waitingOn: [{ nodeId: 'hold' }] });

    // Hostile and impossible requests, each refused before anything is stored.
    expect(await refusal(trpc.operations.pause.mutate({ id: run.id }))).toEqual({ code: 'CONFLICT', message: `run "${run.id}" is already paused` });
    expect(await refusal(trpc.operations.pause.mutate({ id: 'no-such-run' }))).toEqual({ code: 'NOT_FOUND', message: 'no run with id "no-such-run"' });
    expect(await refusal(trpc.operations.resume.mutate({ id: other.id }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is not paused (it is waiting)') });
    const hostile: [unknown, string][] = [
      [{ id: '' }, 'id'],
      [{ id: 'x'.repeat(5_000) }, 'id'],
      [{ id: run.id, reason: 42 }, 'reason must be text'],
      [{ id: run.id, reason: 'x'.repeat(5_000) }, 'reason must be text of at most 1,000 characters'],
      [{ id: run.id, now: 'please' }, 'now'],
      [{ id: { $gt: '' } }, 'id'],
      ['everything', 'object'],
    ];
    for (const [input, words] of hostile) {
      expect(await refusal(trpc.operations.pause.mutate(input as never)), JSON.stringify(input).slice(0, 60)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(words) });
    }
    expect(await refusal(trpc.operations.resume.mutate({ id: run.id, extra: 1 } as never))).toMatchObject({ code: 'BAD_REQUEST' });

    // Signed out, and a token whose role may not touch runs.
    const approver = await tokenFor(t, 'approver');
    expect(await refusal(clientFor(t, '').operations.resume.mutate({ id: run.id }))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal(clientFor(t, approver).operations.resume.mutate({ id: run.id }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('runs:write') });
    expect(await refusal(clientFor(t, approver).operations.queuePosition.query({ id: run.id }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await trpc.runs.get.query({ id: run.id })).status).toBe('paused');

    // Resume: the timer that came due meanwhile fires now.
    expect(await trpc.operations.resume.mutate({ id: run.id })).toEqual({ id: run.id, status: 'resuming' });
    await t.worker.drain();
    expect(await trpc.runs.get.query({ id: run.id })).toMatchObject({ status: 'waiting', waitingOn: [{ nodeId: 'hold', kind: 'signal' }] });
    const history = await trpc.runs.history.query({ id: run.id });
    expect(history.events.map((event) => event.type)).toEqual(expect.arrayContaining(['runPaused', 'runResumed']));
    expect(history.events.find((event) => event.type === 'runPaused')).toMatchObject({ data: { by: 'admin-token', reason: 'supplier outage' } });
  });

  it('a workflow’s concurrency limit queues runs with their position; bad limits are refused naming the range', async () => {
    t = await startTestServer();
    const trpc = await publishedWorkflow(t, 'limited');
    expect(await trpc.operations.concurrency.query({ slug: 'limited' })).toEqual({ workflow: 'limited', limit: null, inFlight: 0, queued: 0 });
    expect(await trpc.operations.setConcurrency.mutate({ slug: 'limited', limit: 2 })).toMatchObject({ limit: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await trpc.runs.start.mutate({ workflow: 'limited', input: { i } })).id);
    await t.worker.drain();
    expect(await trpc.operations.queuePosition.query({ id: ids[4] })).toEqual({ id: ids[4], queued: true, position: 3 });
    expect(await trpc.operations.queuePosition.query({ id: ids[0] })).toEqual({ id: ids[0], queued: false, position: null });
    expect(await trpc.operations.concurrency.query({ slug: 'limited' })).toMatchObject({ limit: 2, inFlight: 2, queued: 3 });
    expect(await refusal(trpc.operations.pause.mutate({ id: ids[4] }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is queued') });

    const LIMIT = 'limit must be a whole number from 1 to 100,000, or null for no limit';
    // (NaN and Infinity cannot be sent: JSON writes them as null, which is "no limit".)
    for (const limit of [0, -1, 1.5, 100_001, 1e308, '5', true, {}, [3], undefined]) {
      expect(await refusal(trpc.operations.setConcurrency.mutate({ slug: 'limited', limit } as never)), String(limit)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(LIMIT) });
    }
    for (const slug of ['', 'x'.repeat(200)]) expect(await refusal(trpc.operations.concurrency.query({ slug }))).toMatchObject({ code: 'BAD_REQUEST' });
    for (const slug of ['nope', '__proto__', 'constructor']) {
      expect(await refusal(trpc.operations.setConcurrency.mutate({ slug, limit: 3 }))).toEqual({ code: 'NOT_FOUND', message: `no workflow "${slug}"` });
    }
    expect(await refusal(trpc.operations.queuePosition.query({ id: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    const approver = await tokenFor(t, 'approver');
    expect(await refusal(clientFor(t, approver).operations.setConcurrency.mutate({ slug: 'limited', limit: 1 }))).toMatchObject({ code: 'FORBIDDEN' });
    // Nothing the refusals asked for happened: the limit and the queue are as they were.
    expect(await trpc.operations.concurrency.query({ slug: 'limited' })).toMatchObject({ limit: 2, inFlight: 2, queued: 3 });

    // Clearing the limit admits the queued runs at once.
    expect(await trpc.operations.setConcurrency.mutate({ slug: 'limited', limit: null })).toMatchObject({ limit: null });
    await t.worker.drain();
    expect(await trpc.operations.concurrency.query({ slug: 'limited' })).toMatchObject({ inFlight: 5, queued: 0 });
  });

  it('bulk actions: preview, confirmation by count, progress to the end; a run outside the filter untouched; hostile filters named', async () => {
    t = await startTestServer();
    const trpc = await publishedWorkflow(t, 'bulk');
    await publishedWorkflow(t, 'bystander');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await trpc.runs.start.mutate({ workflow: 'bulk', input: { i } })).id);
    const bystander = await trpc.runs.start.mutate({ workflow: 'bystander', input: {} });
    await t.worker.drain();

    const filter = { workflow: 'bulk', status: 'waiting' as const, waitingAt: 'nap' };
    expect(await trpc.operations.bulk.preview.query({ action: 'cancel', filter })).toEqual({ action: 'cancel', filter, count: 12 });
    expect(await refusal(trpc.operations.bulk.start.mutate({ action: 'cancel', filter } as never))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('expectedCount must be the number of runs the preview showed') });
    expect(await refusal(trpc.operations.bulk.start.mutate({ action: 'cancel', filter, expectedCount: 11 }))).toEqual({ code: 'CONFLICT', message: 'the filter now matches 12 run(s), not the 11 confirmed; preview again' });
    expect((await trpc.runs.counts.query({ workflow: 'bulk' })).cancelled).toBe(0);

    const job = await trpc.operations.bulk.start.mutate({ action: 'cancel', filter, expectedCount: 12 });
    expect(job).toMatchObject({ action: 'cancel', total: 12, createdBy: 'admin-token' });
    await until(async () => (await trpc.operations.bulk.get.query({ id: job.id })).status === 'completed', { what: 'the bulk job to finish' });
    await t.worker.drain();
    expect(await trpc.operations.bulk.get.query({ id: job.id })).toMatchObject({ status: 'completed', processed: 12, succeeded: 12, skipped: 0 });
    expect((await trpc.runs.counts.query({ workflow: 'bulk' })).cancelled).toBe(12);
    expect((await trpc.runs.get.query({ id: bystander.id })).status).toBe('waiting');
    expect((await trpc.operations.bulk.list.query()).map((listed) => listed.id)).toEqual([job.id]);

    const hostile: [unknown, string][] = [
      [{ action: 'delete', filter: {} }, 'action must be one of cancel, retry, pause, resume'],
      [{ action: 'cancel', filter: { status: 'sleeping' } }, 'status must be one of'],
      [{ action: 'cancel', filter: { version: 'two' } }, 'version must be a whole number'],
      [{ action: 'cancel', filter: { version: 1e20 } }, 'version'],
      [{ action: 'cancel', filter: { startedAfter: 'yesterday' } }, 'startedAfter must be an ISO 8601 date-time'],
      [{ action: 'cancel', filter: { owner: 'me' } }, 'unknown filter field(s): owner'],
      [{ action: 'cancel', filter: { ['__proto__']: { status: 'waiting' } } }, 'unknown filter field(s)'],
      [{ action: 'cancel', filter: 'everything' }, 'filter'],
      [{ action: 'cancel', filter: { waitingAt: 'x'.repeat(5_000) } }, 'waitingAt'],
      [{ action: 'cancel', filter: {}, expectedCount: 3 }, 'unknown field(s): expectedCount'],
    ];
    for (const [input, words] of hostile) {
      expect(await refusal(trpc.operations.bulk.preview.query(input as never)), JSON.stringify(input).slice(0, 80)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(words) });
    }
    for (const expectedCount of [-1, 1.5, '12', null]) {
      expect(await refusal(trpc.operations.bulk.start.mutate({ action: 'pause', filter: {}, expectedCount } as never)), String(expectedCount)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('expectedCount') });
    }
    expect(await refusal(trpc.operations.bulk.preview.query({ action: 'cancel', filter: { startedAfter: '2026-01-02T00:00:00Z', startedBefore: '2026-01-01T00:00:00Z' } }))).toMatchObject({ code: 'BAD_REQUEST', message: 'startedAfter must be earlier than startedBefore' });
    expect(await refusal(trpc.operations.bulk.preview.query({ action: 'cancel', filter: { workflow: 'nope' } }))).toEqual({ code: 'NOT_FOUND', message: 'no workflow "nope"' });
    expect(await refusal(trpc.operations.bulk.get.query({ id: 'no-such-job' }))).toEqual({ code: 'NOT_FOUND', message: 'no bulk job with id "no-such-job"' });
    expect(await refusal(trpc.operations.bulk.get.query({ id: 'x'.repeat(500) }))).toMatchObject({ code: 'BAD_REQUEST' });
    const approver = await tokenFor(t, 'approver');
    expect(await refusal(clientFor(t, approver).operations.bulk.preview.query({ action: 'cancel', filter: {} }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(clientFor(t, approver).operations.bulk.start.mutate({ action: 'cancel', filter: {}, expectedCount: 1 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(clientFor(t, approver).operations.bulk.list.query())).toMatchObject({ code: 'FORBIDDEN' });
    // None of the refusals made a job or touched a run.
    expect(await trpc.operations.bulk.list.query()).toHaveLength(1);
    expect((await trpc.runs.get.query({ id: bystander.id })).status).toBe('waiting');

    // A filter that matches nothing makes a job that is done at once, with nothing to do.
    const empty = await trpc.operations.bulk.start.mutate({ action: 'resume', filter: { workflow: 'bulk', status: 'paused' }, expectedCount: 0 });
    expect(empty).toMatchObject({ status: 'completed', total: 0, processed: 0 });
  });
});
