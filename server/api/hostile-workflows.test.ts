// Hostile workflows (issue 12, DESIGN §3 "Containment"): what a careless or hostile author can put in
// a workflow, run against a real `cairn start` process. For each case a plain three-step workflow
// started beside it completes within 2 s, the hostile run ends with the named error (or is refused
// with it), and at the end the server is still the same process, serving.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { scratchRoot, until } from '../testing/harness.js';
import { startCairnProcess, type CairnProcess } from '../testing/cairn-process.js';

const ADMIN_TOKEN = 'hostile-admin-token-0123456789';
const ENDLESS = '($f := function($x){ $f($x) }; $f(1))';
const TOO_DEEP = '($f := function($x){ $f($x) + 1 }; $f(1))';
const CATASTROPHIC = '^(a+)+$';
const EVIL_TEXT = `${'a'.repeat(31)}!`;
/** What the acceptance allows a plain run beside a hostile one. */
const BESIDE_MS = 2_000;

let dir: string;
let database: TestDatabase;
let sink: Server;
let sinkUrl: string;
let cairn: CairnProcess;
let pid: number | undefined;

/** Answers 429 with an absurd Retry-After, or streams 200 MB, as a third party might. */
function startSink(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/429') {
      response.writeHead(429, { 'retry-after': '99999999999999' }).end('slow down');
      return;
    }
    if (request.url === '/huge') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1024 * 1024, 120);
      let sent = 0;
      const pump = () => {
        while (sent < 200) {
          sent++;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function publish(slug: string, graph: unknown): Promise<{ status: number; body: any }> {
  const saved = await cairn.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } });
  expect([200, 201]).toContain(saved.status);
  return cairn.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
}

async function start(slug: string, input: unknown = {}): Promise<string> {
  const started = await cairn.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id as string;
}

async function finished(id: string, timeoutMs = 30_000): Promise<any> {
  let run: any;
  await until(
    async () => {
      run = (await cairn.call('GET', `/api/v1/instances/${id}`)).body;
      return ['completed', 'failed', 'cancelled'].includes(run.status);
    },
    { timeoutMs, what: `run ${id} to finish` },
  );
  return run;
}

/** Starts the plain workflow right after `hostile` and checks that it completes within BESIDE_MS. */
async function beside<T>(hostile: () => Promise<T>): Promise<T> {
  const result = await hostile();
  const began = Date.now();
  const id = await start('plain', { n: 1 });
  let run: any;
  await until(
    async () => {
      run = (await cairn.call('GET', `/api/v1/instances/${id}`)).body;
      return run.status !== 'pending' && run.status !== 'running' && run.status !== 'waiting';
    },
    { timeoutMs: 30_000, what: 'the plain run beside the hostile one' },
  );
  const took = Date.now() - began;
  expect(run).toMatchObject({ status: 'completed', output: 4 });
  expect(took, `the plain run took ${took} ms beside the hostile one`).toBeLessThan(BESIDE_MS);
  return result;
}

const transformStep = (id: string, expression: string, data: unknown) => ({ id, action: 'transform', input: { expression, data } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(scratchRoot(), 'cairn-hostile-'));
  database = await createTestDatabase();
  sink = await startSink();
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  cairn = await startCairnProcess({ databaseUrl: database.url, adminToken: ADMIN_TOKEN, cwd: dir, env: { CAIRN_HTTP_ALLOW: '127.0.0.1' } });
  pid = cairn.process.pid;
  const plain = lineOfSteps([transformStep('a', 'n + 1', { n: '{{ input.n }}' }), transformStep('b', 'n + 1', { n: '{{ nodes.a }}' }), transformStep('c', 'n + 1', { n: '{{ nodes.b }}' })]);
  plain.nodes.find((node) => node.id === 'end')!.config = { output: '{{ nodes.c }}' };
  expect((await publish('plain', plain)).status).toBe(201);
}, 60_000);

