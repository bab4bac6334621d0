// Group commit of checkpoints on PostgreSQL. A batch is one transaction of a fixed number of
// statements whatever its size: each kind of write goes as one statement whose rows travel as one
// JSON parameter, so a thousand checkpoints cost about the round trips of one. (JSON, not `pg`
// arrays per column: JSON.stringify is native, while `pg` escapes array elements in JavaScript,
// which cost the worker a fifth of its time in the steps benchmark.) Each checkpoint is still
// guarded by its expected revision, so a worker that lost its lease cannot overwrite newer state.
import type { CheckpointResult } from '../../engine/store.js';
import type { CheckpointRows } from '../checkpoint-rows.js';
import { ts, type Queryable } from './sql.js';
import { writeTaskChanges } from './task-writes.js';
import { ENGINE_ACTOR } from '../task-audit.js';

/** What the batch asks other processes to look at: work for now, and the earliest timer it set. */
export interface CommitWake {
  work: boolean;
  timerAt: number | null;
}

/** A JSON array of row arrays (one parameter) read as typed columns: `jsonRows('$1', 'id text, n int')`. */
function jsonRows(param: string, columns: string): string {
  const select = columns.split(/,\s*/).map((column, index) => {
    const [name, type] = column.trim().split(' ');
    return `(r->>${index})::${type} AS ${name}`;
  });
  return `(SELECT ${select.join(', ')} FROM jsonb_array_elements(${param}::jsonb) r)`;
}

const INSERT_INSTANCES = `INSERT INTO instances (id, workflow_id, version_id, version, status, input, output, error, state, rev,
    history_count, waiting_on, lease_owner, lease_expires_at, idempotency_key, parent_id, created_at, updated_at, finished_at)
  SELECT c.id, c.workflow_id, c.version_id, c.version, c.status, c.input, c.output, c.error, c.state, 1, c.history_count, c.waiting_on,
    c.lease_owner, ${ts('c.lease_expires_at')}, c.idempotency_key, c.parent_id, ${ts('c.at')}, ${ts('c.at')}, ${ts('c.finished_at')}
  FROM ${jsonRows(
    '$1',
    `id text, workflow_id text, version_id text, version int, status text, input text, output text, error text, state text,
    history_count int, waiting_on text, lease_owner text, lease_expires_at float8, idempotency_key text, parent_id text, at float8,
    finished_at float8`,
  )} c
  ON CONFLICT DO NOTHING RETURNING id`;

// The runs are locked in id order first (see lockedRuns in sql.ts): two statements that update
// many runs then never wait on each other in a cycle.
const UPDATE_INSTANCES = `WITH c AS MATERIALIZED (
    SELECT c.* FROM ${jsonRows(
      '$1',
      `id text, rev int, status text, output text, error text, state text, history_count int, waiting_on text, lease_owner text,
      lease_expires_at float8, at float8, finished_at float8`,
    )} c
    JOIN instances i ON i.id = c.id ORDER BY c.id FOR NO KEY UPDATE OF i)
  UPDATE instances i SET status = c.status, output = c.output, error = c.error, state = c.state, rev = i.rev + 1,
    history_count = i.history_count + c.history_count, waiting_on = c.waiting_on, lease_owner = c.lease_owner,
    lease_expires_at = ${ts('c.lease_expires_at')}, updated_at = ${ts('c.at')}, finished_at = COALESCE(i.finished_at, ${ts('c.finished_at')})
  FROM c WHERE i.id = c.id AND i.rev = c.rev RETURNING i.id`;

const INSERT_HISTORY = `INSERT INTO history_events (instance_id, seq, type, node_id, visit, attempt, data, at)
  SELECT c.instance_id, c.seq, c.type, c.node_id, c.visit, c.attempt, c.data, ${ts('c.at')}
  FROM ${jsonRows('$1', 'instance_id text, seq int, type text, node_id text, visit int, attempt int, data text, at float8')} c`;

