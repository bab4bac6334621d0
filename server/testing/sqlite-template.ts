// A migrated, empty SQLite file made once per test process; tests copy it, which is much faster
// than migrating each time.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '../db/sqlite/open.js';

let template: string | undefined;

/** Where tests put their files: the test run's own folder (see global-setup.ts), else the OS's. */
export function scratchRoot(): string {
  return process.env.CAIRN_TEST_TMP ?? os.tmpdir();
}

export function migratedTemplate(): string {
  if (!template) {
    const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-template-'));
    template = path.join(dir, 'template.db');
    const db = openSqlite(template);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return template;
}