afterAll(async () => {
  try {
    // The same process as at the start, still serving.
    expect(cairn.process.pid).toBe(pid);
    expect(cairn.process.exitCode).toBeNull();
    expect(cairn.process.signalCode).toBeNull();
    expect((await cairn.call('GET', '/api/v1/health')).status).toBe(200);
    expect(cairn.stderr()).not.toMatch(/unhandled|uncaught/i);
  } finally {
    await cairn?.stop('SIGTERM');
    await new Promise((resolve) => sink?.close(resolve));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('hostile workflows beside a plain one', () => {
  it('an endless expression in a transform step fails its run on the time budget', async () => {
    expect((await publish('endless-transform', lineOfSteps([transformStep('spin', ENDLESS, {})]))).status).toBe(201);
    const id = await beside(() => start('endless-transform'));
    expect((await finished(id)).error).toMatchObject({ code: 'EXPRESSION_FAILED', message: expect.stringMatching(/time budget of 1,000 ms \(CAIRN_EXPRESSION_TIMEOUT_MS\)/) });
  });

  it("an endless expression in a step's input fails the run naming the node and field", async () => {
    expect((await publish('endless-input', lineOfSteps([{ id: 'spin', action: 'log', input: { message: `{{ ${ENDLESS} }}` } }]))).status).toBe(201);
    const id = await beside(() => start('endless-input'));
    expect((await finished(id)).error).toMatchObject({ code: 'EXPRESSION_FAILED', nodeId: 'spin', message: expect.stringMatching(/^node "spin" input: .*time budget/) });
  });

  it('an endless branch condition evaluated when a signal arrives fails the run, not the server', async () => {
    const graph = buildGraph(
      [['start', 'start'], ['go', 'event', { event: 'go' }], ['check', 'branch', { condition: `{{ ${ENDLESS} }}` }], ['yes', 'end'], ['no', 'end']],
      ['start.next -> go', 'go.received -> check', 'check.true -> yes', 'check.false -> no'],
    );
    expect((await publish('endless-branch', graph)).status).toBe(201);
    const id = await start('endless-branch');
    await until(async () => (await cairn.call('GET', `/api/v1/instances/${id}`)).body.status === 'waiting', { what: 'the run to wait for its signal' });
    await beside(() => cairn.call('POST', `/api/v1/instances/${id}/signals/go`, { body: { data: {} } }));
    expect((await finished(id)).error).toMatchObject({ code: 'EXPRESSION_FAILED', nodeId: 'check', message: expect.stringMatching(/^node "check" condition: .*time budget/) });
  });

  it("an endless expression in an end's output fails the run", async () => {
    const graph = buildGraph([['start', 'start'], ['done', 'end', { output: `{{ ${ENDLESS} }}` }]], ['start.next -> done']);
    expect((await publish('endless-end', graph)).status).toBe(201);
    const id = await beside(() => start('endless-end'));
    expect((await finished(id)).error).toMatchObject({ code: 'EXPRESSION_FAILED', nodeId: 'done' });
  });

  it('endless recursion fails on the depth limit', async () => {
    expect((await publish('too-deep', lineOfSteps([{ id: 'dive', action: 'log', input: { message: `{{ ${TOO_DEEP} }}` } }]))).status).toBe(201);
    const id = await beside(() => start('too-deep'));
    expect((await finished(id)).error).toMatchObject({ code: 'EXPRESSION_FAILED', message: expect.stringMatching(/nested deeper than 500 levels/) });
  });

  it('a 429 with Retry-After: 99999999999999 is honoured only up to the step\'s maxInterval', async () => {
    const retry = { maxAttempts: 2, initialInterval: '100ms', maxInterval: '1s', jitter: 0 };
    expect((await publish('huge-retry-after', lineOfSteps([{ id: 'call', action: 'http.request', input: { url: `${sinkUrl}/429` }, retry }]))).status).toBe(201);
    const id = await beside(() => start('huge-retry-after'));
    const run = await finished(id);
    expect(run.error).toMatchObject({ code: 'HTTP_429', nodeId: 'call' });
    const history = (await cairn.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; at: number | string; data: any }[];
    const firstFailure = history.find((event) => event.type === 'stepAttemptFailed')!;
    expect(Date.parse(firstFailure.data.retryAt) - new Date(firstFailure.at).getTime()).toBeLessThanOrEqual(1_000);
  });

  it('a wait longer than a year is refused at publish, and one that comes from data fails its run', async () => {
    const tooLong = buildGraph([['start', 'start'], ['nap', 'wait', { duration: '999999999w' }], ['done', 'end']], ['start.next -> nap', 'nap.next -> done']);
    const refused = await publish('huge-wait', tooLong);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toMatch(/nap.*longer|at most 1 year/);

    const fromData = buildGraph([['start', 'start'], ['nap', 'wait', { until: '{{ input.when }}' }], ['done', 'end']], ['start.next -> nap', 'nap.next -> done']);
    expect((await publish('wait-from-data', fromData)).status).toBe(201);
    for (const when of ['9999-12-31T00:00:00Z', 1e20]) {
      const id = await beside(() => start('wait-from-data', { when }));
      expect((await finished(id)).error).toMatchObject({ code: 'WAIT_TOO_LONG', nodeId: 'nap' });
    }
  });

  it('{{ nodes }} and {{ $ }} as an output are stored as copies: the run completes', async () => {
    for (const output of ['{{ nodes }}', '{{ $ }}']) {
      const graph = buildGraph([['start', 'start'], ['done', 'end', { output }]], ['start.next -> done']);
      const slug = output === '{{ nodes }}' ? 'output-nodes' : 'output-root';
      expect((await publish(slug, graph)).status).toBe(201);
      const id = await beside(() => start(slug, { x: 1 }));
      const run = await finished(id);
      expect(run.status).toBe('completed');
      expect(JSON.stringify(run.output)).toContain('"x":1');
    }
  });

  it('a sub-workflow that starts itself stops at the depth limit', async () => {
    const graph = buildGraph(
      [['start', 'start'], ['again', 'subflow', { workflow: 'ouroboros', input: '{{ input }}' }], ['done', 'end']],
      ['start.next -> again', 'again.ok -> done'],
    );
    expect((await publish('ouroboros', graph)).status).toBe(201);
    const id = await beside(() => start('ouroboros'));
    const root = await finished(id);
    expect(root.status).toBe('failed');
    expect(JSON.stringify(root.error)).toMatch(/depth|deep/i);
    const runs = (await cairn.call('GET', '/api/v1/instances?workflow=ouroboros&limit=100')).body;
    // The root and ten levels below it; the eleventh start was refused.
    expect((runs.runs as unknown[]).length).toBe(11);
    expect(JSON.stringify(runs.runs)).toContain('at most 10 deep (CAIRN_MAX_SUBFLOW_DEPTH)');
  });

  it('a catastrophic pattern in an approval form answers the approver at once', async () => {
    const form = { type: 'object', properties: { code: { type: 'string', pattern: CATASTROPHIC } } };
    const graph = buildGraph(
      [['start', 'start'], ['review', 'approval', { title: 'Review', assignees: { roles: ['admin'] }, form }], ['yes', 'end'], ['no', 'end']],
      ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
    );
    expect((await publish('redos-form', graph)).status).toBe(201);
    const id = await start('redos-form');
    let taskId: string | undefined;
    await until(async () => {
      const tasks = (await cairn.call('GET', '/api/v1/approvals?status=pending&scope=all')).body as { id: string; instanceId: string }[];
      taskId = (Array.isArray(tasks) ? tasks : []).find((task) => task.instanceId === id)?.id;
      return taskId !== undefined;
    }, { what: 'the approval task' });
    const decided = await beside(async () => {
      const began = Date.now();
      const answer = await cairn.call('POST', `/api/v1/approvals/${taskId}/decision`, { body: { decision: 'approve', form: { code: EVIL_TEXT } } });
      return { ...answer, took: Date.now() - began };
    });
    expect(decided.status).toBe(422);
    expect(decided.body.error.message).toMatch(/code/);
    expect(decided.took).toBeLessThan(500);
  });

  it('a catastrophic pattern in an input schema answers the caller at once', async () => {
    const inputSchema = { type: 'object', properties: { code: { type: 'string', pattern: CATASTROPHIC } } };
    const graph = buildGraph([['start', 'start', { inputSchema }], ['done', 'end']], ['start.next -> done']);
    expect((await publish('redos-input', graph)).status).toBe(201);
    const answer = await beside(async () => {
      const began = Date.now();
      const response = await cairn.call('POST', '/api/v1/workflows/redos-input/instances', { body: { input: { code: EVIL_TEXT } } });
      return { ...response, took: Date.now() - began };
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.message).toMatch(/code/);
    expect(answer.took).toBeLessThan(500);
  });

  it('a catastrophic JSONata regex runs in linear time', async () => {
    const graph = buildGraph(
      [['start', 'start'], ['check', 'branch', { condition: `{{ $contains(input.s, /${CATASTROPHIC}/) }}` }], ['yes', 'end', { output: '{{ "matched" }}' }], ['no', 'end', { output: '{{ "no match" }}' }]],
      ['start.next -> check', 'check.true -> yes', 'check.false -> no'],
    );
    const published = await publish('redos-jsonata', graph);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const id = await beside(() => start('redos-jsonata', { s: `${'a'.repeat(5_000)}!` }));
    expect(await finished(id)).toMatchObject({ status: 'completed', output: 'no match' });
  });

  it('a schema that recurses without end is a publish problem, never a 500 at start', async () => {
    const graph = buildGraph([['start', 'start', { inputSchema: { $ref: '#' } }], ['done', 'end']], ['start.next -> done']);
    const refused = await beside(() => publish('recursive-ref', graph));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toMatch(/start/);
  });

  it('a 200 MB response fails at the cap', async () => {
    expect((await publish('huge-response', lineOfSteps([{ id: 'fetch', action: 'http.request', input: { url: `${sinkUrl}/huge` } }]))).status).toBe(201);
    const id = await beside(() => start('huge-response'));
    const run = await finished(id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ nodeId: 'fetch', retryable: false });
    expect(run.error.message).toMatch(/larger than 1048576 bytes, the most an action reads/);
  });
});
