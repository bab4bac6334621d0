// Team actions and the remote verbs as a user meets them: a project folder with Cairn installed and
// two TypeScript actions, real `cairn` processes (start, actions, status, signal, cancel), real exit
// codes. A broken module and a duplicate name stop start-up naming the file; an action removed while
// runs wait on a version that needs it fails those runs clearly, and the versions answer says so.
import { spawn } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActionProject, GREET_MODULE, type ActionProject } from '../testing/action-project.js';
import { startCairnProcess, type CairnProcess } from '../testing/cairn-process.js';
import { buildGraph } from '../testing/graphs.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { CliError } from './cli-error.js';
import { remoteCommand, type RemoteVerb } from './remote.command.js';

// Each test starts real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
const TOKEN = 'team-actions-admin-token-0123456789';

let project: ActionProject | undefined;
let database: TestDatabase | undefined;
let server: CairnProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  project?.close();
  project = undefined;
  await database?.drop();
  database = undefined;
});

/** A `cairn` command in the project folder, to its exit (async: the server it talks to is this process's child). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cairn, ...args], { cwd: project!.dir, env: { ...process.env, CAIRN_URL: '', CAIRN_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function start(): Promise<CairnProcess> {
  database ??= await createTestDatabase();
  server = await startCairnProcess({ databaseUrl: database.url, adminToken: TOKEN, cwd: project!.dir });
  return server;
}

/** start → wait for "go" → greet (team.greet) → total (team.total) → end. */
const ordersGraph = () =>
  buildGraph(
    [
      ['start', 'start'],
      ['go', 'event', { event: 'go', timeout: '7d' }],
      ['greet', 'step', { action: 'team.greet', input: { person: '{{ nodes.go.name }}' } }],
      ['sum', 'step', { action: 'team.total', input: { lines: '{{ input.lines }}' } }],
      ['done', 'end', { output: '{{ { "greeting": nodes.greet.greeting, "total": nodes.sum.total } }}' }],
    ],
    ['start.next -> go', 'go.received -> greet', 'greet.ok -> sum', 'sum.ok -> done'],
  );

async function waitForStatus(process: CairnProcess, id: string, status: string) {
  await expect.poll(async () => (await process.call('GET', `/api/v1/instances/${id}`)).body.status, { timeout: 30_000, interval: 100 }).toBe(status);
  return (await process.call('GET', `/api/v1/instances/${id}`)).body;
}

