// One live process per worker id on PostgreSQL (DESIGN §3, Containment): the advisory lock that
// openEngineDatabase takes for an engine, on a database of the test cluster, with real processes
// for the holder that dies and a real terminated connection for the holder that loses its session.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngineDatabase, type EngineDatabase } from '../engine-database.js';
import { EngineLockError, type EngineLock } from '../engine-lock.js';
import { holdLockInChild, killLockHolders } from '../../testing/lock-holder.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { holdWorkerLock, workerLockKey } from './worker-lock.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await killLockHolders();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('postgresql');
  cleanups.push(() => database.drop());
  return database;
}

async function engine(url: string, workerId: string): Promise<EngineDatabase> {
  const database = await openEngineDatabase(url, { migrate: false, listen: false, engineLock: { workerId } });
  // Closed by the test or, if not, after it; once either way.
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= database.close());
  cleanups.push(close);
  return { ...database, close };
}

async function lock(url: string, workerId: string, options: { onLost?: (error: EngineLockError) => void; retryMs?: number } = {}): Promise<EngineLock> {
  const held = await holdWorkerLock(url, { workerId, ...options });
  cleanups.push(() => held.release());
  return held;
}

async function reader(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** The backends holding a worker id's lock (its connection is named after the id). */
async function holders(client: pg.Client, workerId: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
     WHERE a.datname = current_database() AND a.application_name = $1`,
    [`cairn worker-id lock ${workerId}`.slice(0, 63)],
  );
  return rows.map((row) => row.pid);
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const taken = (id: string) => new RegExp(`worker id "${id}" is held by another live process: two processes may not share a CAIRN_WORKER_ID`);

describe('the PostgreSQL worker id lock', () => {
  it('refuses a second engine with the same worker id, and lets others in, until the first closes', async () => {
    const { url } = await freshDatabase();
    const first = await engine(url, 'worker-1');
    await expect(openEngineDatabase(url, { migrate: false, engineLock: { workerId: 'worker-1' } })).rejects.toThrow(taken('worker-1'));
    await expect(holdWorkerLock(url, { workerId: 'worker-1' })).rejects.toBeInstanceOf(EngineLockError);
    const second = await engine(url, 'worker-2');
    expect(await second.scalar('SELECT COUNT(*) FROM instances')).toBe(0);
    // Tools (no engine lock) are never refused.
    const tool = await openEngineDatabase(url, { migrate: false, listen: false });
    await tool.close();
    await first.close();
    const again = await engine(url, 'worker-1');
    expect(await again.scalar('SELECT 1')).toBe(1);
  });

  it('is per database: the same id on two databases of one cluster is two workers of two deployments', async () => {
    const [a, b] = [await freshDatabase(), await freshDatabase()];
    await engine(a.url, 'same');
    expect(await (await engine(b.url, 'same')).scalar('SELECT 1')).toBe(1);
  });

  it('takes any id as data: quotes, SQL, non-ASCII, 100 characters; each its own lock', async () => {
    const { url } = await freshDatabase();
    const ids = [`o'brien"; SELECT pg_sleep(10); --`, 'überwörker-ünïcode-名前', 'x'.repeat(100), 'x'.repeat(99)];
    for (const id of ids) await lock(url, id);
    for (const id of ids) await expect(holdWorkerLock(url, { workerId: id })).rejects.toBeInstanceOf(EngineLockError);
    expect(new Set(ids.map(workerLockKey)).size).toBe(ids.length);
    expect(workerLockKey('a')).toBe(workerLockKey('a'));
  });

  it('is dropped by PostgreSQL when the holding process is SIGKILLed', async () => {
    const { url } = await freshDatabase();
    const holder = holdLockInChild(url, 'dies');
    expect(await holder.outcome).toBe('held');
    await expect(holdWorkerLock(url, { workerId: 'dies' })).rejects.toThrow(taken('dies'));
    const second = holdLockInChild(url, 'dies');
    expect(await second.outcome).toEqual({ code: 3, output: expect.stringMatching(taken('dies')) });
    await holder.kill();
    // PostgreSQL ends the session once it sees the socket closed: at once on one host.
    let successor: EngineLock | undefined;
    await until(async () => {
      successor = await holdWorkerLock(url, { workerId: 'dies' }).catch(() => undefined);
      return successor !== undefined;
    }, 'the dead holder to release the id');
    await successor!.release();
  });

  it('takes the lock again on a new connection when its connection is terminated', async () => {
    const { url } = await freshDatabase();
    const lost: EngineLockError[] = [];
    await lock(url, 'resilient', { retryMs: 50, onLost: (error) => lost.push(error) });
    const admin = await reader(url);
    const [before] = await holders(admin, 'resilient');
    expect(before).toBeGreaterThan(0);
    await admin.query('SELECT pg_terminate_backend($1)', [before]);
    await until(async () => {
      const now = await holders(admin, 'resilient');
      return now.length === 1 && now[0] !== before;
    }, 'the lock held again by a new backend');
    await expect(holdWorkerLock(url, { workerId: 'resilient' })).rejects.toThrow(taken('resilient'));
    expect(lost).toEqual([]);
  });

  it('says so when another process took the id while its connection was lost', async () => {
    const { url } = await freshDatabase();
    let lost: (error: EngineLockError) => void = () => {};
    const lostError = new Promise<EngineLockError>((resolve) => (lost = resolve));
    // It retries after 2 s: time enough for the usurper below, which polls every 20 ms.
    await lock(url, 'contested', { retryMs: 2_000, onLost: lost });
    const admin = await reader(url);
    const [before] = await holders(admin, 'contested');
    await admin.query('SELECT pg_terminate_backend($1)', [before]);
    let usurper: EngineLock | undefined;
    await until(async () => {
      usurper = await holdWorkerLock(url, { workerId: 'contested' }).catch(() => undefined);
      return usurper !== undefined;
    }, 'the id free to take', 1_500);
    cleanups.push(() => usurper!.release());
    expect((await lostError).message).toMatch(taken('contested'));
  });
});
