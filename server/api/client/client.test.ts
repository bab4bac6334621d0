// The typed client (cairn/client) against a real server on both databases: it starts, reads, lists,
// signals and cancels runs and decides an approval; and every way a call can go wrong is one clear
// error — a bad URL, a server that is not there or is not Cairn, a bad token, an unknown run.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../../testing/graphs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import { CairnApiError, CairnClientError, createClient } from './index.js';

let t: TestServer | undefined;
let other: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await new Promise((resolve) => (other ? other.close(resolve) : resolve(undefined)));
  other = undefined;
});

/** start → wait for the signal "go" → end with its data. */
const waitForGo = () =>
  buildGraph(
    [
      ['start', 'start'],
      ['go', 'event', { event: 'go', timeout: '7d' }],
      ['done', 'end', { output: '{{ nodes.go }}' }],
    ],
    ['start.next -> go', 'go.received -> done'],
  );

async function serverWith(slug: string, graph: unknown) {
  t = await startTestServer();
  await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } });
  expect((await t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
  return t;
}

describe('createClient', () => {
  it('starts, reads, lists, signals and cancels runs', async () => {
    const t = await serverWith('orders', waitForGo());
    const cairn = createClient({ url: t.server.url, token: ADMIN_TOKEN });

    const first = await cairn.start('orders', { order: 7 }, { idempotencyKey: 'order-7' });
    expect(first).toMatchObject({ version: 1, created: true });
    expect(await cairn.start('orders', { order: 7 }, { idempotencyKey: 'order-7' })).toMatchObject({ id: first.id, created: false });
    await t.worker.drain();
    const waiting = await cairn.get(first.id);
    expect(waiting).toMatchObject({ id: first.id, workflow: 'orders', status: 'waiting', input: { order: 7 }, waitingOn: [{ nodeId: 'go', kind: 'signal', on: 'go' }] });

    expect(await cairn.signal(first.id, 'go', { shipped: true })).toEqual({ signalId: expect.any(String) });
    await t.worker.drain();
    expect(await cairn.get(first.id)).toMatchObject({ status: 'completed', output: { shipped: true } });
    expect((await cairn.history(first.id)).map((event) => event.type)).toContain('signalReceived');

    const second = await cairn.start('orders');
    await t.worker.drain();
    expect(await cairn.cancel(second.id, { reason: 'customer left' })).toEqual({ id: second.id, status: 'cancelling' });
    await t.worker.drain();
    expect(await cairn.get(second.id)).toMatchObject({ status: 'cancelled' });

    const page = await cairn.list({ workflow: 'orders', limit: 1 });
    expect(page.runs).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await cairn.list({ workflow: 'orders', status: 'completed' })).runs.map((run) => run.id)).toEqual([first.id]);
  });

  it('lists and decides an approval', async () => {
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['review', 'approval', { title: 'Ship order?', assignees: { roles: ['admin'] }, timeout: '7d' }],
        ['yes', 'end', { output: 'shipped' }],
        ['no', 'end', { output: 'held' }],
      ],
      ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
    );
    const t = await serverWith('shipping', graph);
    const cairn = createClient({ url: `${t.server.url}/`, token: ADMIN_TOKEN });
    const run = await cairn.start('shipping', {});
    await t.worker.drain();
    const [task] = await cairn.approvals({ scope: 'all' });
    expect(task).toMatchObject({ title: 'Ship order?', status: 'pending' });
    expect(await cairn.decide(task.id, { decision: 'approve', comment: 'ok' })).toMatchObject({ id: task.id, status: 'approved' });
    await t.worker.drain();
    expect(await cairn.get(run.id)).toMatchObject({ status: 'completed', output: 'shipped' });
    await expect(cairn.decide(task.id, { decision: 'reject' })).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('says clearly what went wrong, and nothing is stored', async () => {
    const t = await serverWith('orders', waitForGo());
    expect(() => createClient({ url: 'not a url', token: ADMIN_TOKEN })).toThrow(/"not a url" is not a URL/);
    expect(() => createClient({ url: 'ftp://127.0.0.1', token: ADMIN_TOKEN })).toThrow(/must be http:\/\/ or https:\/\/, not ftp:/);
    expect(() => createClient({ url: 'http://user:pw@127.0.0.1', token: ADMIN_TOKEN })).toThrow(/must not carry a user name or password/);
    expect(() => createClient({ url: t.server.url, token: '  ' })).toThrow(CairnClientError);

    const badToken = createClient({ url: t.server.url, token: 'not-a-token-at-all' });
    await expect(badToken.start('orders')).rejects.toMatchObject({ name: 'CairnApiError', status: 401 });
    const cairn = createClient({ url: t.server.url, token: ADMIN_TOKEN });
    await expect(cairn.get('no-such-run')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND', message: expect.stringContaining('no-such-run') });
    await expect(cairn.signal('no-such-run', 'go')).rejects.toBeInstanceOf(CairnApiError);
    await expect(cairn.start('no-such-workflow')).rejects.toMatchObject({ status: 404, message: 'no workflow "no-such-workflow"' });
    await expect(cairn.get('')).rejects.toThrow(/the run id must be non-empty text/);
    // Path segments are encoded: a run id cannot reach another route.
    await expect(cairn.get('../workflows/orders')).rejects.toMatchObject({ status: 404 });
    expect(await t.count('SELECT COUNT(*) AS n FROM instances')).toBe(0);

    // Nothing listening there, and a server that is not Cairn.
    other = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    await expect(createClient({ url: `http://127.0.0.1:${port}`, token: ADMIN_TOKEN }).get('x')).rejects.toThrow(/answered 200 with text\/html, not Cairn's JSON/);
    await new Promise((resolve) => other!.close(resolve));
    other = undefined;
    await expect(createClient({ url: `http://127.0.0.1:${port}`, token: ADMIN_TOKEN }).get('x')).rejects.toThrow(new RegExp(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`));
  });

  it('loads nothing of the server where it runs: every import from outside its folder is a type', () => {
    const folder = path.dirname(fileURLToPath(import.meta.url));
    const imports = ['index.ts', 'types.ts'].flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(path.join(folder, file), 'utf8'), ts.ScriptTarget.Latest);
      return source.statements.flatMap((statement) => {
        if (ts.isImportDeclaration(statement)) return [{ from: (statement.moduleSpecifier as ts.StringLiteral).text, typeOnly: statement.importClause?.isTypeOnly ?? false }];
        if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) return [{ from: (statement.moduleSpecifier as ts.StringLiteral).text, typeOnly: statement.isTypeOnly }];
        return [];
      });
    });
    // The types do come from the schemas the server validates with…
    expect(imports).toEqual(expect.arrayContaining([{ from: '../schemas/runs.schemas.js', typeOnly: true }, { from: 'zod', typeOnly: true }]));
    // …and nothing crosses at run time.
    expect(imports.filter((entry) => !entry.typeOnly)).toEqual([]);
  });
});
