// The engine store on PostgreSQL (the `pg` driver; Prisma stays off the hot path, DESIGN §5). The
// same interface and guarantees as the SQLite store, for many worker processes on one database:
// claims lock with SKIP LOCKED, checkpoints are group-committed in a fixed number of statements,
// and LISTEN/NOTIFY wakes the workers when work arrives.
import type pg from 'pg';
import { changesTasks, type EngineStore } from '../../engine/store.js';
import { toCheckpointRows } from '../checkpoint-rows.js';
import { createVersionReader } from '../versions.js';
import { toHistory, toInstance, type HistoryRow, type InstanceRow } from '../engine-rows.js';
import { writeCheckpoints, type CommitWake } from './checkpoints.js';
import { CLAIMABLE_ROW, createClaims, releaseLeases } from './claims.js';
import { admitQueuedRuns, CONCURRENCY_LIMIT, QUEUED_WORKFLOWS } from '../queue.js';
import { runStatements } from '../statements.js';
import { createInbox } from './inbox.js';
import { INSTANCE_COLUMNS } from './rows.js';
import { lockedRuns, ms, numberedPlaceholders, queryRows, transaction, ts } from './sql.js';
import { createTaskStore } from './tasks.js';
import { notifyChangesSql, notifySql, type WakeChannel } from './wake.js';

// Two batches of up to 500 in flight: while PostgreSQL writes one, the worker builds the next.
// (One batch of everything at a time measured 6,700 steps/s against 9,500 for this shape.)
const COMMIT_SHAPE = { maxBatch: 500, inFlight: 2 };

const FROM_INSTANCES = 'FROM instances i JOIN workflows w ON w.id = i.workflow_id';

// An undelivered inbox row is due now (its run may be held elsewhere: the worker then backs off).
const NEXT_WAKE = `SELECT LEAST(
    (SELECT 0::float8 FROM signals s JOIN instances i ON i.id = s.instance_id
      WHERE s.delivered_at IS NULL AND i.finished_at IS NULL AND ${CLAIMABLE_ROW} LIMIT 1),
    (SELECT ${ms('t.due_at')} FROM timers t JOIN instances i ON i.id = t.instance_id WHERE i.status <> 'paused' ORDER BY t.due_at LIMIT 1),
    (SELECT MIN(COALESCE(${ms('lease_expires_at')}, 0)) FROM instances
      WHERE status IN ('pending', 'running') AND lease_owner IS DISTINCT FROM $1)) AS at`;

// The chain of parents, walked at most $2 steps (a parent row always exists before its child).
const RUN_DEPTH = `WITH RECURSIVE chain(id, depth) AS (
    SELECT parent_id, 1 FROM instances WHERE id = $1 AND parent_id IS NOT NULL
    UNION ALL
    SELECT i.parent_id, c.depth + 1 FROM chain c JOIN instances i ON i.id = c.id WHERE i.parent_id IS NOT NULL AND c.depth < $2)
  SELECT COALESCE(MAX(depth), 0)::int AS depth FROM chain`;

