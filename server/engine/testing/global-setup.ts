// Vitest global setup: one temp folder for the whole test run, removed at the end. Fork workers
// can end without Node's `exit` event, so per-process clean-up alone would leave folders behind.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-tests-'));
  process.env.CAIRN_TEST_TMP = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
