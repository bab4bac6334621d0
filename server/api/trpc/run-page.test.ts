// What the run page reads, against the real server: a run's detail without its graph or history
// (with the revision and the event count), its history after a sequence number in bounded pages
// (hostile input refused, naming the field), live notices that carry the revision, and inbox
// notices that come from the engine whichever API took the decision.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../../testing/graphs.js';
import { until } from '../../testing/harness.js';
import { eventsAfterLoops, EVENTS_PER_TICK, LONG_HISTORY_SLUG, longHistoryGraph } from '../../testing/long-history.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import type { AppRouter } from './router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function clientFor(server: TestServer, token = ADMIN_TOKEN) {
  const authorization = `Bearer ${token}`;
  const url = `${server.server.url}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization } }) }) }),
        false: httpBatchLink({ url, headers: { authorization } }),
      }),
    ],
  });
}

async function longRun(server: TestServer, loops: number) {
  const trpc = clientFor(server);
  await trpc.workflows.saveDraft.mutate({ slug: LONG_HISTORY_SLUG, graph: longHistoryGraph });
  await trpc.workflows.publish.mutate({ slug: LONG_HISTORY_SLUG });
  const run = await trpc.runs.start.mutate({ workflow: LONG_HISTORY_SLUG, input: { loops } });
  await server.worker.drain();
  return { trpc, id: run.id };
}

const refusal = (error: unknown) => {
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: (error as TRPCClientError<AppRouter>).data?.code, message: (error as Error).message };
};

describe('the run page’s reads', () => {
  it('the detail carries the revision and the event count; the history comes after a sequence number, in bounded pages', async () => {
    t = await startTestServer();
    const { trpc, id } = await longRun(t, 40);
    const detail = await trpc.runs.detail.query({ id });
    expect(detail.run).toMatchObject({ id, status: 'waiting', waitingOn: [{ nodeId: 'listen', kind: 'signal', on: 'tick' }] });
    expect(detail.historyCount).toBe(eventsAfterLoops(40));
    expect(detail).not.toHaveProperty('graph');
    expect(detail).not.toHaveProperty('history');

    // Paged by 100: each page starts where the last ended, and the pages add up to the whole history.
    const pages: number[][] = [];
    let afterSeq = 0;
    for (let more = true; more; ) {
      const page = await trpc.runs.history.query({ id, afterSeq, limit: 100 });
      pages.push(page.events.map((event) => event.seq));
      afterSeq = page.events.at(-1)?.seq ?? afterSeq;
      more = page.more;
    }
    expect(pages.map((page) => page.length)).toEqual([100, 100, eventsAfterLoops(40) - 200]);
    expect(pages.flat()).toEqual(Array.from({ length: detail.historyCount }, (_, index) => index + 1));
    // Without a limit, a page holds at most 1,000; after the last event, nothing.
    expect((await trpc.runs.history.query({ id })).events).toHaveLength(detail.historyCount);
    expect(await trpc.runs.history.query({ id, afterSeq: detail.historyCount })).toEqual({ events: [], more: false });

    // Typed events: the loop's counter is what the count step completed with.
    const { events } = await trpc.runs.history.query({ id, afterSeq: detail.historyCount - 6, limit: 6 });
    expect(events.map((event) => event.type)).toEqual(['nodeEntered', 'stepAttemptStarted', 'nodeCompleted', 'nodeEntered', 'nodeCompleted', 'nodeEntered']);
    expect(events[2]).toMatchObject({ nodeId: 'count', data: { port: 'ok', output: 40 } });

    // A tick later: only the new events after the ones held.
    await trpc.runs.signal.mutate({ id, name: 'tick', data: 1 });
    await t.worker.drain();
    const after = await trpc.runs.detail.query({ id });
    expect(after.rev).toBeGreaterThan(detail.rev);
    const fresh = await trpc.runs.history.query({ id, afterSeq: detail.historyCount });
    expect(fresh.events.map((event) => event.type)).toEqual(['signalReceived', 'nodeCompleted', 'nodeEntered']);
    expect(after.historyCount).toBe(detail.historyCount + EVENTS_PER_TICK);
  });

  it('refuses hostile history requests with the field named, and goes on serving the others', async () => {
    t = await startTestServer();
    const { trpc, id } = await longRun(t, 3);
    const bad: [unknown, RegExp][] = [
      [{ id, afterSeq: -1 }, /afterSeq/],
      [{ id, afterSeq: 1.5 }, /afterSeq/],
      [{ id, afterSeq: '0' }, /afterSeq/],
      [{ id, afterSeq: 2 ** 53 }, /afterSeq/],
      [{ id, afterSeq: null }, /afterSeq/],
      [{ id, limit: 0 }, /limit/],
      [{ id, limit: 1_001 }, /limit/],
      [{ id, limit: 1e308 }, /limit/],
      [{ id, limit: { $gt: 0 } }, /limit/],
      [{ id: 'x'.repeat(101) }, /id/],
      [{ id: '' }, /id/],
      [{ afterSeq: 0 }, /id/],
    ];
    for (const [input, field] of bad) {
      const error = await trpc.runs.history.query(input as never).catch((caught: unknown) => caught);
      const { code, message } = refusal(error);
      expect(code, JSON.stringify(input)).toBe('BAD_REQUEST');
      expect(message, JSON.stringify(input)).toMatch(field);
    }
    const missing = refusal(await trpc.runs.history.query({ id: 'no-such-run' }).catch((caught: unknown) => caught));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('no-such-run');

    // Reading is for those who may read runs.
    const { token } = (await t.call('POST', '/api/v1/tokens', { body: { role: 'approver' } })).body;
    expect(refusal(await clientFor(t, token).runs.history.query({ id }).catch((caught: unknown) => caught)).code).toBe('FORBIDDEN');

    // Nothing was harmed: the run's history is served whole, and the run still takes signals.
    expect((await trpc.runs.history.query({ id })).events).toHaveLength(eventsAfterLoops(3));
    await trpc.runs.signal.mutate({ id, name: 'tick', data: null });
    await t.worker.drain();
    expect((await trpc.runs.detail.query({ id })).historyCount).toBe(eventsAfterLoops(3) + EVENTS_PER_TICK);
  });

  it('a run’s live notices carry its revision, the first one where the run is now', async () => {
    t = await startTestServer();
    const { trpc, id } = await longRun(t, 2);
    const { rev } = await trpc.runs.detail.query({ id });
    const seen: { status: string; rev: number }[] = [];
    const subscription = trpc.runs.onChange.subscribe({ id }, { onData: (change) => void seen.push({ status: change.status, rev: change.rev }) });
    try {
      await until(() => seen.length > 0, { what: 'where the run is now' });
      expect(seen).toEqual([{ status: 'waiting', rev }]);
      await trpc.runs.signal.mutate({ id, name: 'tick', data: null });
      await until(() => seen.length > 1, { what: 'the notice of the tick' });
      expect(seen[1].rev).toBeGreaterThan(rev);
      expect(seen[1].rev).toBe((await trpc.runs.detail.query({ id })).rev);
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe('inbox notices', () => {
  it('come from the engine: a decision taken over REST reaches the web app’s inbox subscription', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    const graph = buildGraph(
      [['start', 'start'], ['ok', 'approval', { title: 'Go ahead?', assignees: { roles: ['admin'] } }], ['next', 'event', { event: 'go' }], ['end', 'end']],
      ['start.next -> ok', 'ok.approved -> next', 'next.received -> end'],
    );
    await trpc.workflows.saveDraft.mutate({ slug: 'ask', graph });
    await trpc.workflows.publish.mutate({ slug: 'ask' });
    await trpc.runs.start.mutate({ workflow: 'ask', input: {} });
    await trpc.runs.start.mutate({ workflow: 'ask', input: {} });
    await t.worker.drain();
    const [first, second] = await trpc.approvals.list.query({});

    let changes = 0;
    let started = false;
    const inbox = trpc.approvals.onChange.subscribe(undefined, { onData: (change) => void (change.changed ? changes++ : (started = true)) });
    try {
      await until(() => started, { what: 'the inbox subscription to start' });
      // The runs go on to wait for a signal: their checkpoints create and close no task, so only the
      // engine's notice of the decision tells the inbox.
      expect((await t.call('POST', `/api/v1/approvals/${encodeURIComponent(first.id)}/decision`, { body: { decision: 'approve' } })).status).toBe(200);
      await until(() => changes > 0, { what: 'the inbox to hear of the REST decision' });
      const before = changes;
      await trpc.approvals.decide.mutate({ id: second.id, decision: 'approve' });
      await until(() => changes > before, { what: 'the inbox to hear of the tRPC decision' });
    } finally {
      inbox.unsubscribe();
    }
  });
});