export function createPostgresEngineStore(pool: pg.Pool, wake: WakeChannel, options: { listen?: boolean } = {}): EngineStore {
  const claims = createClaims(pool);
  const versions = createVersionReader((sql, params) => queryRows(pool, sql, params));
  const inbox = createInbox(pool, () => wake.payload());
  const tasks = createTaskStore(pool, () => wake.payload(), () => wake.changesPayloads({ runs: [], tasks: true })[0]);

  async function findInstance(where: string, params: unknown[]) {
    const { rows } = await pool.query<InstanceRow>(`SELECT ${INSTANCE_COLUMNS} ${FROM_INSTANCES} WHERE ${where}`, params);
    return rows[0] && toInstance(rows[0]);
  }

  return {
    commitShape: COMMIT_SHAPE,
    commit: (checkpoints) =>
      transaction(pool, async (client) => {
        const notice: CommitWake = { work: false, timerAt: null };
        const results = await writeCheckpoints(client, checkpoints.map(toCheckpointRows), notice);
        // Delivered as the transaction commits; other workers re-arm for a timer sooner than theirs,
        // and other API processes pass the changes on to their live pages.
        if (notice.work || notice.timerAt !== null) await client.query(`SELECT ${notifySql('$1')}`, [wake.payload(notice.work ? 0 : notice.timerAt!)]);
        const committed = checkpoints.filter((_, index) => results[index].ok);
        if (committed.length > 0) {
          const changes = {
            runs: committed.map((checkpoint) => ({ instanceId: checkpoint.instanceId, status: checkpoint.status, rev: checkpoint.expectedRev + 1 })),
            tasks: committed.some(changesTasks),
          };
          await client.query(`SELECT ${notifyChangesSql('payload')} FROM unnest($1::text[]) AS payload`, [wake.changesPayloads(changes)]);
        }
        return results;
      }),
    claimRecoverable: (options) => claims.recoverable(options),
    claimDueTimers: (options) => claims.dueTimers(options),
    claimInbound: (options) => claims.inbound(options),
    postSignal: (signal) => inbox.post(signal),
    postCappedSignal: (signal, cap) => inbox.postCapped(signal, cap),
    async runDepth(instanceId, limit) {
      const { rows } = await pool.query<{ depth: number }>(RUN_DEPTH, [instanceId, limit]);
      return rows[0].depth;
    },
    reopenForRetry: (signal) => inbox.reopenForRetry(signal),
    decideTask: (decision) => tasks.decide(decision),
    findTask: (taskId) => tasks.find(taskId),
    tasksFor: (who) => tasks.for(who),
    async nextWakeAt(owner) {
      const { rows } = await pool.query<{ at: number | null }>(NEXT_WAKE, [owner]);
      return rows[0].at;
    },
    async renewLeases(owner, ids, expiresAt) {
      if (ids.length === 0) return;
      // A run locked now is being checkpointed (the checkpoint carries a fresh lease) or briefly
      // read FOR SHARE; skipping it beats waiting, and the next renewal comes in a third of a lease.
      await pool.query(
        `WITH mine AS MATERIALIZED ${lockedRuns('$2', '$3', { skipLocked: true })}
         UPDATE instances i SET lease_expires_at = ${ts('$1')} FROM mine WHERE i.id = mine.id`,
        [expiresAt, ids, owner],
      );
    },
    async releaseLeases(owner, ids) {
      if (ids.length === 0) return;
      await releaseLeases(pool, owner, ids);
      // Runs left mid-flight by a worker that stops are anyone's now.
      await pool.query(`SELECT ${notifySql('$1')}`, [wake.payload(0)]);
    },
    async concurrencyLimit(workflowId) {
      const { rows } = await pool.query<{ limit: number | null }>(numberedPlaceholders(CONCURRENCY_LIMIT), [workflowId]);
      return rows[0]?.limit ?? null;
    },
    admitQueued: (workflowId, now) =>
      transaction(pool, async (client) => {
        const admitted = await runStatements(admitQueuedRuns('postgresql', workflowId, now), (statement) => queryRows(client, statement.sql, statement.params));
        // Admitted runs are pending and unleased: any worker may take them.
        if (admitted.length > 0) await client.query(`SELECT ${notifySql('$1')}`, [wake.payload(0)]);
        return admitted;
      }),
    async queuedWorkflows() {
      return (await pool.query<{ id: string }>(QUEUED_WORKFLOWS)).rows.map((row) => row.id);
    },
    loadVersion: (versionId) => versions.load(versionId),
    activeVersion: (slug) => versions.active(slug),
    findInstance: (id) => findInstance('i.id = $1', [id]),
    findByIdempotencyKey: (workflowId, key) => findInstance('i.workflow_id = $1 AND i.idempotency_key = $2', [workflowId, key]),
    async history(instanceId) {
      const { rows } = await pool.query<HistoryRow>(
        `SELECT seq, type, node_id, visit, attempt, data, ${ms('at')} AS at FROM history_events WHERE instance_id = $1 ORDER BY seq`,
        [instanceId],
      );
      return rows.map(toHistory);
    },
    ...(options.listen === false ? {} : { subscribe: (listener: Parameters<typeof wake.subscribe>[0]) => wake.subscribe(listener) }),
  };
}
