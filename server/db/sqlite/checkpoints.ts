// Group commit of checkpoints on SQLite: every checkpoint of a batch in one transaction, each one
// guarded by its expected revision so a writer that lost its lease cannot overwrite newer state.
import type Database from 'better-sqlite3';
import { FINISHED_STATUSES } from '../../engine/core/types.js';
import type { Checkpoint, CheckpointResult } from '../../engine/store.js';
import { json } from './rows.js';

export function createCheckpointWriter(db: Database.Database): (checkpoints: Checkpoint[]) => CheckpointResult[] {
  const findByKey = db.prepare<[string, string], { id: string }>('SELECT id FROM instances WHERE workflow_id = ? AND idempotency_key = ?');
  const insertInstance = db.prepare(`INSERT INTO instances (id, workflow_id, version_id, version, status, input, output, error, state, rev,
      history_count, waiting_on, lease_owner, lease_expires_at, idempotency_key, parent_id, created_at, updated_at, finished_at)
    VALUES (@id, @workflowId, @versionId, @version, @status, @input, @output, @error, @state, 1,
      @historyCount, @waitingOn, @leaseOwner, @leaseExpiresAt, @idempotencyKey, @parentId, @at, @at, @finishedAt)`);
  const updateInstance = db.prepare(`UPDATE instances SET status = @status, output = @output, error = @error, state = @state,
      rev = rev + 1, history_count = history_count + @added, waiting_on = @waitingOn, lease_owner = @leaseOwner,
      lease_expires_at = @leaseExpiresAt, updated_at = @at, finished_at = @finishedAt
    WHERE id = @id AND rev = @expectedRev`);
  const insertHistory = db.prepare(
    'INSERT INTO history_events (instance_id, seq, type, node_id, visit, attempt, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsertTimer = db.prepare(`INSERT INTO timers (id, instance_id, token_id, purpose, due_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at`);
  const deleteTimer = db.prepare('DELETE FROM timers WHERE id = ?');
  const deleteTimersOf = db.prepare('DELETE FROM timers WHERE instance_id = ?');

  function write(checkpoint: Checkpoint): CheckpointResult {
    const finished = FINISHED_STATUSES.includes(checkpoint.status);
    const values = {
      id: checkpoint.instanceId,
      status: checkpoint.status,
      output: json(checkpoint.output),
      error: json(checkpoint.error),
      state: JSON.stringify(checkpoint.state),
      waitingOn: checkpoint.waitingOn.length ? JSON.stringify(checkpoint.waitingOn) : null,
      leaseOwner: checkpoint.lease?.owner ?? null,
      leaseExpiresAt: checkpoint.lease?.expiresAt ?? null,
      at: checkpoint.at,
      finishedAt: finished ? checkpoint.at : null,
    };
    if (checkpoint.create) {
      const { create } = checkpoint;
      if (create.idempotencyKey) {
        const existing = findByKey.get(create.workflowId, create.idempotencyKey);
        if (existing) return { ok: false, reason: 'duplicate', existingId: existing.id };
      }
      insertInstance.run({
        ...values,
        workflowId: create.workflowId,
        versionId: create.versionId,
        version: create.version,
        input: JSON.stringify(create.input ?? null),
        historyCount: checkpoint.history.length,
        idempotencyKey: create.idempotencyKey ?? null,
        parentId: create.parentId ?? null,
      });
    } else {
      const changed = updateInstance.run({ ...values, expectedRev: checkpoint.expectedRev, added: checkpoint.history.length }).changes;
      if (changed === 0) return { ok: false, reason: 'conflict' };
    }
    for (const entry of checkpoint.history) {
      insertHistory.run(checkpoint.instanceId, entry.seq, entry.type, entry.nodeId ?? null, entry.visit ?? null, entry.attempt ?? null, json(entry.data), entry.at);
    }
    for (const id of checkpoint.timersToDelete) deleteTimer.run(id);
    if (finished) deleteTimersOf.run(checkpoint.instanceId);
    else for (const timer of checkpoint.timersToSet) upsertTimer.run(timer.id, timer.instanceId, timer.tokenId, timer.purpose, timer.dueAt);
    return { ok: true };
  }

  return db.transaction((checkpoints: Checkpoint[]) => checkpoints.map(write));
}
