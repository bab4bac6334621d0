// Credentials over REST on a real server (both databases): admins create, list, rotate and delete
// them; the value goes in and never comes out — not in an answer, a history row, a node output, the
// database file or the log; http.request sends a bearer credential to a server on 127.0.0.1, a rotated
// value is used from the next attempt on, and a credential that published versions name stays.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { NonRetryableError } from '../engine/errors.js';
import { createLogger } from '../logger.js';
import { lineOfSteps } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import { testDialect } from '../testing/test-database.js';
import { sqlitePath } from '../db/sqlite/open.js';

const SECRET = 'sk_live_7f3a9c1e5b2d4f6a8c0e';
const ROTATED = 'sk_live_rotated_11223344556677';
const KEY = Buffer.alloc(32, 7).toString('base64');

let t: TestServer;

/** A careless team action: reads a free-form credential and hands its values back every way it can. */
const leakyAction = defineAction({
  name: 'team.leaky',
  description: 'Returns, logs and throws what its credential holds.',
  input: z.object({ credential: z.string(), fail: z.boolean().default(false) }),
  async run({ credential, fail }, ctx) {
    const value = await ctx.credentials.get(credential);
    const fields = value.kind === 'fields' ? value.fields : {};
    ctx.log(`signing with ${fields.signing_key}`);
    ctx.logger.info(`webhook is ${fields.webhook}`);
    if (fail) throw new NonRetryableError(`refused by ${fields.webhook} with key ${fields.signing_key}`);
    return { kind: value.kind, fields };
  },
});
let api: Server;
let apiUrl: string;
const received: IncomingHttpHeaders[] = [];
const logLines: string[] = [];
/** How the API answers the next requests: 503 makes the step retry. */
const answers: number[] = [];

beforeAll(async () => {
  api = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    const status = answers.shift() ?? 200;
    // A careless API that echoes the credential back: the run must not keep it.
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ youSent: request.headers.authorization ?? null, url: request.url }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  t = await startTestServer({ secretKey: KEY, httpAllow: ['127.0.0.1'], actions: [leakyAction], logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }) });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => api?.close(resolve));
});

async function publishAndRun(slug: string, steps: Parameters<typeof lineOfSteps>[0]): Promise<{ id: string; run: any; history: any[] }> {
  expect((await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: lineOfSteps(steps) } })).status).toBeLessThan(300);
  const published = await t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  const started = await t.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: {} } });
  expect(started.status).toBe(201);
  await t.worker.drain();
  const id = started.body.id as string;
  return { id, run: (await t.call('GET', `/api/v1/instances/${id}`)).body, history: (await t.call('GET', `/api/v1/instances/${id}/history`)).body };
}

