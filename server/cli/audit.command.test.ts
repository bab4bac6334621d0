// `cairn audit verify` and `cairn audit export` as a user runs them: real processes on a database
// (of the kind the test run is parametrised with) that a workload of approvals wrote. Verify passes,
// then fails naming the entry once one row is altered in the database — a log entry, or a decision.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness } from '../testing/harness.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { write } from '../db/statements.js';

vi.setConfig({ testTimeout: 90_000 });

const cairn = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/cairn.js');
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

const cli = (args: string[], url: string) => {
  const result = spawnSync(process.execPath, [cairn, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

const graph = buildGraph(
  [['start', 'start'], ['review', 'approval', { title: 'Go?', assignees: { users: ['ann', 'bob', 'cy'] }, approvalsNeeded: 2, remindEvery: '1h', decideAfter: '3h' }], ['done', 'end']],
  ['start.next -> review', 'review.approved -> done', 'review.rejected -> done'],
);

/** Three runs: one approved by two, one rejected by a veto, one reminded twice and decided automatically. */
async function workload(url: string) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8));
  const h = await createHarness({ databaseUrl: url, clock });
  try {
    await h.publish(graph, 'audited');
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await h.engine.startRun({ workflow: 'audited', input: {} })).id);
    await h.worker.drain();
    const task = (index: number) => `${ids[index]}:review:1`;
    await h.engine.decide(task(0), { by: { user: 'ann' }, decision: 'approve' });
    await h.engine.decide(task(0), { by: { user: 'bob' }, decision: 'approve', comment: 'ok' });
    await h.engine.decide(task(1), { by: { user: 'cy' }, decision: 'reject' });
    for (const hours of [1, 2, 3]) {
      clock.set(Date.UTC(2026, 5, 1, 8 + hours));
      await h.worker.drain();
    }
    return { entries: await h.count('SELECT COUNT(*) FROM audit_log'), alter: (sql: string) => h.database.transact(function* () {
      yield write(sql);
    }), close: () => h.close() };
  } catch (error) {
    await h.close();
    throw error;
  }
}

describe('cairn audit', () => {
  it('verify passes on a workload, then names the entry after one row is altered', async () => {
    database = await createTestDatabase();
    const run = await workload(database.url);
    try {
      // created ×3, decided ×3, reminded ×2 (the third run only), auto_decided ×1.
      expect(run.entries).toBe(9);
      const intact = cli(['audit', 'verify'], database.url);
      expect(intact, intact.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit log intact: 9 entries, head [0-9a-f]{64}\n$/) });

      const exported = cli(['audit', 'export'], database.url);
      expect(exported.code).toBe(0);
      const lines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; kind: string; actor: string });
      expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(lines.filter((line) => line.kind === 'decided').map((line) => line.actor)).toEqual(['ann', 'bob', 'cy']);

      // Someone turns bob's approval into a rejection in the log itself.
      const bob = lines.find((line) => line.actor === 'bob')!;
      await run.alter(`UPDATE audit_log SET data = replace(data, '"approved"', '"rejected"') WHERE seq = ${bob.seq}`);
      const broken = cli(['audit', 'verify'], database.url);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`audit log BROKEN at entry ${bob.seq}: entry ${bob.seq} (decided of task`);
      expect(broken.stdout).toContain('was altered');
    } finally {
      await run.close();
    }
  });

  it('verify names the entry when a decision row is altered, or an entry removed', async () => {
    database = await createTestDatabase();
    const run = await workload(database.url);
    try {
      await run.alter(`UPDATE approval_decisions SET decision = 'approved' WHERE "by" = 'cy'`);
      const decision = cli(['audit', 'verify'], database.url);
      expect(decision.code).toBe(1);
      expect(decision.stdout).toMatch(/BROKEN at entry \d+: the decision of cy on task .* was altered: it no longer matches audit entry \d+/);
      await run.alter(`UPDATE approval_decisions SET decision = 'rejected' WHERE "by" = 'cy'`);
      expect(cli(['audit', 'verify'], database.url).code).toBe(0);
      await run.alter('DELETE FROM audit_log WHERE seq = 4');
      expect(cli(['audit', 'verify'], database.url)).toMatchObject({ code: 1, stdout: expect.stringContaining('BROKEN at entry 5: entry 4 is missing') });
    } finally {
      await run.close();
    }
  });

  it('refuses an unknown verb with the usage', async () => {
    database = await createTestDatabase();
    const refused = cli(['audit', 'fix'], database.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('audit verify');
  });
});
