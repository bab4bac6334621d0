// Delegation for the API: "away from S until E, my tasks go to U". A person delegates their own
// tasks; an admin may set one up for anyone (`from`). Refusals name what is wrong: oneself, an
// unknown or disabled user, a period that is empty, past, over a year or overlaps another of theirs,
// and a loop. `approver` turns a principal into the engine's Approver with whom they stand in for.
import { randomUUID } from 'node:crypto';
import { asApprover, type Principal } from '../auth/principal.js';
import { activeDelegators, createDelegation, delegationsOf, revokeDelegation, type DelegationRecord } from '../db/delegations.js';
import type { EngineDatabase } from '../db/engine-database.types.js';
import type { Clock } from '../engine/clock.js';
import type { Approver } from '../engine/engine.js';
import { ApiError } from '../errors.js';

const YEAR_MS = 366 * 24 * 3600 * 1000;

export interface DelegationRequest {
  to: string;
  /** ISO 8601; now when absent. */
  from?: string;
  until: string;
  /** Admins only: whose tasks are delegated (the caller's own otherwise). */
  delegator?: string;
}

const view = (delegation: DelegationRecord, now: number) => ({
  ...delegation,
  startsAt: new Date(delegation.startsAt).toISOString(),
  endsAt: new Date(delegation.endsAt).toISOString(),
  createdAt: new Date(delegation.createdAt).toISOString(),
  revokedAt: delegation.revokedAt === null ? null : new Date(delegation.revokedAt).toISOString(),
  active: delegation.revokedAt === null && delegation.startsAt <= now && now < delegation.endsAt,
});

function instant(text: string, field: string): number {
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) throw new ApiError('INVALID_INPUT', `${field} must be an ISO 8601 date-time such as "2026-12-24T18:00:00Z", not ${JSON.stringify(text)}`);
  return at;
}

export function createDelegationsService(deps: { database: EngineDatabase; clock: Clock }) {
  const { database, clock } = deps;
  const { dialect } = database;
  return {
    async create(principal: Principal, request: DelegationRequest) {
      const now = clock.now();
      const isAdmin = asApprover(principal).admin === true;
      if (request.delegator !== undefined && request.delegator !== principal.name && !isAdmin) {
        throw new ApiError('FORBIDDEN', `only admins delegate someone else's tasks; ${principal.name} may delegate only their own`);
      }
      const fromUser = request.delegator ?? principal.name;
      const toUser = request.to.trim();
      if (toUser === fromUser) throw new ApiError('INVALID_INPUT', `${fromUser} cannot delegate to themselves: name someone else in "to"`);
      const startsAt = request.from === undefined ? now : instant(request.from, 'from');
      const endsAt = instant(request.until, 'until');
      if (endsAt <= now) throw new ApiError('INVALID_INPUT', `"until" (${request.until}) is in the past`);
      if (endsAt <= startsAt) throw new ApiError('INVALID_INPUT', `"until" (${request.until}) must come after the start (${new Date(startsAt).toISOString()})`);
      if (endsAt - startsAt > YEAR_MS) throw new ApiError('INVALID_INPUT', 'a delegation lasts at most a year');
      const outcome = await database.transact(() => createDelegation(dialect, { id: randomUUID(), fromUser, toUser, startsAt, endsAt, now, by: principal.name }));
      if (!outcome.ok) throw new ApiError(outcome.code, outcome.message, outcome.details);
      return view(outcome.delegation, now);
    },
    async list(principal: Principal) {
      const now = clock.now();
      return (await database.transact(() => delegationsOf(dialect, principal.name, now))).map((delegation) => view(delegation, now));
    },
    async revoke(principal: Principal, id: string) {
      const now = clock.now();
      const fromUser = asApprover(principal).admin ? null : principal.name;
      const revoked = await database.transact(() => revokeDelegation(dialect, { id, fromUser, now, by: principal.name }));
      if (!revoked) throw new ApiError('NOT_FOUND', `no active delegation "${id}" of ${principal.name}`);
      return view(revoked, now);
    },
    /** The engine's Approver for a principal: their roles, and whom they stand in for right now. */
    async approver(principal: Principal): Promise<Approver> {
      const delegators = await database.transact(() => activeDelegators(dialect, principal.name, clock.now()));
      return { ...asApprover(principal), ...(delegators.length > 0 ? { delegators } : {}) };
    },
  };
}

export type DelegationsService = ReturnType<typeof createDelegationsService>;
