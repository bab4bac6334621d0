// Group commit of checkpoints on PostgreSQL. A batch is one transaction of a fixed number of
// statements whatever its size: each kind of write goes as one statement over arrays (unnest),
// so a thousand checkpoints cost about the round trips of one. Each checkpoint is still guarded
// by its expected revision, so a worker that lost its lease cannot overwrite newer state.
import type { CheckpointResult } from '../../engine/store.js';
import type { CheckpointRows } from '../checkpoint-rows.js';
import { ts, type Queryable } from './sql.js';

/** What the batch asks other processes to look at: work for now, and the earliest timer it set. */
export interface CommitWake {
  work: boolean;
  timerAt: number | null;
}

const INSERT_INSTANCES = `INSERT INTO instances (id, workflow_id, version_id, version, status, input, output, error, state, rev,
    history_count, waiting_on, lease_owner, lease_expires_at, idempotency_key, parent_id, created_at, updated_at, finished_at)
  SELECT c.id, c.workflow_id, c.version_id, c.version, c.status, c.input, c.output, c.error, c.state, 1, c.history_count, c.waiting_on,
    c.lease_owner, ${ts('c.lease_expires_at')}, c.idempotency_key, c.parent_id, ${ts('c.at')}, ${ts('c.at')}, ${ts('c.finished_at')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[],
    $11::text[], $12::text[], $13::float8[], $14::text[], $15::text[], $16::float8[], $17::float8[])
    AS c(id, workflow_id, version_id, version, status, input, output, error, state, history_count, waiting_on, lease_owner,
      lease_expires_at, idempotency_key, parent_id, at, finished_at)
  ON CONFLICT DO NOTHING RETURNING id`;

const UPDATE_INSTANCES = `UPDATE instances i SET status = c.status, output = c.output, error = c.error, state = c.state, rev = i.rev + 1,
    history_count = i.history_count + c.history_count, waiting_on = c.waiting_on, lease_owner = c.lease_owner,
    lease_expires_at = ${ts('c.lease_expires_at')}, updated_at = ${ts('c.at')}, finished_at = COALESCE(i.finished_at, ${ts('c.finished_at')})
  FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::float8[],
    $11::float8[], $12::float8[])
    AS c(id, rev, status, output, error, state, history_count, waiting_on, lease_owner, lease_expires_at, at, finished_at)
  WHERE i.id = c.id AND i.rev = c.rev RETURNING i.id`;

const INSERT_HISTORY = `INSERT INTO history_events (instance_id, seq, type, node_id, visit, attempt, data, at)
  SELECT c.instance_id, c.seq, c.type, c.node_id, c.visit, c.attempt, c.data, ${ts('c.at')}
  FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::float8[])
    AS c(instance_id, seq, type, node_id, visit, attempt, data, at)`;

const UPSERT_TIMERS = `INSERT INTO timers (id, instance_id, token_id, purpose, due_at)
  SELECT c.id, c.instance_id, c.token_id, c.purpose, ${ts('c.due_at')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS c(id, instance_id, token_id, purpose, due_at)
  ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at`;

const INSERT_TASKS = `INSERT INTO approval_tasks (id, instance_id, node_id, visit, token_id, title, details, data, form, shown_hash, status,
    due_at, created_at)
  SELECT c.id, c.instance_id, c.node_id, c.visit, c.token_id, c.title, c.details, c.data, c.form, c.shown_hash, 'pending',
    ${ts('c.due_at')}, ${ts('c.at')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
    $11::float8[], $12::float8[]) AS c(id, instance_id, node_id, visit, token_id, title, details, data, form, shown_hash, due_at, at)
  ON CONFLICT DO NOTHING`;

const INSERT_ASSIGNEES = `INSERT INTO approval_assignees (task_id, kind, name)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`;

const MARK_DELIVERED = `UPDATE signals s SET delivered_at = ${ts('c.at')}
  FROM unnest($1::text[], $2::float8[]) AS c(id, at) WHERE s.id = c.id`;

const CLOSE_TASKS = `UPDATE approval_tasks t SET status = c.status
  FROM unnest($1::text[], $2::text[]) AS c(id, status) WHERE t.id = c.id AND t.status = 'pending'`;

const POST_TO_CHILDREN = `INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1 || ':' || id, id, 'cancel', $2, ${ts('$3')} FROM instances WHERE parent_id = $4 AND finished_at IS NULL`;

// A child created after its parent ended (a cancel won the race with the start) is cancelled.
const CANCEL_ORPHAN = `INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1, $2, 'cancel', $3, ${ts('$4')} WHERE EXISTS (SELECT 1 FROM instances WHERE id = $5 AND finished_at IS NOT NULL)`;

const POST_TO_PARENT = `INSERT INTO signals (id, instance_id, kind, data, created_at)
  SELECT $1, id, 'child', $2, ${ts('$3')} FROM instances WHERE id = $4 AND finished_at IS NULL`;

// Whatever a finished run still held ends with it: timers, open tasks and unread inbox rows.
const END_TIMERS = 'DELETE FROM timers WHERE instance_id = ANY($1::text[])';
const END_TASKS = "UPDATE approval_tasks SET status = 'cancelled' WHERE instance_id = ANY($1::text[]) AND status = 'pending'";
const END_INBOX = `UPDATE signals s SET delivered_at = ${ts('c.at')}
  FROM unnest($1::text[], $2::float8[]) AS c(instance_id, at) WHERE s.instance_id = c.instance_id AND s.delivered_at IS NULL`;

