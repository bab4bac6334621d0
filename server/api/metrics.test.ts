// Issue 18 acceptance, metrics: after a known workload /metrics parses as Prometheus text and its
// counters equal what happened; timer lag, the timer backlog and pending-approval age move with the
// fake clock; the endpoint (and the metrics port) refuse a request without the right token. Runs
// on both databases.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from '../engine/clock.js';
import { NonRetryableError, RetryableError } from '../engine/errors.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { buildGraph } from '../testing/graphs.js';
import { parsePrometheusText, sampleValue, type Sample } from '../testing/prometheus-text.js';
import { createTestDatabase } from '../testing/test-database.js';

const ADMIN = 'metrics-test-admin-token-0123456789';
const METRICS = 'metrics-scrape-token-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const seen = new Map<string, number>();
const flaky = defineAction({
  name: 'flaky',
  description: 'test: fails the first attempt of each run, then succeeds',
  input: z.object({ key: z.string() }),
  run: ({ key }) => {
    const calls = (seen.get(key) ?? 0) + 1;
    seen.set(key, calls);
    if (calls === 1) throw new RetryableError('not yet', { code: 'NOT_YET' });
    return { ok: true };
  },
});
const doomed = defineAction({ name: 'doomed', description: 'test: always refuses', input: z.object({}), run: () => { throw new NonRetryableError('never', { code: 'NEVER' }); } });

async function setUp(telemetry: { metricsToken?: string; metricsPort?: number }) {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  const clock = new FakeClock(Date.UTC(2026, 4, 4, 8));
  const server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock, logger: silentLogger, sync: 'normal', adminToken: ADMIN, seed: false, actions: [flaky, doomed], telemetry });
  cleanups.push(() => server.close());
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const publish = async (slug: string, graph: unknown) => {
    await call('PUT', `/api/v1/workflows/${slug}`, { name: slug, graph });
    expect((await call('POST', `/api/v1/workflows/${slug}/publish`, {})).status).toBe(201);
  };
  const start = async (slug: string, input: unknown = {}) => (await call('POST', `/api/v1/workflows/${slug}/instances`, { input })).body.id as string;
  return { server, clock, call, publish, start };
}

async function scrape(server: CairnServer, token = METRICS): Promise<Sample[]> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(await response.text());
}

const value = sampleValue;
/** A histogram's count and sum for the series with `labels`. */
const histogram = (samples: Sample[], name: string, labels: Record<string, string> = {}) => ({ count: value(samples, `${name}_count`, labels), sum: value(samples, `${name}_sum`, labels) });