const UPSERT_TIMERS = `INSERT INTO timers (id, instance_id, token_id, purpose, due_at)
  SELECT c.id, c.instance_id, c.token_id, c.purpose, ${ts('c.due_at')}
  FROM ${jsonRows('$1', 'id text, instance_id text, token_id text, purpose text, due_at float8')} c
  ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at`;

const INSERT_TASKS = `INSERT INTO approval_tasks (id, instance_id, node_id, visit, token_id, title, details, data, form, shown_hash, status,
    due_at, created_at, policy)
  SELECT c.id, c.instance_id, c.node_id, c.visit, c.token_id, c.title, c.details, c.data, c.form, c.shown_hash, 'pending',
    ${ts('c.due_at')}, ${ts('c.at')}, c.policy
  FROM ${jsonRows(
    '$1',
    `id text, instance_id text, node_id text, visit int, token_id text, title text, details text, data text, form text, shown_hash text,
    due_at float8, at float8, policy text`,
  )} c
  ON CONFLICT DO NOTHING`;

const INSERT_ASSIGNEES = `INSERT INTO approval_assignees (task_id, kind, name)
  SELECT * FROM ${jsonRows('$1', 'task_id text, kind text, name text')} c ON CONFLICT DO NOTHING`;

const MARK_DELIVERED = `UPDATE signals s SET delivered_at = ${ts('c.at')}
  FROM ${jsonRows('$1', 'id text, at float8')} c WHERE s.id = c.id`;

// approved/rejected: the node's automatic decision at its deadline, made by the engine.
const CLOSE_TASKS = `UPDATE approval_tasks t SET status = c.status,
    decision = CASE WHEN c.status IN ('approved', 'rejected') THEN c.status ELSE t.decision END,
    decided_at = CASE WHEN c.status IN ('approved', 'rejected') THEN ${ts('c.at')} ELSE t.decided_at END,
    decided_by = CASE WHEN c.status IN ('approved', 'rejected') THEN '${ENGINE_ACTOR}' ELSE t.decided_by END
  FROM ${jsonRows('$1', 'id text, status text, at float8')} c WHERE t.id = c.id AND t.status = 'pending' RETURNING t.id`;

const POST_TO_CHILDREN = `INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1 || ':' || id, id, 'cancel', $2, ${ts('$3')} FROM instances WHERE parent_id = $4 AND finished_at IS NULL`;

// A child created after its parent ended (a cancel won the race with the start) is cancelled. The
// parent's row is locked, not just read: if the parent's ending is being committed at this moment
// (by another batch — the worker keeps two in flight — or another worker) this waits for it and
// sees it; if this locks first, the ending waits, and its cancel of the children then sees this one.
const CANCEL_ORPHAN = `WITH parent AS (SELECT finished_at FROM instances WHERE id = $5 FOR SHARE)
  INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1, $2, 'cancel', $3, ${ts('$4')} FROM parent WHERE parent.finished_at IS NOT NULL`;

const POST_TO_PARENT = `INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1, id, 'child', $2, ${ts('$3')} FROM instances WHERE id = $4 AND finished_at IS NULL`;

// Whatever a finished run still held ends with it: timers, open tasks and unread inbox rows.
const END_TIMERS = 'DELETE FROM timers WHERE instance_id = ANY($1::text[])';
const END_TASKS = "UPDATE approval_tasks SET status = 'cancelled' WHERE instance_id = ANY($1::text[]) AND status = 'pending'";
const END_INBOX = `UPDATE signals s SET delivered_at = ${ts('c.at')}
  FROM ${jsonRows('$1', 'instance_id text, at float8')} c WHERE s.instance_id = c.instance_id AND s.delivered_at IS NULL`;

/**
 * Write a batch in the caller's transaction. A run appears at most once per round; a batch that
 * holds two checkpoints of one run is written round by round, in order.
 */