describe('team actions in `cairn start`', () => {
  it('loads two TypeScript actions; a run uses them; `cairn actions` lists them; status, signal and cancel work against the server', async () => {
    project = createActionProject();
    const listed = await run(['actions']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+TITLE\s+FILE\nteam\.greet\s+Greet someone\s+actions\/greet\.ts\nteam\.total\s+Order total\s+actions\/total\.ts\n2 team actions from .*actions\nbuilt in: transform, http\.request, log/);

    const cairnServer = await start();
    expect((await cairnServer.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: ordersGraph() } })).status).toBeLessThan(300);
    expect((await cairnServer.call('POST', '/api/v1/workflows/orders/publish', { body: {} })).status).toBe(201);
    const started = await cairnServer.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { lines: [{ price: 3, quantity: 2 }] } } });
    const id = started.body.id as string;
    await waitForStatus(cairnServer, id, 'waiting');

    const env = { CAIRN_URL: cairnServer.url, CAIRN_TOKEN: TOKEN };
    const status = await run(['status', id], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`run ${id} of orders v1\nstatus: waiting\nwaiting on: go (signal go)`);

    const signalled = await run(['signal', id, 'go', '--data', '{"name":"Grace"}', '--url', cairnServer.url, '--token', TOKEN]);
    expect(signalled.stderr).toBe('');
    expect(signalled.stdout).toMatch(new RegExp(`^signal "go" delivered to run ${id} \\(`));
    const done = await waitForStatus(cairnServer, id, 'completed');
    expect(done.output).toEqual({ greeting: 'Hello, Grace! (attempt 1)', total: 6 });
    const json = await run(['status', id, '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: 'completed', output: { total: 6 } });

    const second = (await cairnServer.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { lines: [] } } })).body.id as string;
    await waitForStatus(cairnServer, second, 'waiting');
    const cancelled = await run(['cancel', second, '--reason', 'test'], env);
    expect(cancelled.stdout).toBe(`run ${second} is being cancelled\n`);
    await waitForStatus(cairnServer, second, 'cancelled');

    // Hostile input, through the command's own code (in this process: a spawn per case costs seconds):
    // one line each, nothing changed. A port nothing listens on:
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const refusals: [RemoteVerb, string[], Record<string, string>, RegExp][] = [
      ['status', ['no-such-run'], env, /^404 NOT_FOUND: .*no-such-run/],
      ['status', [id], { ...env, CAIRN_TOKEN: 'wrong-token-0123456789' }, /^401 UNAUTHENTICATED: /],
      ['status', [id], { CAIRN_URL: cairnServer.url }, /^no token: give --token or set CAIRN_TOKEN/],
      ['status', [id, '--url', 'localhost:3000'], env, /^the server URL must be http:\/\/ or https:\/\//],
      ['status', [id, '--url', 'not a url'], env, /^the server URL "not a url" is not a URL/],
      ['status', [id, '--url', `http://127.0.0.1:${closedPort}`], env, new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${closedPort}: ECONNREFUSED`)],
      ['signal', [second, 'go', '--data', '{not json'], env, /^--data is not JSON: /],
      ['signal', [id, 'go'], env, /^409 CONFLICT: /],
      ['signal', [id], env, /^usage: cairn signal <run> <name>/],
      ['cancel', [id, '--data', '{}'], env, /^--data goes with signal only/],
    ];
    for (const [verb, args, extra, message] of refusals) {
      const refused = await remoteCommand(verb, args, { print: () => undefined, env: extra }).then(() => undefined, (error: unknown) => error);
      expect(refused, `${verb} ${args.join(' ')}`).toBeInstanceOf(CliError);
      expect((refused as Error).message, `${verb} ${args.join(' ')}`).toMatch(message);
      expect((refused as Error).message).not.toContain('\n');
    }
    // …and as a user sees one: a line on stderr and exit code 2.
    const badData = await run(['signal', second, 'go', '--data', '{not json'], env);
    expect(badData.stderr).toMatch(/^cairn: --data is not JSON: .*\n$/);
    expect(badData.code).toBe(2);
    expect((await cairnServer.call('GET', `/api/v1/instances/${second}/history`)).body.map((event: { type: string }) => event.type)).not.toContain('signalReceived');
    expect((await cairnServer.call('GET', `/api/v1/instances/${id}`)).body.status).toBe('completed');
  });

  it.each([
    ['a module that does not compile', { 'broken.ts': 'export default defineAction({ name: ' }, /^cairn: action module actions\/broken\.ts failed to load: /],
    ['two modules with one action name', { 'greet.ts': GREET_MODULE, 'hello.ts': GREET_MODULE }, /^cairn: action module actions\/hello\.ts: an action named "team\.greet" is defined in actions\/greet\.ts too/],
  ])('%s stops start-up with the file named (exit 2)', async (_what, modules, message) => {
    project = createActionProject(modules);
    database = await createTestDatabase();
    const result = await run(['start'], { HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url, CAIRN_LOG_LEVEL: 'warn' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('serving on');
    expect((await run(['actions'])).code).toBe(2);
  });

  it('removing an action fails the runs that reach it with a clear error; the versions answer says which version needs it; other runs go on', async () => {
    project = createActionProject();
    let cairnServer = await start();
    await cairnServer.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: ordersGraph() } });
    await cairnServer.call('POST', '/api/v1/workflows/orders/publish', { body: {} });
    const plain = buildGraph([['start', 'start'], ['go', 'event', { event: 'go', timeout: '7d' }], ['done', 'end', { output: 'plain' }]], ['start.next -> go', 'go.received -> done']);
    await cairnServer.call('PUT', '/api/v1/workflows/plain', { body: { name: 'Plain', graph: plain } });
    await cairnServer.call('POST', '/api/v1/workflows/plain/publish', { body: {} });
    const orders = (await cairnServer.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { lines: [] } } })).body.id as string;
    const other = (await cairnServer.call('POST', '/api/v1/workflows/plain/instances', { body: { input: {} } })).body.id as string;
    await waitForStatus(cairnServer, orders, 'waiting');
    await waitForStatus(cairnServer, other, 'waiting');
    await cairnServer.stop('SIGTERM');

    project.remove('greet.ts');
    cairnServer = await start();
    const [version] = (await cairnServer.call('GET', '/api/v1/workflows/orders/versions')).body;
    expect(version.actions.map(({ name, state }: { name: string; state: string }) => [name, state])).toEqual([
      ['team.greet', 'missing'],
      ['team.total', 'loaded'],
    ]);
    await cairnServer.call('POST', `/api/v1/instances/${orders}/signals/go`, { body: { data: { name: 'Ada' } } });
    await cairnServer.call('POST', `/api/v1/instances/${other}/signals/go`, { body: { data: {} } });
    const failed = await waitForStatus(cairnServer, orders, 'failed');
    expect(failed.error).toMatchObject({ code: 'UNKNOWN_ACTION', nodeId: 'greet', message: expect.stringContaining('no action named "team.greet" is loaded') });
    expect(failed.error.message).toContain('actions folder (CAIRN_ACTIONS_DIR)');
    expect((await waitForStatus(cairnServer, other, 'completed')).output).toBe('plain');
    expect(cairnServer.stderr()).not.toMatch(/QUARANTINED|uncaught/i);
  });
});
