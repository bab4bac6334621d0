// The engine store on SQLite (better-sqlite3 prepared statements; Prisma stays off the hot path,
// DESIGN §5). Claims are leases; timers are rows found by their due-time index.
import type Database from 'better-sqlite3';
import type { ClaimOptions, DueTimers, EngineStore, InstanceRecord } from '../../engine/store.js';
import { createVersionReader } from '../versions.js';
import { createCheckpointWriter } from './checkpoints.js';
import { INSTANCE_COLUMNS, toHistory, claimedInstance, toInstance, toTimer, type HistoryRow, type InstanceRow, type TimerRow } from '../engine-rows.js';
import { createInbox } from './inbox.js';
import { batchedPerTurn } from './turn-batch.js';
import { admitQueuedRuns, CONCURRENCY_LIMIT, QUEUED_WORKFLOWS } from '../queue.js';
import { createLeases } from './leases.js';
import { sqliteStatements } from './statements.js';
import { createTaskStore } from './tasks.js';

export function createSqliteEngineStore(db: Database.Database): EngineStore {
  const writeCheckpoints = createCheckpointWriter(db);
  const statements = sqliteStatements(db);
  const selectLimit = db.prepare<[string], { limit: number | null }>(CONCURRENCY_LIMIT);
  const selectQueuedWorkflows = db.prepare<[], { id: string }>(QUEUED_WORKFLOWS);
  const versions = createVersionReader(statements.rows);
  const leases = createLeases(db);
  const inbox = createInbox(db, leases);
  // Signals sent to many runs at once (a batch of callbacks, a broadcast) share commits.
  const postCappedInTurn = batchedPerTurn(db, inbox.postCapped);
  const tasks = createTaskStore(db);
  const fromInstances = `FROM instances i JOIN workflows w ON w.id = i.workflow_id`;
  const selectInstance = db.prepare<[string], InstanceRow>(`SELECT ${INSTANCE_COLUMNS} ${fromInstances} WHERE i.id = ?`);
  const selectByKey = db.prepare<[string, string], InstanceRow>(
    `SELECT ${INSTANCE_COLUMNS} ${fromInstances} WHERE i.workflow_id = ? AND i.idempotency_key = ?`,
  );
  // A lease held under the caller's own id but not in its memory was left by an earlier life of the
  // same worker (a restart): take it back at once rather than waiting for it to expire.
  const selectRecoverable = db.prepare<{ now: number; owner: string; limit: number }, InstanceRow>(
    `SELECT ${INSTANCE_COLUMNS} ${fromInstances}
     WHERE i.status IN ('pending', 'running') AND (i.lease_owner IS NULL OR i.lease_expires_at <= @now OR i.lease_owner = @owner) LIMIT @limit`,
  );
  const selectDueTimers = db.prepare<{ now: number; owner: string; limit: number }, TimerRow>(
    `SELECT t.id, t.instance_id, t.token_id, t.purpose, t.due_at FROM timers t JOIN instances i ON i.id = t.instance_id
     WHERE t.due_at <= @now AND i.status <> 'paused' AND (i.lease_owner IS NULL OR i.lease_owner = @owner OR i.lease_expires_at <= @now)
     ORDER BY t.due_at LIMIT @limit`,
  );
  // A paused run's timers wait for its resume: they wake nobody meanwhile.
  const firstTimer = db.prepare<[], { due_at: number }>(
    `SELECT t.due_at FROM timers t JOIN instances i ON i.id = t.instance_id WHERE i.status <> 'paused' ORDER BY t.due_at LIMIT 1`,
  );
  const firstForeignLease = db.prepare<[string], { at: number | null }>(
    `SELECT MIN(COALESCE(lease_expires_at, 0)) AS at FROM instances
     WHERE status IN ('pending', 'running') AND lease_owner IS NOT ?`,
  );
  const renew = db.prepare('UPDATE instances SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?');
  const release = db.prepare('UPDATE instances SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?');
  // The chain of parents, walked at most `limit` steps (a parent row always exists before its child).
  const selectDepth = db.prepare<{ id: string; limit: number }, number>(
    `WITH RECURSIVE chain(id, depth) AS (
       SELECT parent_id, 1 FROM instances WHERE id = @id AND parent_id IS NOT NULL
       UNION ALL
       SELECT i.parent_id, c.depth + 1 FROM chain c JOIN instances i ON i.id = c.id WHERE i.parent_id IS NOT NULL AND c.depth < @limit)
     SELECT COALESCE(MAX(depth), 0) FROM chain`,
  ).pluck();
  const selectHistory = db.prepare<[string], HistoryRow>(
    'SELECT seq, type, node_id, visit, attempt, data, at FROM history_events WHERE instance_id = ? ORDER BY seq',
  );

  const claimRecoverable = db.transaction((options: ClaimOptions): InstanceRecord[] => {
    const claimed: InstanceRecord[] = [];
    const rows = selectRecoverable.all({ now: options.now, owner: options.owner, limit: options.limit + (options.exclude?.size ?? 0) });
    for (const row of rows) {
      if (claimed.length >= options.limit || options.exclude?.has(row.id)) continue;
      if (leases.take(row.id, options)) {
        claimed.push(claimedInstance(row, { owner: options.owner, expiresAt: options.leaseExpiresAt }, row.lease_owner !== null));
      }
    }
    return claimed;
  });

  const claimDueTimers = db.transaction((options: ClaimOptions): DueTimers[] =>
    leases
      .claimByRun(selectDueTimers.all({ now: options.now, owner: options.owner, limit: options.limit }), (row) => row.instance_id, options)
      .map(({ instance, rows }) => ({ instance, timers: rows.map(toTimer) })),
  );

  const renewAll = db.transaction((owner: string, ids: string[], expiresAt: number) => {
    for (const id of ids) renew.run(expiresAt, id, owner);
  });
  const releaseAll = db.transaction((owner: string, ids: string[]) => {
    for (const id of ids) release.run(id, owner);
  });

  return {
    async commit(checkpoints) {
      return writeCheckpoints(checkpoints);
    },
    async claimRecoverable(options) {
      return claimRecoverable(options);
    },
    async claimDueTimers(options) {
      return claimDueTimers(options);
    },
    async claimInbound(options) {
      return inbox.claim(options);
    },
    async postSignal(signal) {
      return inbox.post(signal);
    },
    postCappedSignal: postCappedInTurn,
    async runDepth(instanceId, limit) {
      return selectDepth.get({ id: instanceId, limit }) ?? 0;
    },
    async decideTask(decision) {
      return tasks.decide(decision);
    },
    async reopenForRetry(signal) {
      return inbox.reopenForRetry(signal);
    },
    async findTask(taskId) {
      return tasks.find(taskId);
    },
    async tasksFor(who) {
      return tasks.for(who);
    },
    async nextWakeAt(owner) {
      // An undelivered inbox row is due now (its run may be held elsewhere: the worker then backs off).
      const candidates = [inbox.hasUndelivered() ? 0 : undefined, firstTimer.get()?.due_at, firstForeignLease.get(owner)?.at];
      const times = candidates.filter((at): at is number => typeof at === 'number');
      return times.length ? Math.min(...times) : null;
    },
    async renewLeases(owner, ids, expiresAt) {
      renewAll(owner, ids, expiresAt);
    },
    async releaseLeases(owner, ids) {
      releaseAll(owner, ids);
    },
    async concurrencyLimit(workflowId) {
      return selectLimit.get(workflowId)?.limit ?? null;
    },
    async admitQueued(workflowId, now) {
      return statements.transaction(() => admitQueuedRuns('sqlite', workflowId, now));
    },
    async queuedWorkflows() {
      return selectQueuedWorkflows.all().map((row) => row.id);
    },
    loadVersion: (versionId) => versions.load(versionId),
    activeVersion: (slug) => versions.active(slug),
    async findInstance(id) {
      const row = selectInstance.get(id);
      return row && toInstance(row);
    },
    async findByIdempotencyKey(workflowId, key) {
      const row = selectByKey.get(workflowId, key);
      return row && toInstance(row);
    },
    async history(instanceId) {
      return selectHistory.all(instanceId).map(toHistory);
    },
  };
}
