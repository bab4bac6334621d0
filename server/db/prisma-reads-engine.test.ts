// The engine writes through its driver (better-sqlite3 or pg) and the API reads through Prisma:
// both must agree on the same rows, including times (epoch ms on SQLite, timestamp(3) on
// PostgreSQL) and JSON columns. Runs on both databases (CAIRN_TEST_DATABASE).
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { createPrismaClient } from './prisma-client.js';

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