describe('credentials over REST', () => {
  it('creates a credential whose value is never answered, and lists it without one', async () => {
    const created = await t.call('POST', '/api/v1/credentials', { body: { name: 'stripe', description: 'Payments API', value: { kind: 'bearer', token: SECRET } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'stripe', kind: 'bearer', description: 'Payments API', createdBy: expect.any(String) });
    const listed = await t.call('GET', '/api/v1/credentials');
    expect(listed.body).toMatchObject({ available: true, credentials: [{ name: 'stripe', kind: 'bearer' }] });
    expect(JSON.stringify([created.body, listed.body])).not.toContain(SECRET);
    const again = await t.call('POST', '/api/v1/credentials', { body: { name: 'stripe', value: { kind: 'bearer', token: 'other-token' } } });
    expect(again).toMatchObject({ status: 409, body: { error: { message: expect.stringMatching(/exists: rotate it/) } } });
  });

  it('http.request sends the bearer credential; the echoed value is redacted from the run, its history, the database file and the log', async () => {
    const { run, history } = await publishAndRun('charge', [
      { id: 'charge', action: 'http.request', input: { url: `${apiUrl}/charge`, method: 'POST', body: { amount: 5 }, credential: 'stripe' } },
      { id: 'note', action: 'log', input: { message: 'the API said {{ nodes.charge.body.youSent }}' } },
    ]);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(received.at(-1)?.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.stringify(history)).toContain('[redacted]');
    expect(JSON.stringify([run, history])).not.toContain(SECRET);
    const exported = await t.call('GET', '/api/v1/workflows/charge');
    expect(JSON.stringify(exported.body)).toContain('"credential":"stripe"');
    expect(JSON.stringify(exported.body)).not.toContain(SECRET);
    if (testDialect() === 'sqlite') {
      // Every byte of the database, its WAL included: the value is only there encrypted.
      for (const file of [sqlitePath(t.databaseUrl), `${sqlitePath(t.databaseUrl)}-wal`]) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          continue;
        }
        expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
        expect(bytes.includes(Buffer.from(SECRET.slice(4, 20))), file).toBe(false);
      }
    }
    expect(logLines.join('\n')).toContain('the API said Bearer [redacted]');
    expect(logLines.join('\n')).not.toContain(SECRET);
  });

  it('a rotated value is used from the next attempt on', async () => {
    answers.push(503);
    const slug = 'rotate';
    const steps = [{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/rotate`, credential: 'stripe' }, retry: { maxAttempts: 3, initialInterval: '10s', jitter: 0 } }];
    expect((await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: lineOfSteps(steps) } })).status).toBeLessThan(300);
    expect((await t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
    const started = await t.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: {} } });
    await t.worker.drain();
    expect(received.at(-1)?.authorization).toBe(`Bearer ${SECRET}`);
    expect((await t.call('GET', `/api/v1/instances/${started.body.id}`)).body.status).toBe('waiting');
    const rotated = await t.call('PUT', '/api/v1/credentials/stripe', { body: { value: { kind: 'bearer', token: ROTATED } } });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(JSON.stringify(rotated.body)).not.toContain(ROTATED);
    t.clock.advance('10s');
    await t.worker.drain();
    expect(received.at(-1)?.authorization).toBe(`Bearer ${ROTATED}`);
    expect((await t.call('GET', `/api/v1/instances/${started.body.id}`)).body.status).toBe('completed');
  });

  it('sends basic, header and query credentials as their kinds say', async () => {
    const kinds = [
      { name: 'basic-one', value: { kind: 'basic', username: 'ann', password: 'pa55word-basic' }, check: (h: IncomingHttpHeaders) => expect(h.authorization).toBe(`Basic ${Buffer.from('ann:pa55word-basic').toString('base64')}`) },
      { name: 'header-one', value: { kind: 'header', name: 'X-Api-Key', value: 'hdr-secret-value' }, check: (h: IncomingHttpHeaders) => expect(h['x-api-key']).toBe('hdr-secret-value') },
    ];
    for (const kind of kinds) {
      expect((await t.call('POST', '/api/v1/credentials', { body: { name: kind.name, value: kind.value } })).status).toBe(201);
      const { run } = await publishAndRun(`uses-${kind.name}`, [{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/k`, credential: kind.name } }]);
      expect(run.status).toBe('completed');
      kind.check(received.at(-1)!);
    }
    expect((await t.call('POST', '/api/v1/credentials', { body: { name: 'query-one', value: { kind: 'query', name: 'api_key', value: 'query-secret-value' } } })).status).toBe(201);
    const { run, history } = await publishAndRun('uses-query', [{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/q?x=1`, credential: 'query-one' } }]);
    expect(run.status).toBe('completed');
    expect(JSON.stringify(history)).not.toContain('query-secret-value');
    expect(JSON.stringify(history)).toContain('/q?x=1&api_key=[redacted]');
  });

  it('a missing credential or a free-form one fails the step with a clear, non-retried error', async () => {
    // A fixed name that is not stored is refused at publish, naming node and field…
    await t.call('PUT', '/api/v1/workflows/named-missing', { body: { name: 'x', graph: lineOfSteps([{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/m`, credential: 'nope' } }]) } });
    const refused = await t.call('POST', '/api/v1/workflows/named-missing/publish', { body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'CREDENTIAL_UNKNOWN', nodeId: 'call', field: 'input.credential', message: expect.stringMatching(/no credential named "nope" is stored/) })]);
    // …one computed when the step runs fails it there.
    const missing = await publishAndRun('missing-credential', [{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/m`, credential: '{{ "no" & "pe" }}' } }]);
    expect(missing.run.error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', message: expect.stringMatching(/no credential named "nope"/) });
    expect((await t.call('POST', '/api/v1/credentials', { body: { name: 'fields-one', value: { kind: 'fields', fields: { webhook: 'https://hooks.example/abc123', signing_key: 'fk-secret-1234' } } } })).status).toBe(201);
    const freeForm = await publishAndRun('free-form', [{ id: 'call', action: 'http.request', input: { url: `${apiUrl}/f`, credential: 'fields-one' } }]);
    expect(freeForm.run.error).toMatchObject({ code: 'CREDENTIAL_KIND' });
  });

  it('a team action gets a free-form credential\'s fields; what it returns, logs or throws of them is redacted', async () => {
    const returned = await publishAndRun('leaky', [{ id: 'leak', action: 'team.leaky', input: { credential: 'fields-one' } }]);
    expect(returned.run.status).toBe('completed');
    const output = returned.history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'leak').data.output;
    expect(output).toEqual({ kind: 'fields', fields: { webhook: '[redacted]', signing_key: '[redacted]' } });
    expect(returned.history.find((event) => event.type === 'actionLogged')).toMatchObject({ data: { lines: [{ level: 'info', message: 'signing with [redacted]' }] } });
    const thrown = await publishAndRun('leaky-throws', [{ id: 'leak', action: 'team.leaky', input: { credential: 'fields-one', fail: true } }]);
    expect(thrown.run.error).toMatchObject({ message: 'refused by [redacted] with key [redacted]' });
    const everything = JSON.stringify([returned, thrown]) + logLines.join('\n');
    expect(everything).not.toMatch(/hooks\.example\/abc123|fk-secret-1234/);
    expect(logLines.join('\n')).toContain('webhook is [redacted]');
  });

  it('refuses to delete a credential that published versions name, listing the workflows; deletes an unused one', async () => {
    const refused = await t.call('DELETE', '/api/v1/credentials/stripe');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/used by published versions of charge \(version 1\), rotate \(version 1\)/);
    expect(refused.body.error.details).toEqual({ workflows: [{ workflow: 'charge', versions: [1] }, { workflow: 'rotate', versions: [1] }] });
    expect((await t.call('POST', '/api/v1/credentials', { body: { name: 'unused', value: { kind: 'bearer', token: 'unused-token' } } })).status).toBe(201);
    expect((await t.call('DELETE', '/api/v1/credentials/unused')).status).toBe(204);
    expect((await t.call('DELETE', '/api/v1/credentials/unused')).status).toBe(404);
    expect((await t.call('PUT', '/api/v1/credentials/unused', { body: { value: { kind: 'bearer', token: 'x-token' } } })).status).toBe(404);
  });
});

describe('hostile and unauthorised calls', () => {
  it('refuses non-admin callers with 403 and anonymous ones with 401, touching nothing', async () => {
    const user = await t.call('POST', '/api/v1/users', { body: { username: 'editor', password: 'a-long-password-1', roles: ['editor'] } });
    expect(user.status).toBe(201);
    const token = await t.call('POST', '/api/v1/tokens', { body: { name: 'ed', role: 'editor' } });
    const editor = token.body.token as string;
    for (const [method, url, body] of [
      ['GET', '/api/v1/credentials', undefined],
      ['POST', '/api/v1/credentials', { name: 'sneaky', value: { kind: 'bearer', token: 'abcd1234' } }],
      ['PUT', '/api/v1/credentials/stripe', { value: { kind: 'bearer', token: 'taken-over' } }],
      ['DELETE', '/api/v1/credentials/stripe', undefined],
    ] as const) {
      expect((await t.call(method, url, { token: editor, body })).status, `${method} ${url}`).toBe(403);
      expect((await t.call(method, url, { token: '', body })).status, `${method} ${url}`).toBe(401);
    }
    const names = (await t.call('GET', '/api/v1/credentials')).body.credentials.map((credential: { name: string }) => credential.name);
    expect(names).not.toContain('sneaky');
  });

  it('refuses bad names, kinds, fields and sizes with a message that names the field and never repeats the value', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'Has Spaces', value: { kind: 'bearer', token: 'secret-in-bad-name' } }, /name: a credential name is 1 to 63 lower-case letters/],
      [{ name: '../etc', value: { kind: 'bearer', token: 'secret-in-bad-name' } }, /name: a credential name/],
      [{ name: 'x'.repeat(64), value: { kind: 'bearer', token: 'secret-in-bad-name' } }, /name: a credential name/],
      [{ name: 'ok-name', value: { kind: 'ssh', key: 'secret-in-bad-kind' } }, /value\.kind.*bearer.*basic.*header.*query.*fields/],
      [{ name: 'ok-name', value: { kind: 'bearer', token: '' } }, /value.token: the token is empty/],
      [{ name: 'ok-name', value: { kind: 'bearer', token: 'y'.repeat(20_000) } }, /value.token: the token is longer than 16,384 characters/],
      [{ name: 'ok-name', value: { kind: 'header', name: 'Bad\r\nHeader', value: 'secret-in-bad-header' } }, /value.name: a header name/],
      [{ name: 'ok-name', value: { kind: 'fields', fields: {} } }, /give at least one field/],
      [{ name: 'ok-name', value: { kind: 'bearer', token: 'secret-extra', extra: 'secret-extra-2' } }, /unknown field "extra"/],
      [{ name: 'ok-name', value: { kind: 'bearer', token: 'secret-x' }, owner: 'me' }, /unknown field "owner"/],
      [{ name: 'ok-name' }, /value/],
    ];
    for (const [body, message] of cases) {
      const answer = await t.call('POST', '/api/v1/credentials', { body });
      expect(answer.status, JSON.stringify(answer.body).slice(0, 200)).toBe(422);
      expect(answer.body.error.message).toMatch(message);
      expect(JSON.stringify(answer.body)).not.toMatch(/secret-in-bad|secret-extra|yyyyyyyy/);
    }
    expect((await t.call('POST', '/api/v1/credentials', { raw: '[1,2]' })).status).toBe(400);
    expect((await t.call('PUT', `/api/v1/credentials/${encodeURIComponent('../../etc/passwd')}`, { body: { value: { kind: 'bearer', token: 'abcdefgh' } } })).status).toBe(422);
    expect((await t.call('GET', '/api/v1/credentials')).body.credentials.map((credential: { name: string }) => credential.name)).not.toContain('ok-name');
  });
});
