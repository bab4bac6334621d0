// `cairn test` as CI runs it: a real process over the examples' scenarios (all pass, every node and
// edge of every example reached, JUnit XML of the right shape), a broken expectation, malformed files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialect } from '../testing/test-database.js';
import { elementsNamed, parseXml } from '../testing/xml-tree.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cairn = path.join(root, 'bin/cairn.js');
const EXAMPLES = ['expense-approval', 'order-fulfilment', 'payment-retry', 'subscription-lifecycle', 'ticket-triage'];

function cairnTest(args: string[], cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cairn, 'test', ...args], { cwd, env: { ...process.env, CAIRN_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-test-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One database kind suffices: scenarios always run on a throw-away SQLite file of their own.
describe.runIf(testDialect() === 'sqlite')('cairn test', { timeout: 90_000 }, () => {
  it('runs every example scenario: all pass, every node and edge of every example is reached, JUnit XML has the schema shape', async () => {
    const junit = path.join(dir, 'junit.xml');
    const { code, stdout, stderr } = await cairnTest(['examples/', '--require-coverage', '--junit', junit]);
    expect(stderr).toBe('');
    const count = stdout.split('\n').filter((line) => line.startsWith('✓ ')).length;
    expect(count).toBeGreaterThanOrEqual(15);
    expect(stdout).not.toContain('✗');
    for (const example of EXAMPLES) expect(stdout).toMatch(new RegExp(`server/seed/examples/${example}\\.json: nodes (\\d+)/\\1, edges (\\d+)/\\2\\n`));
    expect(lastLine(stdout)).toBe(`${count} passed, 0 failed`);
    expect(code).toBe(0);

    // JUnit's shape (the XSD CI reporters use): testsuites > testsuite > testcase, counts that add up.
    const top = parseXml(readFileSync(junit, 'utf8'));
    expect(top.name).toBe('testsuites');
    expect(top.attributes.tests).toBe(String(count));
    expect([top.attributes.failures, top.attributes.errors]).toEqual(['0', '0']);
    const suites = top.children;
    expect(suites.map((suite) => suite.name)).toEqual(EXAMPLES.map(() => 'testsuite'));
    expect(suites.map((suite) => suite.attributes.name)).toEqual(EXAMPLES.map((example) => `examples/${example}.scenarios.json`));
    let cases = 0;
    for (const suite of suites) {
      for (const attribute of ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'timestamp']) expect(attribute in suite.attributes, attribute).toBe(true);
      expect(suite.attributes.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      const testcases = suite.children;
      expect(testcases.every((testcase) => testcase.name === 'testcase' && testcase.attributes.name && /^\d+\.\d{3}$/.test(testcase.attributes.time))).toBe(true);
      expect(Number(suite.attributes.tests)).toBe(testcases.length);
      cases += testcases.length;
    }
    expect(cases).toBe(count);
  });

  it('a broken expectation fails, naming the step and the difference; the closing line and exit code say so', async () => {
    const suite = JSON.parse(readFileSync(path.join(root, 'examples/expense-approval.scenarios.json'), 'utf8'));
    suite.workflow.file = path.join(root, 'server/seed/examples/expense-approval.json');
    // The director is told to approve, but the second step expects the run to wait at the manager still.
    suite.scenarios[2].steps[1].expect.waitingAt = ['manager'];
    suite.scenarios[0].expect.output.amount = 400;
    const file = path.join(dir, 'broken.scenarios.json');
    writeFileSync(file, JSON.stringify(suite));
    const { code, stdout } = await cairnTest([file, '--junit', path.join(dir, 'broken.xml')], dir);
    expect(stdout).toContain('✗ broken.scenarios.json › a manager approves with a cost centre and the expense is reimbursed');
    expect(stdout).toContain('    end: expect.output.amount: expected 400, got 420');
    expect(stdout).toContain('    step 2 (advance until node director): expect.waitingAt: expected the run to wait at [manager], it waits at [director] (waiting)');
    expect(lastLine(stdout)).toBe(`${suite.scenarios.length - 2} passed, 2 failed`);
    expect(code).toBe(1);
    const report = parseXml(readFileSync(path.join(dir, 'broken.xml'), 'utf8'));
    const failures = elementsNamed(report, 'failure');
    expect(failures.map((failure) => failure.attributes.message)).toEqual(['end: expect.output.amount: expected 400, got 420', expect.stringContaining('step 2 (advance until node director): expect.waitingAt')]);
    expect(report.attributes.failures).toBe('2');
  });

  it('malformed files are failures naming the file and step; the good file beside them still runs', async () => {
    const folder = path.join(dir, 'hostile');
    const graph = path.join(root, 'server/seed/examples/subscription-lifecycle.json');
    const scenario = (fields: object) => JSON.stringify({ format: 'cairn.scenario/v1', name: 'x', workflow: { file: graph }, input: { user: 'a@b.c', trialEndsAt: '2026-01-15T00:00:00Z' }, ...fields });
    rmSync(folder, { recursive: true, force: true });
    const files: Record<string, string> = {
      'a-bad-json.scenario.json': '{ "format": "cairn.scenario/v1", ',
      'b-unknown-step.scenario.json': scenario({ steps: [{ advance: '1d' }, { sleep: '7d' }] }),
      'c-unknown-node.scenario.json': scenario({ steps: [{ decide: 'boss', decision: 'approve' }] }),
      'd-huge-duration.scenario.json': scenario({ steps: [{ advance: '5000y' }] }),
      'e-no-graph.scenario.json': JSON.stringify({ format: 'cairn.scenario/v1', name: 'x', workflow: { file: 'missing.json' } }),
      'f-good.scenario.json': scenario({ steps: [{ signal: 'converted' }, { advance: { untilWaiting: true } }], expect: { status: 'completed' } }),
    };
    await import('node:fs').then(({ mkdirSync }) => mkdirSync(folder));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
    const { code, stdout } = await cairnTest([folder], dir);
    expect(stdout).toMatch(/hostile\/a-bad-json\.scenario\.json: not valid JSON: /);
    expect(stdout).toContain('hostile/b-unknown-step.scenario.json: scenario "x", step 2: unknown step ("sleep"); a step is one of advance, signal, decide, ai, callback, stub');
    expect(stdout).toContain('hostile/c-unknown-node.scenario.json: scenario "x", step 1 (decide boss approve): no node "boss" in the workflow, which has no approval node');
    expect(stdout).toContain('hostile/d-huge-duration.scenario.json: scenario "x", step 1 (advance): advance: "5000y" is longer than the limit of 1 year');
    expect(stdout).toMatch(/hostile\/e-no-graph\.scenario\.json: scenario "x": workflow file missing\.json \(.*missing\.json\): no such file/);
    expect(stdout).toContain('✓ hostile/f-good.scenario.json › x');
    expect(lastLine(stdout)).toBe('1 passed, 5 failed');
    expect(code).toBe(1);
  });

  it('a path that does not exist, or a folder without scenarios, is a usage error (exit 2)', async () => {
    expect(await cairnTest(['nowhere/'], dir)).toMatchObject({ code: 2, stderr: 'cairn: nowhere/: no such file or folder\n' });
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    const result = await cairnTest([empty], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no scenario files (*.scenario.json, *.scenarios.json) in this folder');
  });
});
