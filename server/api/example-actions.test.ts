// The two example actions of examples/actions, loaded as a team's folder and run by a real server
// (both databases): CSV text to rows, then a message posted to a Slack-compatible webhook (a local
// one here, its URL a stored credential the step chooses) through ctx.fetch; a refusal by the webhook
// and unreadable CSV fail their step clearly, and the webhook's URL is in nothing the run keeps.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActions } from '../actions/loader.js';
import { lineOfSteps } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

const examples = fileURLToPath(new URL('../../examples/actions', import.meta.url));

let hook: Server;
let hookUrl: string;
let answer = { status: 200, body: 'ok' };
const posted: { headers: IncomingHttpHeaders; body: unknown }[] = [];
let t: TestServer | undefined;

beforeAll(async () => {
  hook = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      posted.push({ headers: request.headers, body: JSON.parse(body) });
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/services/T000/B000/XXXX`;
});
afterAll(() => new Promise((resolve) => hook.close(resolve)));
afterEach(async () => {
  await t?.close();
  t = undefined;
  posted.length = 0;
  answer = { status: 200, body: 'ok' };
});

const report = () =>
  lineOfSteps([
    { id: 'parse', action: 'csv.to-json', input: { csv: '{{ input.csv }}' } },
    { id: 'post', action: 'slack.post', credentials: { webhook: 'team-slack' }, input: { text: '{{ nodes.parse.count }} orders, first from *{{ nodes.parse.rows[0].customer }}*', iconEmoji: ':package:' } },
  ]);

async function runReport(csv: string) {
  t = await startTestServer({ teamActions: await loadActions(examples), httpAllow: ['127.0.0.1'], secretKey: Buffer.alloc(32, 5).toString('base64') });
  expect((await t.call('POST', '/api/v1/credentials', { body: { name: 'team-slack', value: { kind: 'fields', fields: { url: hookUrl } } } })).status).toBe(201);
  await t.call('PUT', '/api/v1/workflows/report', { body: { name: 'Report', graph: report() } });
  expect((await t.call('POST', '/api/v1/workflows/report/publish', { body: {} })).status).toBe(201);
  const { id } = (await t.call('POST', '/api/v1/workflows/report/instances', { body: { input: { csv } } })).body;
  await t.worker.drain();
  return { id, run: (await t.call('GET', `/api/v1/instances/${id}`)).body, history: (await t.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; nodeId?: string; data?: { output?: unknown } }[] };
}

describe('examples/actions', () => {
  it('load as a team folder: csv.to-json and slack.post with their titles', async () => {
    const loaded = await loadActions(examples);
    expect(loaded.map(({ definition, module }) => [definition.name, definition.title, module.file])).toEqual([
      ['csv.to-json', 'CSV to JSON', 'csv-to-json.ts'],
      ['slack.post', 'Post to Slack', 'slack-webhook.ts'],
    ]);
  });

  it('parse CSV (quotes, a comma and a line break inside quotes, CRLF, a BOM) and post the message to the webhook', async () => {
    const csv = '\uFEFFcustomer,amount,paid\r\n"Lovelace, Ada",12.5,true\r\n"Grace ""Amazing"" Hopper",7,false\r\n"Two\nlines",,true\r\n';
    const { run, history } = await runReport(csv);
    expect(run.status).toBe('completed');
    const parsed = history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'parse')!.data!.output;
    expect(parsed).toEqual({
      columns: ['customer', 'amount', 'paid'],
      count: 3,
      rows: [
        { customer: 'Lovelace, Ada', amount: 12.5, paid: true },
        { customer: 'Grace "Amazing" Hopper', amount: 7, paid: false },
        { customer: 'Two\nlines', amount: null, paid: true },
      ],
    });
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toEqual({ text: '3 orders, first from *Lovelace, Ada*', icon_emoji: ':package:' });
    expect(posted[0].headers['idempotency-key']).toMatch(new RegExp(`^${run.id}:post:1$`));
    expect(history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'post')!.data!.output).toEqual({ status: 200, reply: 'ok' });
    // The URL is the secret: the run keeps no trace of it.
    expect(JSON.stringify([run, history])).not.toContain('/services/T000/B000/XXXX');
  });

  it('slack.post declares its webhook credential; publishing a step that chooses none is refused naming the field', async () => {
    const [, slack] = await loadActions(examples);
    expect(slack.definition.credentials).toEqual({ webhook: { kind: 'fields', description: expect.stringContaining('a field "url"') } });
    t = await startTestServer({ teamActions: await loadActions(examples), secretKey: Buffer.alloc(32, 5).toString('base64') });
    await t.call('PUT', '/api/v1/workflows/unchosen', { body: { name: 'x', graph: lineOfSteps([{ id: 'post', action: 'slack.post', input: { text: 'hi' } }]) } });
    const refused = await t.call('POST', '/api/v1/workflows/unchosen/publish', { body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'CREDENTIAL_MISSING', nodeId: 'post', field: 'credentials.webhook' })]);
  });

  it('a webhook that refuses the message fails the step at once, with its answer', async () => {
    answer = { status: 400, body: 'invalid_payload' };
    const { run, history } = await runReport('customer\nAda\n');
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HTTP_400', nodeId: 'post', message: 'the webhook refused the message (400): invalid_payload', retryable: false });
    expect(history.filter((event) => event.type === 'stepAttemptStarted')).toHaveLength(2);
  });

  it('CSV that cannot be read fails the step with where it broke; nothing is posted', async () => {
    const { run } = await runReport('customer,amount\nAda,1,extra\n');
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'CSV_INVALID', nodeId: 'parse', retryable: false });
    expect(run.error.message).toMatch(/^the CSV cannot be read: .*line 2/);
    expect(posted).toHaveLength(0);
  });
});
