// Eval sets travel with their workflow as scenarios do: `cairn import` of `{ slug, name, graph,
// scenarios, evals }` stores both with the draft (and publishing freezes them into the version),
// `cairn export` writes them back — the draft's, or a version's — and the exported file imports again
// as it is. A file with a bad eval set imports nothing and says which set and case. Real processes on
// the database the test run is parametrised with.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { triageGraph, triageSet } from '../testing/eval-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

// Real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
let dir: string;
let database: TestDatabase | undefined;
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
  database = undefined;
});

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cairn, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: database!.url, CAIRN_LOG_LEVEL: 'warn', CAIRN_AI_BASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A set that informs only (no threshold): publishing runs no model. */
const { threshold: _threshold, ...informing } = triageSet;
const scenario = { name: 'no model: fallback', input: { text: 'hi' }, expect: { status: 'failed' } };
const write = (file: string, value: unknown) => writeFileSync(path.join(dir, file), JSON.stringify(value));
const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));

async function setUp() {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-evals-files-'));
  database = await createTestDatabase();
}

describe('workflow files with eval sets', () => {
  it('import stores them with the draft and publishing freezes them; export writes them back; the export imports again', async () => {
    await setUp();
    write('triage.json', { slug: 'triage', name: 'Triage', graph: triageGraph(), scenarios: [scenario], evals: [informing] });
    const imported = await run('import', 'triage.json', '--publish');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('created the draft of triage (revision 1)\nstored 1 scenario(s) with the draft\nstored 1 eval set with the draft\npublished triage version 1\n');

    expect((await run('export', 'triage', '-o', 'draft.json')).code).toBe(0);
    const draft = read('draft.json');
    expect(draft).toMatchObject({ slug: 'triage', name: 'Triage', graph: { nodes: expect.arrayContaining([expect.objectContaining({ id: 'classify', kind: 'ai' })]) }, scenarios: [{ name: scenario.name }] });
    expect(draft.evals).toEqual([informing]);
    const version = JSON.parse((await run('export', 'triage', '--version', '1')).stdout);
    expect(version.evals).toEqual([informing]);
    expect(version.scenarios).toHaveLength(1);

    // The exported file, as it is, under another slug.
    const again = await run('import', 'draft.json', '--slug', 'triage-copy');
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('stored 1 eval set with the draft');
    expect(JSON.parse((await run('export', 'triage-copy')).stdout).evals).toEqual([informing]);

    // A file that leaves evals out leaves the stored sets alone; an empty list clears them.
    write('graph-only.json', { slug: 'triage', graph: triageGraph('Sort this ticket: {{ vars.text }}') });
    expect((await run('import', 'graph-only.json')).stdout).toBe('updated the draft of triage (revision 2)\n');
    expect(JSON.parse((await run('export', 'triage')).stdout).evals).toEqual([informing]);
    write('cleared.json', { slug: 'triage', graph: triageGraph(), evals: [], scenarios: [] });
    expect((await run('import', 'cleared.json')).stdout).toContain('stored 0 eval sets with the draft');
    expect(JSON.parse((await run('export', 'triage')).stdout)).toMatchObject({ format: 'cairn.graph/v2' });
  });

  it.each([
    ['a set for a node the graph lacks', [{ ...informing, node: 'sort' }], 'eval set "sort": the graph has no node "sort"'],
    ['a set for a node that is not an ai node', [{ ...informing, node: 'done' }], 'eval set "done": node "done" is a end node, not an ai node'],
    ['an assertion that is not JSONata', [{ ...informing, cases: [{ name: 'broken', vars: { text: 'x' }, expect: { assert: '$$$(' } }] }], 'eval set "classify" case "broken": the assertion is not valid JSONata'],
    ['two sets for one node', [informing, informing], 'eval set "classify": a second set for node "classify"'],
    ['a set with no cases and an unknown field', [{ node: 'classify', cases: [], weight: 2 }], 'eval set "classify".cases: an eval set needs at least one case\n  - eval set "classify".cases: an eval set needs at least one case\n  - eval set "classify": Unrecognized key: "weight"'],
    ['evals that are not a list', { classify: informing }, 'evals must be a list of eval sets'],
    ['more than 50 sets', Array.from({ length: 51 }, () => informing), 'evals: at most 50 eval sets, not 51'],
  ])('refuses %s, naming it, and imports nothing (exit code 2)', async (_what, evals, message) => {
    await setUp();
    write('bad.json', { slug: 'bad', name: 'Bad', graph: triageGraph(), scenarios: [scenario], evals });
    const result = await run('import', 'bad.json', '--publish');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cairn: bad.json: ${message}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect((await run('export', 'bad')).stderr).toContain('no workflow "bad"');
  });
});
