// `cairn eval` as a user runs it: a real process on a real database (of the kind the run is
// parametrised with), a fake OpenAI-compatible provider on 127.0.0.1 named by CAIRN_AI_*. A file's
// eval set scores 1 and exits 0; the regression (scripted worse answers) scores 0.625, below the
// threshold, and exits 1; bad input exits 2 with one line naming what is wrong.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { good, triageGraph, triageSet, worse } from '../testing/eval-fixtures.js';
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

// Real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
let dir: string;
let database: TestDatabase | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
  await fake?.close();
  database = fake = undefined;
});

/** Asynchronous: the fake provider answers from this process while the command runs. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cairn, ...args], { cwd: dir, env: { ...process.env, CAIRN_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('cairn eval', () => {
  it("runs a file's eval set on a workflow's draft, exits 1 on a regression below the threshold and 2 on bad input", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-eval-'));
    database = await createTestDatabase();
    fake = await startFakeOpenAI([...good, ...worse]);
    const env = { DATABASE_URL: database.url, CAIRN_AI_BASE_URL: fake.baseURL, CAIRN_AI_MODELS: '{"default":"gpt-4o-mini"}' };
    writeFileSync(path.join(dir, 'triage.json'), JSON.stringify(triageGraph()));
    writeFileSync(path.join(dir, 'triage.evals.json'), JSON.stringify({ format: 'cairn.evals/v1', sets: [triageSet] }));
    expect((await run(['import', 'triage.json', '--slug', 'triage'], env)).code).toBe(0);

    const passing = await run(['eval', 'triage', '--sets', 'triage.evals.json'], env);
    expect(passing.stderr).toBe('');
    expect(passing.code).toBe(0);
    const lines = passing.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^✓ classify › crash is a bug \(1; 1 attempt\(s\), 0 repair\(s\), \d+ ms\)$/);
    expect(lines[1]).toMatch(/^✓ classify › invoice is billing \(1; 2 attempt\(s\), 1 repair\(s\), \d+ ms\)$/);
    expect(lines.slice(-2)).toEqual(['classify: 1 (threshold 0.75: met)', 'score 1']);

    const regressed = await run(['eval', 'triage', '--sets', 'triage.evals.json'], env);
    expect(regressed.code).toBe(1);
    expect(regressed.stdout).toContain('✗ classify › invoice is billing (0;');
    expect(regressed.stdout).toContain(`    assert: the assertion "answer.label = 'billing'" gave false, not true`);
    expect(regressed.stdout.trim().split('\n').slice(-2)).toEqual(['classify: 0.625 (threshold 0.75: below)', 'score 0.625']);
    expect(fake.requests).toHaveLength(9);

    // Bad input: one line on stderr, exit 2, no model asked.
    const bad = { format: 'cairn.evals/v1', sets: [{ node: 'classify', cases: [{ name: 'broken', vars: { text: 'x' }, expect: { assert: '$$$(' } }] }] };
    writeFileSync(path.join(dir, 'bad.evals.json'), JSON.stringify(bad));
    const refusals = [
      [['eval', 'triage', '--sets', 'bad.evals.json'], /^cairn: eval set "classify" case "broken": the assertion is not valid JSONata/],
      [['eval', 'triage', '--sets', 'missing.json'], /^cairn: cannot read missing\.json: ENOENT/],
      [['eval', 'nope', '--sets', 'triage.evals.json'], /^cairn: no workflow "nope"/],
      [['eval', 'triage'], /^cairn: workflow "triage" has no eval sets; add cases to an ai node first/],
      [['eval', 'triage', '--version', '0'], /^cairn: --version must be a version number, not "0"/],
      [['eval'], /^cairn: eval takes one workflow slug/],
    ] as const;
    for (const [args, message] of refusals) {
      const refused = await run([...args], env);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
    expect(fake.requests).toHaveLength(9);
  });
});
