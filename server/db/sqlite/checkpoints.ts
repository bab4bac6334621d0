// Group commit of checkpoints on SQLite: every checkpoint of a batch in one transaction, each one
// guarded by its expected revision so a writer that lost its lease cannot overwrite newer state.
import type Database from 'better-sqlite3';
import type { Checkpoint, CheckpointResult } from '../../engine/store.js';
import { toCheckpointRows, type CheckpointRows } from '../checkpoint-rows.js';
import { closedEntries, createdEntries, ENGINE_ACTOR, updateEntries } from '../task-audit.js';
import { createAuditLog } from './audit.js';

// What a checkpoint that closes no task closed.
const NOTHING_CLOSED: ReadonlySet<string> = new Set();

export type CheckpointWriter = (batch: Checkpoint[]) => CheckpointResult[];

export function createCheckpointWriter(db: Database.Database): CheckpointWriter {
  const findByKey = db.prepare<[string, string], { id: string }>('SELECT id FROM instances WHERE workflow_id = ? AND idempotency_key = ?');
  const versionExists = db.prepare<[string], number>('SELECT 1 FROM workflow_versions WHERE id = ?').pluck();
  const insertInstance = db.prepare(`INSERT INTO instances (id, workflow_id, version_id, version, status, input, output, error, state, rev,
      history_count, waiting_on, lease_owner, lease_expires_at, idempotency_key, parent_id, created_at, updated_at, finished_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateInstance = db.prepare(`UPDATE instances SET status = ?, output = ?, error = ?, state = ?, rev = rev + 1,
      history_count = history_count + ?, waiting_on = ?, lease_owner = ?, lease_expires_at = ?, updated_at = ?, finished_at = COALESCE(finished_at, ?)
    WHERE id = ? AND rev = ?`);
  // A running run's step within its lease: status and lease stay, so SQLite leaves the three indexes
  // on them alone (it rewrites an index's entry whenever a SET names one of its columns).
  const updateKeepingLease = db.prepare(`UPDATE instances SET output = ?, error = ?, state = ?, rev = rev + 1, history_count = history_count + ?,
      waiting_on = ?, updated_at = ? WHERE id = ? AND rev = ?`);
  // A checkpoint's history rows in statements of up to four rows: a step writes three, and one
  // statement costs less than three.
  const HISTORY_ROW = '(?, ?, ?, ?, ?, ?, ?, ?)';
  const insertHistory = [1, 2, 3, 4].map((count) =>
    db.prepare(`INSERT INTO history_events (instance_id, seq, type, node_id, visit, attempt, data, at) VALUES ${Array(count).fill(HISTORY_ROW).join(', ')}`),
  );
  // The values of each statement, one array per row count, filled in place: a step binds three rows,
  // and slicing, destructuring or pushing them made garbage on every checkpoint.
  const historyValues = insertHistory.map((_, index) => new Array<unknown>((index + 1) * 8));
  function appendHistory(instanceId: string, history: CheckpointRows['history']): void {
    for (let first = 0; first < history.length; first += insertHistory.length) {
      const count = Math.min(insertHistory.length, history.length - first);
      const values = historyValues[count - 1];
      for (let row = 0; row < count; row++) {
        const entry = history[first + row];
        const at = row * 8;
        values[at] = instanceId;
        for (let column = 0; column < 7; column++) values[at + 1 + column] = entry[column];
      }
      insertHistory[count - 1].run(values);
    }
  }
  const upsertTimer = db.prepare(`INSERT INTO timers (id, instance_id, token_id, purpose, due_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at`);
  const deleteTimer = db.prepare('DELETE FROM timers WHERE id = ?');
  const deleteTimersOf = db.prepare('DELETE FROM timers WHERE instance_id = ?');
  const insertTask = db.prepare(`INSERT OR IGNORE INTO approval_tasks (id, instance_id, node_id, visit, token_id, title, details, data, form,
      shown_hash, status, due_at, created_at, policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
  const insertAssignee = db.prepare('INSERT OR IGNORE INTO approval_assignees (task_id, kind, name) VALUES (?, ?, ?)');
  const taskStatus = db.prepare<[string], string>('SELECT status FROM approval_tasks WHERE id = ?').pluck();
  const closeTask = db.prepare("UPDATE approval_tasks SET status = ? WHERE id = ? AND status = 'pending'");
  const autoDecide = db.prepare("UPDATE approval_tasks SET status = ?, decision = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'");
  const remind = db.prepare("UPDATE approval_tasks SET reminders = reminders + 1, reminded_at = ? WHERE id = ? AND status = 'pending'");
  const escalate = db.prepare("UPDATE approval_tasks SET escalated_at = ? WHERE id = ? AND status = 'pending'");
  const dropAssignees = db.prepare('DELETE FROM approval_assignees WHERE task_id = ?');
  const audit = createAuditLog(db);
  const cancelTasksOf = db.prepare("UPDATE approval_tasks SET status = 'cancelled' WHERE instance_id = ? AND status = 'pending'");
  const markDelivered = db.prepare('UPDATE signals SET delivered_at = ? WHERE id = ?');
  const dropUndelivered = db.prepare('UPDATE signals SET delivered_at = ? WHERE instance_id = ? AND delivered_at IS NULL');
  const postToChildren = db.prepare(`INSERT INTO signals (id, instance_id, kind, data, created_at)
    SELECT ? || ':' || id, id, 'cancel', ?, ? FROM instances WHERE parent_id = ? AND finished_at IS NULL`);
  // A child created after its parent ended (a cancel won the race with the start) is cancelled.
  const cancelOrphan = db.prepare(`INSERT INTO signals (id, instance_id, kind, data, created_at)
    SELECT ?, ?, 'cancel', ?, ? WHERE EXISTS (SELECT 1 FROM instances WHERE id = ? AND finished_at IS NOT NULL)`);
  const postToParent = db.prepare(`INSERT INTO signals (id, instance_id, kind, data, created_at)
    SELECT ?, id, 'child', ?, ? FROM instances WHERE id = ? AND finished_at IS NULL`);

  /** Close the checkpoint's tasks that are still pending; the ids of those it closed. */
  function closeTasks(rows: CheckpointRows): Set<string> {
    const closed = new Set<string>();
    for (const [taskId, status] of rows.tasksToClose) {
      const automatic = status === 'approved' || status === 'rejected';
      const { changes } = automatic ? autoDecide.run(status, status, rows.at, ENGINE_ACTOR, taskId) : closeTask.run(status, taskId);
      if (changes > 0) closed.add(taskId);
    }
    return closed;
  }

  function write(rows: CheckpointRows): CheckpointResult {
    // A time-out must not close a task someone decided meanwhile: refuse, so the decision is
    // delivered first. Checked before anything of this checkpoint is written.
    // The same for an automatic decision at a deadline.
    for (const [taskId, status] of rows.tasksToClose) {
      if (status !== 'cancelled' && taskStatus.get(taskId) !== 'pending') return { ok: false, reason: 'conflict' };
    }
    const finishedAt = rows.finished ? rows.at : null;
    if (rows.create) {
      const { create } = rows;
      // Foreign keys are not checked here (below): a workflow deleted while this run was starting
      // refuses the run itself, instead of leaving a row that belongs to nothing.
      if (!versionExists.get(create.versionId)) return { ok: false, reason: 'conflict' };
      if (create.idempotencyKey) {
        const existing = findByKey.get(create.workflowId, create.idempotencyKey);
        if (existing) return { ok: false, reason: 'duplicate', existingId: existing.id };
      }
      insertInstance.run(
        rows.id, create.workflowId, create.versionId, create.version, rows.status, create.input, rows.output, rows.error, rows.state,
        rows.history.length, rows.waitingOn, rows.leaseOwner, rows.leaseExpiresAt, create.idempotencyKey, create.parentId, rows.at, rows.at, finishedAt,
      );
      if (create.parentId && !rows.finished) {
        cancelOrphan.run(`${rows.id}:orphan`, rows.id, JSON.stringify({ compensate: false, by: `parent ${create.parentId}`, reason: 'the parent run had already ended' }), rows.at, create.parentId);
      }
    } else if (rows.statusAndLeaseKept) {
      const { changes } = updateKeepingLease.run(rows.output, rows.error, rows.state, rows.history.length, rows.waitingOn, rows.at, rows.id, rows.expectedRev);
      if (changes === 0) return { ok: false, reason: 'conflict' };
    } else {
      const { changes } = updateInstance.run(
        rows.status, rows.output, rows.error, rows.state, rows.history.length, rows.waitingOn, rows.leaseOwner, rows.leaseExpiresAt, rows.at, finishedAt,
        rows.id, rows.expectedRev,
      );
      if (changes === 0) return { ok: false, reason: 'conflict' };
    }
    appendHistory(rows.id, rows.history);
    for (const id of rows.timersToDelete) deleteTimer.run(id);
    for (const id of rows.signalsDelivered) markDelivered.run(rows.at, id);
    const closed = rows.tasksToClose.length > 0 ? closeTasks(rows) : NOTHING_CLOSED;
    if (rows.cancelChildren) postToChildren.run(rows.cancelChildren.prefix, rows.cancelChildren.data, rows.at, rows.id);
    if (rows.notifyParent) postToParent.run(rows.notifyParent.signalId, rows.notifyParent.data, rows.at, rows.notifyParent.parentId);
    if (rows.finished) {
      // Whatever the run still held ends with it: timers, open tasks and unread inbox rows.
      deleteTimersOf.run(rows.id);
      cancelTasksOf.run(rows.id);
      dropUndelivered.run(rows.at, rows.id);
      audit.append(closedEntries(rows, closed));
      return { ok: true };
    }
    for (const [id, tokenId, purpose, dueAt] of rows.timersToSet) upsertTimer.run(id, rows.id, tokenId, purpose, dueAt);
    for (const [id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, users, roles, policy] of rows.tasksToCreate) {
      insertTask.run(id, rows.id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, rows.at, policy);
      for (const user of users) insertAssignee.run(id, 'user', user);
      for (const role of roles) insertAssignee.run(id, 'role', role);
    }
    for (const [taskId, change] of rows.taskUpdates) {
      if (change.kind === 'reminded') {
        remind.run(rows.at, taskId);
        continue;
      }
      if (escalate.run(rows.at, taskId).changes === 0) continue;
      if (change.mode === 'reassign') dropAssignees.run(taskId);
      for (const user of change.to.users) insertAssignee.run(taskId, 'user', user);
      for (const role of change.to.roles) insertAssignee.run(taskId, 'role', role);
    }
    if (rows.tasksToCreate.length > 0 || rows.taskUpdates.length > 0 || closed.size > 0) {
      audit.append([...createdEntries(rows), ...updateEntries(rows), ...closedEntries(rows, closed)]);
    }
    return { ok: true };
  }

  // Each checkpoint becomes rows just before it is written: a batch's serialized rows are never all
  // alive at once, which keeps what the young generation must copy when it collects mid-commit small.
  const writeAll = db.transaction((batch: Checkpoint[]) => batch.map((checkpoint) => write(toCheckpointRows(checkpoint))));
  // Every row written here belongs to the run just inserted (its version checked above) or updated
  // (or to a task just created), or is selected from `instances` (parents', children's inbox rows):
  // SQLite's foreign-key checks would only find what the writer already knows, at about 1.7 µs a
  // history row. So they are off for this transaction (the pragma cannot change inside one) and on
  // again for everything else.
  const keysOff = db.prepare('PRAGMA foreign_keys = OFF');
  const keysOn = db.prepare('PRAGMA foreign_keys = ON');
  return (batch) => {
    keysOff.run();
    try {
      return writeAll(batch);
    } finally {
      keysOn.run();
    }
  };
}
