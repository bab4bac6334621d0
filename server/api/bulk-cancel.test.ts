// A bulk cancel of 10,000 waiting runs by filter (issue 18), against a real server on 127.0.0.1:
// while the job runs, other requests over real HTTP are answered with a p99 under 100 ms; the job
// reports progress as it goes and ends with the count; every matched run ends cancelled and the
// runs the filter left out are untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

const RUNS = 10_000;
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const waitForGo = buildGraph([['start', 'start'], ['hold', 'event', { event: 'go' }], ['end', 'end']], ['start.next -> hold', 'hold.received -> end']);

describe('bulk cancel', () => {
  it('cancels 10,000 waiting runs by filter while the API stays responsive, reporting progress', async () => {
    t = await startTestServer();
    for (const slug of ['bulk', 'other']) {
      await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: waitForGo } });
      await t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
    }
    // Seeded in process (the API's own start path), 500 at a time.
    for (let done = 0; done < RUNS; done += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => t!.server.engine.startRun({ workflow: 'bulk', input: { i: done + i } })));
    }
    const bystander = await t.server.engine.startRun({ workflow: 'other', input: {} });
    await t.worker.drain();

    const filter = { workflow: 'bulk', status: 'waiting', waitingAt: 'hold' };
    const preview = await t.call('POST', '/api/v1/bulk-actions/preview', { body: { action: 'cancel', filter } });
    expect(preview.body.count).toBe(RUNS);
    const created = await t.call('POST', '/api/v1/bulk-actions', { body: { action: 'cancel', filter, expectedCount: RUNS } });
    expect(created.status).toBe(202);

    // Other requests meanwhile, one after another, timed from here: a run, a runs page, health.
    const latencies: number[] = [];
    const progress: number[] = [];
    const urls = [`/api/v1/instances/${bystander.id}`, '/api/v1/instances?workflow=other&limit=20', '/api/v1/health'];
    const began = Date.now();
    // The job is `queued` until the bulk runner takes it up (a poll may come first), then `running`
    // until it completes; it never goes back.
    let taken = false;
    for (let i = 0; ; i++) {
      const at = performance.now();
      const answer = await t.call('GET', urls[i % urls.length]);
      latencies.push(performance.now() - at);
      expect(answer.status).toBe(200);
      if (i % 10 === 0) {
        const job = (await t.call('GET', `/api/v1/bulk-actions/${created.body.id}`)).body;
        progress.push(job.processed);
        if (job.status === 'completed') break;
        if (job.status === 'queued' && !taken) {
          expect(job.processed).toBe(0);
        } else {
          expect(job.status).toBe('running');
          taken = true;
        }
      }
      expect(Date.now() - began).toBeLessThan(300_000);
    }
    await t.worker.drain();

    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    console.log(`bulk cancel of ${RUNS}: ${Date.now() - began} ms, ${latencies.length} other requests, p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThan(100);
    // Progress was reported on the way, not only at the end.
    expect(progress.filter((processed) => processed > 0 && processed < RUNS).length).toBeGreaterThan(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect((await t.call('GET', `/api/v1/bulk-actions/${created.body.id}`)).body).toMatchObject({ status: 'completed', total: RUNS, processed: RUNS, succeeded: RUNS, skipped: 0 });
    expect(await t.count("SELECT COUNT(*) AS n FROM instances WHERE status = 'cancelled'")).toBe(RUNS);
    expect((await t.call('GET', `/api/v1/instances/${bystander.id}`)).body.status).toBe('waiting');
  }, 420_000);
});
