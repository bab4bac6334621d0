// A running run's steps and its lease (checkpoint-draft.ts): a step taken well within the lease
// keeps the row's lease as it is; once a third of it has passed, the next step writes a fresh one;
// and the row never holds a lease that another worker could take while the run is in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../actions/registry.js';
import { FakeClock } from '../clock.js';
import { lineOfSteps } from '../../testing/graphs.js';
import { createHarness, until, type Harness } from '../../testing/harness.js';

const LEASE_MS = 30_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a running run\'s lease across its steps', () => {
  it('a step within two thirds of the lease keeps the row\'s lease; a later step writes a fresh one; status and lease stay right throughout', async () => {
    const clock = new FakeClock();
    const releases: (() => void)[] = [];
    const gate = defineAction({
      name: 'gate',
      description: 'test: finishes when released',
      input: z.object({}),
      run: () => new Promise((resolve) => releases.push(() => resolve({ ok: true }))),
    });
    harness = await createHarness({ clock, leaseMs: LEASE_MS, actions: [gate] });
    const { versionId } = await harness.publish(lineOfSteps(['one', 'two', 'three'].map((id) => ({ id, action: 'gate', input: {} }))));
    const row = async () => (await harness!.rows<{ status: string; lease_owner: string | null; lease_expires_at: number | null; rev: number }>(
      'SELECT status, lease_owner, lease_expires_at, rev FROM instances',
    ))[0];

    const startedAt = clock.now();
    const { id } = await harness.engine.startRun({ versionId });
    await until(() => releases.length === 1, { what: 'the first attempt' });
    const first = await row();
    expect(first).toMatchObject({ status: 'running', lease_owner: harness.worker.id, lease_expires_at: startedAt + LEASE_MS });

    // Step one ends with the lease barely used: step two's checkpoint keeps it (the row moves on).
    clock.advance(1_000);
    releases[0]();
    await until(() => releases.length === 2, { what: 'the second attempt' });
    await until(async () => (await row()).rev > first.rev, { what: 'the checkpoint' });
    expect(await row()).toMatchObject({ status: 'running', lease_owner: harness.worker.id, lease_expires_at: startedAt + LEASE_MS });

    // Past a third of the lease: the worker's renewal, and the next step's checkpoint, extend it.
    clock.advance(14_000);
    releases[1]();
    await until(() => releases.length === 3, { what: 'the third attempt' });
    await until(async () => (await row()).lease_expires_at === clock.now() + LEASE_MS, { what: 'a fresh lease' });
    expect((await row()).status).toBe('running');

    releases[2]();
    await harness.worker.drain();
    expect(await row()).toMatchObject({ status: 'completed', lease_owner: null, lease_expires_at: null });
    expect(await harness.historyTypes(id)).toContain('nodeCompleted:three');
  });
});
