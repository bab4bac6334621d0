// The engine writes through its driver (better-sqlite3 or pg) and the API reads through Prisma:
// both must agree on the same rows, including times (epoch ms on SQLite, timestamp(3) on
// PostgreSQL) and JSON columns. Runs on both databases (CAIRN_TEST_DATABASE). Publishing is one
// program (db/versions.ts) that the engine's driver and Prisma both run: their versions interleave.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { numberedPlaceholders } from './postgres/sql.js';
import { createPrismaClient } from './prisma-client.js';
import { createWorkflowsRepo } from './repos/workflows.repo.js';
import { graphHash } from './versions.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Prisma reads what the engine wrote', () => {
  it('a waiting run, its version, history and timer', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 1, 12));
    harness = await createHarness({ clock });
    const graph = buildGraph([['start', 'start'], ['nap', 'wait', { duration: '2d' }], ['end', 'end']], ['start.next -> nap', 'nap.next -> end']);
    const { versionId } = await harness.publish(graph, 'napper');
    const { id } = await harness.engine.startRun({ versionId, input: { who: 'Ada' } });
    await harness.worker.drain();

    const prisma = await createPrismaClient(harness.url);
    try {
      const run = await prisma.instance.findUniqueOrThrow({
        where: { id },
        include: { workflow: true, workflowVersion: true, history: { orderBy: { seq: 'asc' } }, timers: true },
      });
      expect(run.status).toBe('waiting');
      expect(run.createdAt).toEqual(new Date(Date.UTC(2026, 6, 1, 12)));
      expect(JSON.parse(run.input)).toEqual({ who: 'Ada' });
      expect(run.workflow.slug).toBe('napper');
      expect(run.workflowVersion.version).toBe(1);
      expect(run.history.map((event) => event.seq)).toEqual(run.history.map((_, index) => index + 1));
      expect(run.history[0]).toMatchObject({ type: 'runStarted', at: new Date(Date.UTC(2026, 6, 1, 12)) });
      expect(run.timers).toEqual([expect.objectContaining({ purpose: 'wait', dueAt: new Date(Date.UTC(2026, 6, 3, 12)) })]);
      expect(run.historyCount).toBe(run.history.length);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('one publish for the engine and the API', () => {
  it('versions published through the engine driver and through Prisma, concurrently, number 1…n on one workflow', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 1, 12));
    harness = await createHarness({ clock });
    const graph = (output: number) => buildGraph([['start', 'start'], ['end', 'end', { output: `{{ ${output} }}` }]], ['start.next -> end']);
    const prisma = await createPrismaClient(harness.url);
    try {
      const repo = createWorkflowsRepo(prisma);
      const published = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => (n % 2 ? harness!.publish(graph(n), 'twice') : repo.publish({ slug: 'twice', graph: graph(n), note: `n${n}`, now: clock.now() + n }))),
      );
      expect(published.map((entry) => entry.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(published.map((entry) => entry.workflowId)).size).toBe(1);

      const workflow = await prisma.workflow.findUniqueOrThrow({ where: { slug: 'twice' }, include: { versions: { orderBy: { version: 'asc' } } } });
      expect(workflow.activeVersion).toBe(Math.max(...published.map((entry) => entry.version)));
      const second = published[1];
      const row = workflow.versions.find((version) => version.id === second.versionId)!;
      expect(row).toMatchObject({ version: second.version, note: 'n2', graphHash: graphHash(graph(2)), publishedAt: new Date(clock.now() + 2) });
      // The engine reads what Prisma published (and the API what the engine did).
      expect((await harness.store.loadVersion(second.versionId)).graph).toEqual(graph(2));
      expect((await harness.store.activeVersion('twice'))?.version).toBe(workflow.activeVersion);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('`?` becomes $n outside quoted text and identifiers only', () => {
    expect(numberedPlaceholders(`SELECT '?', "a?b", x FROM t WHERE a = ? AND b IN (?, ?) AND c = 'it''s ?'`)).toBe(
      `SELECT '?', "a?b", x FROM t WHERE a = $1 AND b IN ($2, $3) AND c = 'it''s ?'`,
    );
  });
});
