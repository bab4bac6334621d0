// Crash tests for waits: runs parked on an approval, an event and a subflow (parent and child both
// waiting) in a real process killed with SIGKILL, then restarted. Decided and signalled through the
// engine API of the restarted process, every run finishes once, with the decision's audit record.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { shownHash } from './core/kinds/approval.executor.js';
import type { TaskRecord } from './store.js';
import { openDatabaseReader, type DatabaseReader } from '../testing/database-reader.js';
import { until } from '../testing/harness.js';

const childScript = fileURLToPath(new URL('../testing/waits-child.ts', import.meta.url));

type RunIds = { expense: string; shipment: string; parent: string; child: string };
type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/** The child process: its ready message, and its engine API as JSON commands on stdin. */
class EngineProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly ready: Promise<unknown>;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;

  constructor(args: string[]) {
    this.process = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    processes.add(this.process);
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    let markReady: (value: unknown) => void;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      void this.exited.then((exit) => reject(new Error(`waits-child exited before it was ready: ${JSON.stringify(exit)}`)));
    });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: unknown; id?: number } & Reply;
      if (message.ready !== undefined) markReady(message.ready);
      else this.pending.get(message.id!)?.(message);
    });
  }

  send(command: Record<string, unknown>): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.process.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** Send a command that must succeed; its result (as JSON, typed by the caller). */
  async call<Result = unknown>(command: Record<string, unknown>): Promise<Result> {
    const reply = await this.send(command);
    if (!reply.ok) throw new Error(`${String(command.op)} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.result as Result;
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    expect((await this.exited).signal).toBe('SIGKILL');
  }
}

const processes = new Set<ChildProcess>();
let database: TestDatabase | undefined;
let inspect: DatabaseReader | undefined;
afterEach(async () => {
  // Every child gone before the database it may still hold is dropped.
  await Promise.all(
    [...processes].map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
  processes.clear();
  await inspect?.close();
  inspect = undefined;
  await database?.drop();
  database = undefined;
});

/** A migrated database (its URL is what the children get), and a read-only connection the test inspects it through. */
async function setUp(): Promise<string> {
  database = await createTestDatabase();
  inspect = await openDatabaseReader(database.url);
  return database.url;
}

interface InstanceRow {
  id: string;
  status: string;
  output: string | null;
  waiting_on: string | null;
  lease_owner: string | null;
  parent_id: string | null;
}
const instance = async (id: string) =>
  (await inspect!.rows<InstanceRow>('SELECT id, status, output, waiting_on, lease_owner, parent_id FROM instances WHERE id = ?', id))[0];
const statuses = async (ids: RunIds) => Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, (await instance(id)).status])));
const history = async (id: string) =>
  (
    await inspect!.rows<{ seq: number; type: string; node_id: string | null; visit: number | null; data: string | null }>(
      'SELECT seq, type, node_id, visit, data FROM history_events WHERE instance_id = ? ORDER BY seq',
      id,
    )
  ).map((row) => ({ ...row, data: row.data === null ? null : JSON.parse(row.data) }));
interface TaskRow {
  id: string;
  status: string;
  title: string;
  details: string | null;
  shown_hash: string;
  decided_by: string | null;
  decision: string | null;
  comment: string | null;
}
const task = (instanceId: string) =>
  inspect!.rows<TaskRow>('SELECT id, status, title, details, shown_hash, decided_by, decision, comment FROM approval_tasks WHERE instance_id = ?', instanceId);
const inbox = () =>
  inspect!.rows<{ instance_id: string; kind: string; name: string | null; delivered_at: number | null }>('SELECT instance_id, kind, name, delivered_at FROM signals ORDER BY id');

const TITLE = 'Approve laptop for 1250 EUR';
const DETAILS = 'Requested by ana';
const MANAGER = { user: 'maria', roles: ['manager'] };

/** Start the four runs in a child process and check that each waits, on the right thing, durably. */
async function startWaitingRuns(url: string): Promise<{ ids: RunIds; first: EngineProcess }> {
  const first = new EngineProcess([url, 'start']);
  const ids = (await first.ready) as RunIds;
  expect(await statuses(ids)).toEqual({ expense: 'waiting', shipment: 'waiting', parent: 'waiting', child: 'waiting' });
  const waitingOn = async (id: string) => JSON.parse((await instance(id)).waiting_on ?? '[]');
  expect(await waitingOn(ids.expense)).toEqual([{ nodeId: 'approve', kind: 'approval', on: `${ids.expense}:approve:1` }]);
  expect(await waitingOn(ids.shipment)).toEqual([{ nodeId: 'confirm', kind: 'signal', on: 'confirmed' }]);
  expect(await waitingOn(ids.parent)).toEqual([{ nodeId: 'sub', kind: 'child', on: ids.child }]);
  expect(await waitingOn(ids.child)).toEqual([{ nodeId: 'go', kind: 'signal', on: 'go' }]);
  expect((await instance(ids.child)).parent_id).toBe(ids.parent);
  expect(await task(ids.expense)).toMatchObject([{ status: 'pending', title: TITLE, details: DETAILS }]);
  return { ids, first };
}

/** Every run finished once: outputs, the decision's audit record, and no event recorded twice. */
async function expectFinishedOnce(ids: RunIds, comment: string): Promise<void> {
  const [approval] = await task(ids.expense);
  expect(approval).toMatchObject({ status: 'approved', decided_by: 'maria', decision: 'approved', comment });
  // What the approver was shown, hashed: the rendered title and details and the data expression's value.
  expect(approval.shown_hash).toBe(shownHash({ title: TITLE, details: DETAILS, data: { amount: 1250 } }));

  const output = async (id: string) => JSON.parse((await instance(id)).output!);
  expect(await output(ids.expense)).toEqual({ approved: true, by: 'maria', comment });
  expect(await output(ids.shipment)).toEqual({ confirmation: { by: 'warehouse' } });
  const childOutput = { n: 7, go: { dock: 3 } };
  expect(await output(ids.child)).toEqual(childOutput);
  expect(await output(ids.parent)).toEqual({ fromChild: childOutput });

  const decided = (await history(ids.expense)).filter((event) => event.type === 'approvalDecided');
  expect(decided).toHaveLength(1);
  expect(decided[0]).toMatchObject({ node_id: 'approve', visit: 1 });
  expect(decided[0].data).toMatchObject({ taskId: approval.id, decision: 'approved', by: 'maria', comment, shownHash: approval.shown_hash });
  expect((await history(ids.shipment)).filter((event) => event.type === 'signalReceived')).toMatchObject([{ node_id: 'confirm', data: { name: 'confirmed', data: { by: 'warehouse' } } }]);
  expect((await history(ids.child)).filter((event) => event.type === 'signalReceived')).toMatchObject([{ node_id: 'go', data: { name: 'go', data: { dock: 3 } } }]);
  expect((await history(ids.parent)).filter((event) => event.type.startsWith('child'))).toMatchObject([
    { type: 'childStarted', node_id: 'sub', data: { childId: ids.child } },
    { type: 'childFinished', node_id: 'sub', data: { childId: ids.child, status: 'completed', output: childOutput } },
  ]);
  for (const id of Object.values(ids)) {
    const events = await history(id);
    const keys = events.map((event) => `${event.type}:${event.node_id ?? ''}:${event.visit ?? ''}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index), `history of ${id}`).toEqual([]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)!.type).toBe('runCompleted');
  }

  // One child run; each inbox row (decision, two signals, the child's result) delivered once.
  expect(await inspect!.count('SELECT COUNT(*) FROM instances WHERE parent_id = ?', ids.parent)).toBe(1);
  expect(await inspect!.count('SELECT COUNT(*) FROM instances')).toBe(4);
  const rows = await inbox();
  const described = rows.map((row) => `${row.kind} ${row.name ?? '-'} → ${row.instance_id}`).sort();
  expect(described).toEqual(
    [`decision - → ${ids.expense}`, `signal confirmed → ${ids.shipment}`, `signal go → ${ids.child}`, `child - → ${ids.parent}`].sort(),
  );
  expect(rows.filter((row) => row.delivered_at === null)).toEqual([]);
  expect(await inspect!.count('SELECT COUNT(*) FROM timers')).toBe(0);
}

