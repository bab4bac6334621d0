// The approvals' audit log for the API: verify the chain (and the decision rows against it) as
// `cairn audit verify` does.
import { verifyAuditLog } from '../db/audit-verify.js';
import type { EngineDatabase } from '../db/engine-database.types.js';

export function createAuditService(deps: { database: EngineDatabase }) {
  const { database } = deps;
  return {
    /** `{ ok: true, entries, head }`, or `{ ok: false, seq, problem, entries }` naming the first broken entry. */
    verify: () => verifyAuditLog(database.transact.bind(database), database.dialect),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
