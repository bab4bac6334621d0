// The floor: how many single-row autocommit INSERT transactions/s this disk and SQLite allow with
// exactly the engine's pragmas. Every engine figure is read as a ratio against it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite, type SqliteSync } from '../server/db/sqlite/open.js';

export interface FloorResult {
  inserts: number;
  seconds: number;
  opsPerSec: number;
}

export function measureFloor(sync: SqliteSync, inserts = 3_000): FloorResult {
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
      const seconds = (performance.now() - began) / 1000;
      return { inserts, seconds, opsPerSec: inserts / seconds };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