const allCompleted = async (ids: RunIds) => Object.values(await statuses(ids)).every((status) => status === 'completed');

describe('waits survive a crash', () => {
  it('an approval, an event and a parent and child on a subflow, all waiting, survive a SIGKILL; decided and signalled after the restart, each finishes once', async () => {
    const url = await setUp();
    const { ids, first } = await startWaitingRuns(url);
    await first.kill();

    const second = new EngineProcess([url, 'resume']);
    await second.ready;
    // Nothing to recover: waiting runs hold no lease, and still wait after the restart.
    expect(await statuses(ids)).toEqual({ expense: 'waiting', shipment: 'waiting', parent: 'waiting', child: 'waiting' });
    expect(await Promise.all(Object.values(ids).map(async (id) => (await instance(id)).lease_owner))).toEqual([null, null, null, null]);

    const [pending, ...more] = await second.call<TaskRecord[]>({ op: 'tasks', who: MANAGER });
    expect(more).toEqual([]);
    expect(pending).toMatchObject({
      id: `${ids.expense}:approve:1`,
      instanceId: ids.expense,
      workflowSlug: 'expense',
      title: TITLE,
      details: DETAILS,
      data: { amount: 1250 },
      assignees: { users: [], roles: ['manager'] },
      status: 'pending',
    });
    expect(await second.call({ op: 'tasks', who: { user: 'bob', roles: ['clerk'] } })).toEqual([]);
    expect(await second.send({ op: 'decide', taskId: pending.id, request: { by: { user: 'bob', roles: ['clerk'] }, decision: 'approve' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const comment = 'within the Q3 budget';
    expect(await second.call({ op: 'decide', taskId: pending.id, request: { by: MANAGER, decision: 'approve', comment } })).toMatchObject({
      status: 'approved',
      decidedBy: 'maria',
      comment,
    });
    await second.call({ op: 'signal', runId: ids.shipment, name: 'confirmed', data: { by: 'warehouse' } });
    await second.call({ op: 'signal', runId: ids.child, name: 'go', data: { dock: 3 } });
    await until(() => allCompleted(ids), { timeoutMs: 20_000, what: 'all four runs to complete' });
    await expectFinishedOnce(ids, comment);

    // A second decision and a signal to a finished run are refused, and change nothing.
    const again = await second.send({ op: 'decide', taskId: pending.id, request: { by: { user: 'otto', roles: ['manager'] }, decision: 'reject' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!again.ok) expect(again.error.message).toContain('already approved by maria');
    expect(await second.send({ op: 'signal', runId: ids.shipment, name: 'confirmed', data: {} })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await second.call({ op: 'stop' })).toBeNull();
    expect(await second.exited).toEqual({ code: 0, signal: null });
    await expectFinishedOnce(ids, comment);
  }, 60_000);

  it('a decision and signals accepted but not yet delivered when the process is killed are delivered once after the restart', async () => {
    const url = await setUp();
    const { ids, first } = await startWaitingRuns(url);
    await first.kill();

    // An engine with no worker: the API accepts (and stores) the decision and the signals, nothing delivers them.
    const frozen = new EngineProcess([url, 'frozen']);
    await frozen.ready;
    const [pending] = await frozen.call<TaskRecord[]>({ op: 'tasks', who: MANAGER });
    const comment = 'accepted before the crash';
    await frozen.call({ op: 'decide', taskId: pending.id, request: { by: MANAGER, decision: 'approve', comment } });
    await frozen.call({ op: 'signal', runId: ids.shipment, name: 'confirmed', data: { by: 'warehouse' } });
    await frozen.call({ op: 'signal', runId: ids.child, name: 'go', data: { dock: 3 } });
    expect((await inbox()).map((row) => [row.kind, row.delivered_at])).toEqual([['decision', null], ['signal', null], ['signal', null]]);
    expect(await statuses(ids)).toEqual({ expense: 'waiting', shipment: 'waiting', parent: 'waiting', child: 'waiting' });
    await frozen.kill();

    const resumed = new EngineProcess([url, 'resume']);
    await resumed.ready;
    await until(() => allCompleted(ids), { timeoutMs: 20_000, what: 'all four runs to complete' });
    await expectFinishedOnce(ids, comment);
    expect(await resumed.call({ op: 'stop' })).toBeNull();
    expect(await resumed.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
