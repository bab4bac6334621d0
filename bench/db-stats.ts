// Read-only facts about a benchmark database: run counts by status, timers, size on disk.
import { existsSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';

export function statusCounts(db: Database.Database): Record<string, number> {
  const rows = db.prepare<[], { status: string; count: number }>('SELECT status, COUNT(*) AS count FROM instances GROUP BY status').all();
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

export function timerCount(db: Database.Database): number {
  return db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM timers').get()!.count;
}

/** The database file plus its WAL: what the runs cost on disk right now. */
export function diskBytes(file: string): { file: number; wal: number; total: number } {
  const size = (name: string) => (existsSync(name) ? statSync(name).size : 0);
  const main = size(file);
  const wal = size(`${file}-wal`);
  return { file: main, wal, total: main + wal };
}