describe('metrics', () => {
  it('counters equal a known workload; lag, backlog and approval age move with the clock', async () => {
    const { server, clock, call, publish, start } = await setUp({ metricsToken: METRICS });
    await publish('retrying', buildGraph([['start', 'start'], ['go', 'step', { action: 'flaky', input: { key: '{{ input.key }}' }, retry: { maxAttempts: 3, initialInterval: '1s', jitter: 0 } }], ['end', 'end']], ['start.next -> go', 'go.ok -> end']));
    await publish('failing', buildGraph([['start', 'start'], ['go', 'step', { action: 'doomed' }], ['end', 'end']], ['start.next -> go', 'go.ok -> end']));
    await publish('gated', buildGraph([['start', 'start'], ['ok', 'approval', { title: 'Go?', assignees: { users: ['ann'] } }], ['end', 'end']], ['start.next -> ok', 'ok.approved -> end']));
    await publish('listening', buildGraph([['start', 'start'], ['hear', 'event', { event: 'go' }], ['end', 'end']], ['start.next -> hear', 'hear.received -> end']));
    await publish('napping', buildGraph([['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['end', 'end']], ['start.next -> nap', 'nap.next -> end']));

    for (const key of ['a', 'b', 'c']) await start('retrying', { key });
    await start('failing');
    const gated = [await start('gated'), await start('gated')];
    const listening = [await start('listening'), await start('listening')];
    await server.worker!.drain();
    clock.advance('1s');
    await server.worker!.drain();
    for (const id of listening) expect((await call('POST', `/api/v1/instances/${id}/signals/go`, { data: { n: 1 } })).status).toBe(202);
    expect((await call('POST', `/api/v1/instances/${gated[1]}/cancel`, {})).status).toBe(202);
    await server.worker!.drain();

    let m = await scrape(server);
    expect(value(m, 'cairn_runs_started_total', { workflow: 'retrying', version: '1' })).toBe(3);
    expect(value(m, 'cairn_runs_finished_total', { workflow: 'retrying', status: 'completed' })).toBe(3);
    expect(value(m, 'cairn_runs_finished_total', { workflow: 'failing', status: 'failed' })).toBe(1);
    expect(value(m, 'cairn_runs_finished_total', { workflow: 'gated', status: 'cancelled' })).toBe(1);
    expect(value(m, 'cairn_runs_finished_total', { workflow: 'listening', status: 'completed' })).toBe(2);
    expect(value(m, 'cairn_step_attempts_total', { action: 'flaky', outcome: 'failed' })).toBe(3);
    expect(value(m, 'cairn_step_attempts_total', { action: 'flaky', outcome: 'succeeded' })).toBe(3);
    expect(value(m, 'cairn_step_attempts_total', { action: 'doomed', outcome: 'failed' })).toBe(1);
    expect(value(m, 'cairn_step_retries_total', { action: 'flaky' })).toBe(3);
    expect(value(m, 'cairn_signals_received_total', { workflow: 'listening' })).toBe(2);
    expect(histogram(m, 'cairn_run_history_events').count).toBe(7); // the runs that ended
    expect(histogram(m, 'cairn_timer_lag_seconds', { purpose: 'retry' })).toEqual({ count: 3, sum: 0 });
    expect(histogram(m, 'cairn_checkpoint_batch_size').count).toBeGreaterThan(0);
    expect(histogram(m, 'cairn_schedule_to_start_seconds', { kind: 'inbox' }).count).toBe(3); // two signals and a cancel
    expect(value(m, 'cairn_runs', { status: 'waiting' })).toBe(1);
    expect(value(m, 'cairn_runs', { status: 'completed' })).toBe(5);
    expect(value(m, 'cairn_runs_waiting', { kind: 'approval' })).toBe(1);
    expect(value(m, 'cairn_pending_approvals', { age: '<1h' })).toBe(1);
    expect(value(m, 'cairn_oldest_pending_approval_age_seconds')).toBe(1);

    // The clock moves while no worker runs: the approval ages into the next bucket, the due timer is backlog.
    await start('napping');
    await server.worker!.drain();
    await server.worker!.stop();
    clock.advance('2h');
    m = await scrape(server);
    expect(value(m, 'cairn_pending_approvals', { age: '<1h' })).toBe(0);
    expect(value(m, 'cairn_pending_approvals', { age: '1h-1d' })).toBe(1);
    expect(value(m, 'cairn_oldest_pending_approval_age_seconds')).toBe(7_201);
    expect(value(m, 'cairn_timer_backlog')).toBe(1);
    expect(value(m, 'cairn_runs_waiting', { kind: 'timer' })).toBe(1);
    // The worker is back: the wait fires one hour after it was due.
    await server.worker!.start();
    await server.worker!.drain();
    m = await scrape(server);
    expect(value(m, 'cairn_timer_backlog')).toBe(0);
    expect(histogram(m, 'cairn_timer_lag_seconds', { purpose: 'wait' })).toEqual({ count: 1, sum: 3_600 });
    expect(value(m, 'cairn_runs_finished_total', { workflow: 'napping', status: 'completed' })).toBe(1);
  });

  it('refuses /metrics without the token, with a wrong one, and when no token is set; the metrics port too', async () => {
    const { server } = await setUp({ metricsToken: METRICS, metricsPort: 0 });
    const get = (url: string, authorization?: string) => fetch(url, { headers: authorization ? { authorization } : {} });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${METRICS}`, `Bearer ${METRICS}x`, `Bearer ${ADMIN}`]) {
      const response = await get(`${server.url}/metrics`, authorization);
      expect(response.status, authorization).toBe(401);
      expect(((await response.json()) as any).error.code).toBe('UNAUTHENTICATED');
      expect((await get(server.metricsUrl!, authorization)).status).toBe(401);
    }
    expect((await get(server.metricsUrl!, `Bearer ${METRICS}`)).status).toBe(200);
    expect(await (await get(server.metricsUrl!, `Bearer ${METRICS}`)).text()).toMatch(/^# HELP cairn_/m);
    expect((await get(server.metricsUrl!.replace('/metrics', '/api/v1/health'))).status).toBe(404);

    const bare = await setUp({});
    const refused = await get(`${bare.server.url}/metrics`, `Bearer ${METRICS}`);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as any).error.message).toMatch(/CAIRN_METRICS_TOKEN/);
  });
});
