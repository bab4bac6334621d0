// The floor: how many single-row autocommit INSERT transactions/s this disk and SQLite allow with
// exactly the engine's pragmas. Every engine figure is read as a ratio against it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite, type SqliteSync } from '../server/db/sqlite/open.js';
import { median } from './stats.js';

export interface FloorResult {
  /** Inserts per round. */
  inserts: number;
  /** The median round's figure. */
  opsPerSec: number;
  rounds: number[];
}

export function measureFloor(sync: SqliteSync, options: { inserts?: number; rounds?: number } = {}): FloorResult {
  const inserts = options.inserts ?? 3_000;
  const rounds = Array.from({ length: options.rounds ?? 3 }, () => insertRound(sync, inserts));
  return { inserts, opsPerSec: median(rounds), rounds };
}

/** One fresh migrated database, `inserts` autocommit single-row INSERTs; returns inserts/s. */
function insertRound(sync: SqliteSync, inserts: number): number {
  // Same temp filesystem as the engine harness, so both pay the same fsync.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-floor-'));
  try {
    const db = openSqlite(path.join(dir, 'floor.db'), { sync });
    try {
      db.exec('CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO bench_floor (value) VALUES (?)');
      // A short warm-up so the WAL file exists and the statement is hot before timing.
      for (let i = 0; i < 100; i++) insert.run(`warm-${i}`);
      const began = performance.now();
      for (let i = 0; i < inserts; i++) insert.run(`row-${i}`);
      return inserts / ((performance.now() - began) / 1000);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
