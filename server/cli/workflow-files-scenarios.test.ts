// Scenarios travel with their workflow: `cairn import` of `{ slug, name, graph, scenarios }` stores
// them with the draft and freezes them into the version it publishes, `cairn export` writes them back
// (the draft's or a version's), and `cairn test` runs an exported file as it is. Real processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialect } from '../testing/test-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-scenario-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cairn = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/cairn.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 'cairn.db')}`, CAIRN_LOG_LEVEL: 'warn' } });

describe.runIf(testDialect() === 'sqlite')('workflow files with scenarios', { timeout: 120_000 }, () => {
  it('import stores and freezes them, export writes them back, cairn test runs the exported file', () => {
    const example = JSON.parse(readFileSync(path.join(root, 'server/seed/examples/payment-retry.json'), 'utf8'));
    const { scenarios } = JSON.parse(readFileSync(path.join(root, 'examples/payment-retry.scenarios.json'), 'utf8'));
    writeFileSync(path.join(dir, 'payments.json'), JSON.stringify({ slug: 'payments', name: 'Payments', graph: example.graph, scenarios }));

    const imported = cairn('import', 'payments.json', '--publish');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain(`stored ${scenarios.length} scenario(s) with the draft`);
    expect(imported.stdout).toContain('published payments version 1');

    const exported = cairn('export', 'payments', '-o', 'out.json');
    expect(exported.status).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
    expect(file).toMatchObject({ slug: 'payments', name: 'Payments', graph: { nodes: example.graph.nodes.map(() => expect.anything()) } });
    expect(file.scenarios.map((scenario: { name: string }) => scenario.name)).toEqual(scenarios.map((scenario: { name: string }) => scenario.name));
    expect(JSON.parse(cairn('export', 'payments', '--version', '1').stdout).scenarios).toHaveLength(scenarios.length);

    const tested = cairn('test', 'out.json');
    expect(tested.stdout.trimEnd().split('\n').at(-1)).toBe(`${scenarios.length} passed, 0 failed`);
    expect(tested.status).toBe(0);
  });

  it('a file with a bad scenario imports nothing and says which scenario and step', () => {
    const example = JSON.parse(readFileSync(path.join(root, 'server/seed/examples/payment-retry.json'), 'utf8'));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ slug: 'bad', graph: example.graph, scenarios: [{ name: 'x', steps: [{ advance: 'forever' }] }] }));
    const result = cairn('import', 'bad.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cairn: bad.json: scenarios: scenario 1 "x", step 1 (advance): advance: "forever" is not a duration');
    expect(cairn('export', 'bad').stderr).toContain('no workflow "bad"');
  });
});