/** Column arrays for unnest: `columns(rows, (row) => [a, b])` → `[[a…], [b…]]`. */
function columns<Row>(rows: readonly Row[], pick: (row: Row) => unknown[]): unknown[][] {
  const result: unknown[][] = [];
  for (const row of rows) {
    const values = pick(row);
    values.forEach((value, index) => (result[index] ??= []).push(value));
  }
  return result;
}

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
  const timingOut = batch.flatMap((rows) => rows.tasksToClose.filter(([, status]) => status === 'timed_out').map(([taskId]) => taskId));
  if (timingOut.length > 0) {
    const { rows: decided } = await client.query<{ id: string }>(
      `SELECT id FROM approval_tasks WHERE id = ANY($1::text[]) AND status <> 'pending' FOR UPDATE`,
      [timingOut],
    );
    const decidedIds = new Set(decided.map((row) => row.id));
    batch.forEach((rows, index) => {
      if (rows.tasksToClose.some(([taskId, status]) => status === 'timed_out' && decidedIds.has(taskId))) results[index] = { ok: false, reason: 'conflict' };
    });
  }

  const finishedAt = (rows: CheckpointRows) => (rows.finished ? rows.at : null);
  const creates = batch.filter((rows, index) => rows.create && results[index].ok);
  if (creates.length > 0) {
    const { rows: inserted } = await client.query<{ id: string }>(
      INSERT_INSTANCES,
      columns(creates, (rows) => [
        rows.id, rows.create!.workflowId, rows.create!.versionId, rows.create!.version, rows.status, rows.create!.input, rows.output, rows.error,
        rows.state, rows.history.length, rows.waitingOn, rows.leaseOwner, rows.leaseExpiresAt, rows.create!.idempotencyKey, rows.create!.parentId,
        rows.at, finishedAt(rows),
      ]),
    );
    const insertedIds = new Set(inserted.map((row) => row.id));
    const duplicates = creates.filter((rows) => !insertedIds.has(rows.id));
    if (duplicates.length > 0) {
      const { rows: existing } = await client.query<{ id: string; workflow_id: string; idempotency_key: string }>(
        `SELECT id, workflow_id, idempotency_key FROM instances
         WHERE (workflow_id, idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        columns(duplicates, (rows) => [rows.create!.workflowId, rows.create!.idempotencyKey]),
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
    const { rows: updated } = await client.query<{ id: string }>(
      UPDATE_INSTANCES,
      columns(updates, (rows) => [
        rows.id, rows.expectedRev, rows.status, rows.output, rows.error, rows.state, rows.history.length, rows.waitingOn, rows.leaseOwner,
        rows.leaseExpiresAt, rows.at, finishedAt(rows),
      ]),
    );
    const updatedIds = new Set(updated.map((row) => row.id));
    for (const rows of updates) if (!updatedIds.has(rows.id)) results[batch.indexOf(rows)] = { ok: false, reason: 'conflict' };
  }

  const written = batch.filter((_, index) => results[index].ok);
  if (written.length === 0) return results;
  const history = written.flatMap((rows) => rows.history.map((entry) => [rows.id, ...entry]));
  if (history.length > 0) await client.query(INSERT_HISTORY, columns(history, (row) => row));
  const timersToDelete = written.flatMap((rows) => rows.timersToDelete);
  if (timersToDelete.length > 0) await client.query('DELETE FROM timers WHERE id = ANY($1::text[])', [timersToDelete]);
  const delivered = written.flatMap((rows) => rows.signalsDelivered.map((id) => [id, rows.at]));
  if (delivered.length > 0) await client.query(MARK_DELIVERED, columns(delivered, (row) => row));
  const closes = written.flatMap((rows) => rows.tasksToClose);
  if (closes.length > 0) await client.query(CLOSE_TASKS, columns(closes, (row) => row));

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
    await client.query(END_INBOX, columns(finished, (rows) => [rows.id, rows.at]));
  }
  const live = written.filter((rows) => !rows.finished);
  const timers = live.flatMap((rows) => rows.timersToSet.map(([id, tokenId, purpose, dueAt]) => [id, rows.id, tokenId, purpose, dueAt] as const));
  if (timers.length > 0) {
    await client.query(UPSERT_TIMERS, columns(timers, (row) => [...row]));
    const earliest = Math.min(...timers.map((timer) => timer[4]));
    wake.timerAt = wake.timerAt === null ? earliest : Math.min(wake.timerAt, earliest);
  }
  const tasks = live.flatMap((rows) => rows.tasksToCreate.map((task) => ({ rows, task })));
  if (tasks.length > 0) {
    await client.query(
      INSERT_TASKS,
      columns(tasks, ({ rows, task: [id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt] }) => [
        id, rows.id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, rows.at,
      ]),
    );
    const assignees = tasks.flatMap(({ task }) => [...task[10].map((name) => [task[0], 'user', name]), ...task[11].map((name) => [task[0], 'role', name])]);
    if (assignees.length > 0) await client.query(INSERT_ASSIGNEES, columns(assignees, (row) => row));
  }
  return results;
}
