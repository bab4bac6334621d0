// Claiming runs by lease on SQLite: the one place that takes a lease, shared by every claim (due
// timers, inbox rows, recovery).
import type Database from 'better-sqlite3';
import type { ClaimOptions, InstanceRecord } from '../../engine/store.js';
import { INSTANCE_COLUMNS, claimedInstance, type InstanceRow } from '../engine-rows.js';

export function createLeases(db: Database.Database) {
  const takeLease = db.prepare(`UPDATE instances SET lease_owner = @owner, lease_expires_at = @expiresAt
    WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires_at <= @now)`);
  const selectInstance = db.prepare<[string], InstanceRow>(`SELECT ${INSTANCE_COLUMNS} FROM instances i JOIN workflows w ON w.id = i.workflow_id WHERE i.id = ?`);

  return {
    /** Lease the run unless another live owner holds it; true when the caller now holds it. */
    take: (instanceId: string, options: ClaimOptions): boolean =>
      takeLease.run({ id: instanceId, owner: options.owner, expiresAt: options.leaseExpiresAt, now: options.now }).changes === 1,

    /**
     * Group claimable rows (timers, inbox rows) by run, leasing each run once and loading it;
     * rows of runs another owner holds are skipped. Call inside the claiming transaction.
     * `instanceOf`: the run's row as the claimable row already carries it (joined), so it is not read again.
     */
    claimByRun<Row>(rows: Row[], runOf: (row: Row) => string, options: ClaimOptions, instanceOf?: (row: Row) => InstanceRow): { instance: InstanceRecord; rows: Row[] }[] {
      const byRun = new Map<string, { instance: InstanceRecord; rows: Row[] }>();
      const refused = new Set<string>();
      for (const row of rows) {
        const runId = runOf(row);
        let claimed = byRun.get(runId);
        if (!claimed) {
          if (refused.has(runId)) continue;
          // Read before leasing: a lease still set means the processing that held it was
          // interrupted (its process died or stalled), which the worker counts (quarantine).
          const prior = instanceOf ? instanceOf(row) : selectInstance.get(runId)!;
          if (!this.take(runId, options)) {
            refused.add(runId);
            continue;
          }
          claimed = { instance: claimedInstance(prior, { owner: options.owner, expiresAt: options.leaseExpiresAt }, prior.lease_owner !== null), rows: [] };
          byRun.set(runId, claimed);
        }
        claimed.rows.push(row);
      }
      return [...byRun.values()];
    },
  };
}
