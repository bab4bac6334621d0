// CAIRN_EXPRESSION_TIMEOUT_MS as a user sets it: `cairn run` (a real process) fails an endless
// expression on the budget the variable names, and a bad value stops the command naming it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDialect } from '../testing/test-database.js';

// Each test starts real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function cairnRun(env: Record<string, string>) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-budget-'));
  const graph = {
    format: 'cairn.graph/v1',
    nodes: [
      { id: 'start', kind: 'start', config: {} },
      { id: 'spin', kind: 'step', config: { action: 'transform', input: { expression: '($f := function($x){ $f($x) }; $f(1))', data: {} } } },
      { id: 'end', kind: 'end', config: {} },
    ],
    edges: [
      { id: 'a', source: 'start', sourcePort: 'next', target: 'spin' },
      { id: 'b', source: 'spin', sourcePort: 'ok', target: 'end' },
    ],
  };
  writeFileSync(path.join(dir, 'spin.json'), JSON.stringify(graph));
  const result = spawnSync(process.execPath, [cairn, 'run', 'spin.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.runIf(testDialect() === 'sqlite')('CAIRN_EXPRESSION_TIMEOUT_MS', () => {
  it('is the time budget of every expression', () => {
    const result = cairnRun({ CAIRN_EXPRESSION_TIMEOUT_MS: '150' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ran over its time budget of 150 ms (CAIRN_EXPRESSION_TIMEOUT_MS)');
  });

  it.each(['0', 'soon', '1e9'])('refuses %j, naming the variable', (value) => {
    const result = cairnRun({ CAIRN_EXPRESSION_TIMEOUT_MS: value });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('CAIRN_EXPRESSION_TIMEOUT_MS');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
