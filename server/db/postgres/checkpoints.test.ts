// Checkpoints that race on PostgreSQL. A worker keeps two batches in flight and several workers
// share the database, so a parent's ending and the creation of its child can be committed at the
// same moment in different transactions. Whichever order they land in, the child must learn that
// its parent ended.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstCheckpoint } from '../../engine/runner/admission.js';
import type { Checkpoint } from '../../engine/store.js';
import { buildGraph } from '../../testing/graphs.js';
import { openEngineDatabase, type EngineDatabase } from '../engine-database.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';

const AT = Date.UTC(2026, 0, 1);
const graph = buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']);

let testDatabase: TestDatabase;
let database: EngineDatabase;
let ending: pg.Client;
let version: { workflowId: string; versionId: string; version: number };

beforeEach(async () => {
  testDatabase = await createTestDatabase('postgresql');
  database = await openEngineDatabase(testDatabase.url, { migrate: false, listen: false });
  version = await database.publishVersion({ slug: 'race', graph, now: AT });
  ending = new pg.Client({ connectionString: testDatabase.url });
  await ending.connect();
});

afterEach(async () => {
  await ending.end();
  await database.close();
  await testDatabase.drop();
});

function creating(id: string, parentId?: string): Checkpoint {
  return { ...firstCheckpoint(version, { id, input: {}, parentId }, AT), status: 'running', lease: { owner: 'w', expiresAt: AT + 30_000 } };
}

/** A step of a run the worker `w` holds, computed from revision `rev`. */
function moving(id: string, rev: number): Checkpoint {
  return { ...creating(id), create: undefined, expectedRev: rev };
}

const cancelsFor = (id: string) => database.scalar<number>("SELECT COUNT(*) FROM signals WHERE instance_id = ? AND kind = 'cancel'", id);

/** Resolves once `count` connections are waiting for row locks. */
async function someoneWaitsForALock(count = 1): Promise<void> {
  for (;;) {
    const waiting = await database.scalar<number>("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if (waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a child created while its parent is ending (PostgreSQL)', () => {
  it('waits for the ending to commit and is cancelled', async () => {
    expect(await database.store.commit([creating('parent')])).toEqual([{ ok: true }]);
    // The parent's ending, in flight in another transaction.
    await ending.query('BEGIN');
    await ending.query("UPDATE instances SET status = 'cancelled', finished_at = now() WHERE id = 'parent'");

    const child = database.store.commit([creating('child', 'parent')]);
    await Promise.race([
      someoneWaitsForALock(),
      child.then(() => {
        throw new Error("the child was committed without waiting for its parent's ending");
      }),
    ]);
    await ending.query('COMMIT');

    expect(await child).toEqual([{ ok: true }]);
    expect(await cancelsFor('child')).toBe(1);
  });

  it('a child created while the parent goes on is not cancelled', async () => {
    await database.store.commit([creating('parent')]);
    expect(await database.store.commit([creating('child', 'parent')])).toEqual([{ ok: true }]);
    expect(await cancelsFor('child')).toBe(0);
  });
});

describe('lease renewal beside a checkpoint in flight (PostgreSQL)', () => {
  // Renewal and the worker's own batches lock the same runs. Waiting there once led to deadlocks
  // (each costing a second to detect); a run a checkpoint holds gets its lease from that checkpoint.
  it('skips runs a checkpoint has locked instead of waiting for them', async () => {
    await database.store.commit([creating('a'), creating('b')]);
    await ending.query('BEGIN');
    await ending.query("UPDATE instances SET updated_at = updated_at WHERE id = 'b'");
    const batch = database.store.commit([moving('b', 1), moving('a', 1)]); // locks a, then waits for b
    await someoneWaitsForALock();

    const renewal = database.store.renewLeases('w', ['b', 'a'], AT + 60_000);
    const outcome = await Promise.race([renewal.then(() => 'renewed'), someoneWaitsForALock(2).then(() => 'blocked')]);
    expect(outcome).toBe('renewed');
    await ending.query('COMMIT');
    expect(await batch).toEqual([{ ok: true }, { ok: true }]);
  });
});
