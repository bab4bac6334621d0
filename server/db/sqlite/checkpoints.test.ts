// The SQLite checkpoint writer runs its transactions without foreign-key checks (they cost more than
// they find there); what those checks would catch — a run whose workflow is gone — it checks itself.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../engine/clock.js';
import { buildGraph } from '../../testing/graphs.js';
import { createHarness, type Harness } from '../../testing/harness.js';
import { sqlitePath } from './open.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const straight = () => buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']);

describe('SQLite checkpoint writer', () => {
  it('a run starting while its workflow is deleted is refused by name, leaves no row, and the runs committed with it are unaffected', async () => {
    harness = await createHarness({ clock: new FakeClock() });
    const doomed = await harness.publish(straight(), 'doomed');
    const other = await harness.publish(straight(), 'other');
    // A first run: the worker now knows the version, as it would when a start races the delete.
    const first = await harness.engine.startRun({ versionId: doomed.versionId });
    await harness.worker.drain();
    expect((await harness.engine.getRun(first.id)).status).toBe('completed');

    // Deleted by another connection, as the API's delete does (the cascade takes versions and runs).
    const admin = new Database(sqlitePath(harness.url));
    admin.pragma('foreign_keys = ON');
    admin.prepare("DELETE FROM workflows WHERE slug = 'doomed'").run();
    admin.close();

    // Started in the same turn, so both first checkpoints share one transaction.
    const [refused, started] = await Promise.allSettled([
      harness.engine.startRun({ versionId: doomed.versionId }),
      harness.engine.startRun({ versionId: other.versionId }),
    ]);
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason.message).toBe('workflow "doomed" was deleted while the run was starting; no run was started');
    expect(started.status).toBe('fulfilled');
    await harness.worker.drain();
    expect((await harness.engine.getRun((started as PromiseFulfilledResult<{ id: string }>).value.id)).status).toBe('completed');

    expect(await harness.count('SELECT COUNT(*) FROM instances WHERE version_id = ?', doomed.versionId)).toBe(0);
    expect(await harness.rows('PRAGMA foreign_key_check')).toEqual([]);
  });
});
