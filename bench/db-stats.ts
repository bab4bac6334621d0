// Read-only facts about a benchmark database: run counts by status, timers, size on disk.
import { existsSync, statSync } from 'node:fs';
import { sqlitePath } from '../server/db/sqlite/open.js';
import type { DatabaseReader } from '../server/testing/database-reader.js';
import type { Harness } from '../server/testing/harness.js';

/** From a harness or a reader of the database. */
export async function statusCounts(db: Pick<DatabaseReader, 'rows'>): Promise<Record<string, number>> {
  const rows = await db.rows<{ status: string; count: number }>('SELECT status, COUNT(*) AS count FROM instances GROUP BY status');
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

export function timerCount(harness: Harness): Promise<number> {
  return harness.count('SELECT COUNT(*) FROM timers');
}

/** The SQLite database file plus its WAL: what the runs cost on disk right now. */
export function diskBytes(url: string): { file: number; wal: number; total: number } {
  const file = sqlitePath(url);
  const size = (name: string) => (existsSync(name) ? statSync(name).size : 0);
  const main = size(file);
  const wal = size(`${file}-wal`);
  return { file: main, wal, total: main + wal };
}