export async function writeCheckpoints(client: Queryable, batch: CheckpointRows[], wake: CommitWake): Promise<CheckpointResult[]> {
  const results: CheckpointResult[] = new Array(batch.length);
  let remaining = batch.map((rows, index) => ({ rows, index }));
  while (remaining.length > 0) {
    const seen = new Set<string>();
    const round = remaining.filter(({ rows }) => !seen.has(rows.id) && (seen.add(rows.id), true));
    remaining = remaining.filter((entry) => !round.includes(entry));
    const roundResults = await writeRound(client, round.map(({ rows }) => rows), wake);
    round.forEach(({ index }, position) => (results[index] = roundResults[position]));
  }
  return results;
}

async function writeRound(client: Queryable, batch: CheckpointRows[], wake: CommitWake): Promise<CheckpointResult[]> {
  const results: CheckpointResult[] = batch.map(() => ({ ok: true }));

  // A time-out must not close a task someone decided meanwhile: lock the tasks first (a racing
  // decision then waits for this commit) and refuse the checkpoint so the decision goes first.
  const timingOut = batch.flatMap((rows) => rows.tasksToClose.filter(([, status]) => status !== 'cancelled').map(([taskId]) => taskId));
  if (timingOut.length > 0) {
    // Every one is locked, pending or not: a decision being written holds its task's row (decide
    // locks it first), so this waits for it and then sees the task settled; in id order, as runs are.
    const { rows: locked } = await client.query<{ id: string; status: string }>(
      `SELECT id, status FROM approval_tasks WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [timingOut],
    );
    const decidedIds = new Set(locked.filter((row) => row.status !== 'pending').map((row) => row.id));
    batch.forEach((rows, index) => {
      if (rows.tasksToClose.some(([taskId, status]) => status !== 'cancelled' && decidedIds.has(taskId))) results[index] = { ok: false, reason: 'conflict' };
    });
  }

  const finishedAt = (rows: CheckpointRows) => (rows.finished ? rows.at : null);
  const creates = batch.filter((rows, index) => rows.create && results[index].ok);
  if (creates.length > 0) {
    const { rows: inserted } = await client.query<{ id: string }>(INSERT_INSTANCES, [
      JSON.stringify(
        creates.map((rows) => [
          rows.id, rows.create!.workflowId, rows.create!.versionId, rows.create!.version, rows.status, rows.create!.input, rows.output, rows.error,
          rows.state, rows.history.length, rows.waitingOn, rows.leaseOwner, rows.leaseExpiresAt, rows.create!.idempotencyKey, rows.create!.parentId,
          rows.at, finishedAt(rows),
        ]),
      ),
    ]);
    const insertedIds = new Set(inserted.map((row) => row.id));
    const duplicates = creates.filter((rows) => !insertedIds.has(rows.id));
    if (duplicates.length > 0) {
      const { rows: existing } = await client.query<{ id: string; workflow_id: string; idempotency_key: string }>(
        `SELECT id, workflow_id, idempotency_key FROM instances
         WHERE (workflow_id, idempotency_key) IN (SELECT * FROM ${jsonRows('$1', 'workflow_id text, idempotency_key text')} c)`,
        [JSON.stringify(duplicates.map((rows) => [rows.create!.workflowId, rows.create!.idempotencyKey]))],
      );
      for (const rows of duplicates) {
        const match = existing.find((row) => row.workflow_id === rows.create!.workflowId && row.idempotency_key === rows.create!.idempotencyKey);
        if (!match) throw new Error(`invariant: run ${rows.id} was refused but no run holds its idempotency key`);
        results[batch.indexOf(rows)] = { ok: false, reason: 'duplicate', existingId: match.id };
      }
    }
  }

  const updates = batch.filter((rows, index) => !rows.create && results[index].ok);
  if (updates.length > 0) {
    const { rows: updated } = await client.query<{ id: string }>(UPDATE_INSTANCES, [
      JSON.stringify(
        updates.map((rows) => [
          rows.id, rows.expectedRev, rows.status, rows.output, rows.error, rows.state, rows.history.length, rows.waitingOn, rows.leaseOwner,
          rows.leaseExpiresAt, rows.at, finishedAt(rows),
        ]),
      ),
    ]);
    const updatedIds = new Set(updated.map((row) => row.id));
    for (const rows of updates) if (!updatedIds.has(rows.id)) results[batch.indexOf(rows)] = { ok: false, reason: 'conflict' };
  }

  const written = batch.filter((_, index) => results[index].ok);
  if (written.length === 0) return results;
  const history = written.flatMap((rows) => rows.history.map((entry) => [rows.id, ...entry]));
  if (history.length > 0) await client.query(INSERT_HISTORY, [JSON.stringify(history)]);
  const timersToDelete = written.flatMap((rows) => rows.timersToDelete);
  if (timersToDelete.length > 0) await client.query('DELETE FROM timers WHERE id = ANY($1::text[])', [timersToDelete]);
  const delivered = written.flatMap((rows) => rows.signalsDelivered.map((id) => [id, rows.at]));
  if (delivered.length > 0) await client.query(MARK_DELIVERED, [JSON.stringify(delivered)]);
  const closes = written.flatMap((rows) => rows.tasksToClose.map(([taskId, status]) => [taskId, status, rows.at]));
  const closed = new Set(closes.length > 0 ? (await client.query<{ id: string }>(CLOSE_TASKS, [JSON.stringify(closes)])).rows.map((row) => row.id) : []);

  // Rare writes (cancels, child results) go one by one.
  for (const rows of written) {
    if (rows.create?.parentId && !rows.finished) {
      const data = JSON.stringify({ compensate: false, by: `parent ${rows.create.parentId}`, reason: 'the parent run had already ended' });
      const { rowCount } = await client.query(CANCEL_ORPHAN, [`${rows.id}:orphan`, rows.id, data, rows.at, rows.create.parentId]);
      if (rowCount) wake.work = true;
    }
    if (rows.cancelChildren) {
      const { rowCount } = await client.query(POST_TO_CHILDREN, [rows.cancelChildren.prefix, rows.cancelChildren.data, rows.at, rows.id]);
      if (rowCount) wake.work = true;
    }
    if (rows.notifyParent) {
      await client.query(POST_TO_PARENT, [rows.notifyParent.signalId, rows.notifyParent.data, rows.at, rows.notifyParent.parentId]);
      wake.work = true;
    }
    // A run created without a lease waits for any worker to take it.
    if (rows.create && rows.leaseOwner === null && !rows.finished) wake.work = true;
  }

  const finished = written.filter((rows) => rows.finished);
  if (finished.length > 0) {
    const ids = finished.map((rows) => rows.id);
    await client.query(END_TIMERS, [ids]);
    await client.query(END_TASKS, [ids]);
    await client.query(END_INBOX, [JSON.stringify(finished.map((rows) => [rows.id, rows.at]))]);
  }
  const live = written.filter((rows) => !rows.finished);
  const timers = live.flatMap((rows) => rows.timersToSet.map(([id, tokenId, purpose, dueAt]) => [id, rows.id, tokenId, purpose, dueAt] as const));
  if (timers.length > 0) {
    await client.query(UPSERT_TIMERS, [JSON.stringify(timers)]);
    const earliest = Math.min(...timers.map((timer) => timer[4]));
    wake.timerAt = wake.timerAt === null ? earliest : Math.min(wake.timerAt, earliest);
  }
  const tasks = live.flatMap((rows) => rows.tasksToCreate.map((task) => ({ rows, task })));
  if (tasks.length > 0) {
    await client.query(INSERT_TASKS, [
      JSON.stringify(
        tasks.map(({ rows, task: [id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, , , policy] }) => [
          id, rows.id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, rows.at, policy,
        ]),
      ),
    ]);
    const assignees = tasks.flatMap(({ task }) => [...task[10].map((name) => [task[0], 'user', name]), ...task[11].map((name) => [task[0], 'role', name])]);
    if (assignees.length > 0) await client.query(INSERT_ASSIGNEES, [JSON.stringify(assignees)]);
  }
  await writeTaskChanges(client, written, closed);
  return results;
}
