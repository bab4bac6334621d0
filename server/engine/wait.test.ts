// Durable waits on the fake clock: a `wait` resumes exactly when the clock reaches its due time.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

const DAY = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('wait', () => {
  it('a 7d wait resumes exactly when the clock reaches the due time, not a millisecond before', async () => {
    const clock = new FakeClock(Date.UTC(2026, 4, 1));
    harness = await createHarness({ clock });
    const graph = buildGraph(
      [['start', 'start'], ['week', 'wait', { duration: '7d' }], ['end', 'end', { output: '{{ { "resumedAt": $millis() } }}' }]],
      ['start.next -> week', 'week.next -> end'],
    );
    const began = Date.now();
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId, input: {} });
    await harness.worker.drain();
    const parked = await harness.engine.getRun(id);
    expect(parked.status).toBe('waiting');
    expect(parked.waitingOn).toEqual([{ nodeId: 'week', kind: 'timer', until: new Date(Date.UTC(2026, 4, 8)).toISOString() }]);
    expect(parked.leaseOwner).toBeNull();

    clock.advance(7 * DAY - 1);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');

    clock.advance(1);
    await harness.worker.drain();
    const done = await harness.engine.getRun(id);
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({ resumedAt: Date.UTC(2026, 4, 8) });
    const resumed = (await harness.engine.history(id)).find((event) => event.type === 'nodeCompleted' && event.nodeId === 'week');
    expect(resumed?.at).toBe(Date.UTC(2026, 4, 8));
    expect(Date.now() - began).toBeLessThan(1_000);
  });

  it('a wait `until` an expression resumes exactly at the time it gives', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock });
    const graph = buildGraph(
      [['start', 'start'], ['reminder', 'wait', { until: '{{ $fromMillis($toMillis(input.trialEnd) - 3 * 86400000) }}' }], ['end', 'end']],
      ['start.next -> reminder', 'reminder.next -> end'],
    );
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId, input: { trialEnd: '2026-01-31T12:00:00.000Z' } });
    await harness.worker.drain();
    const due = Date.UTC(2026, 0, 28, 12);
    expect((await harness.engine.getRun(id)).waitingOn[0].until).toBe(new Date(due).toISOString());

    clock.set(due - 1);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');
    clock.set(due);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('completed');
  });

  it('an `until` already past continues at once, and one that is not a date-time fails naming the node', async () => {
    harness = await createHarness();
    const graph = (until: string) =>
      buildGraph([['start', 'start'], ['later', 'wait', { until }], ['end', 'end']], ['start.next -> later', 'later.next -> end']);
    expect((await harness.run(graph('{{ "2001-01-01T00:00:00Z" }}'))).status).toBe('completed');
    const failed = await harness.run(graph('{{ input.when }}'), { when: 'next tuesday' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'INVALID_UNTIL', nodeId: 'later' });
    expect(failed.error?.message).toContain('"next tuesday"');
  });
});
