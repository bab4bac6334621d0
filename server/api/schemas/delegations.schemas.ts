// Inputs of the delegation operations, for REST and tRPC alike.
import { z } from 'zod';
import { refusedAs, text } from './fields.js';

const userName = (what: string) => text(`${what} must be a user name, as text`).trim().min(1, `${what} must name a user`).max(200, `${what} is at most 200 characters`);
const instant = (what: string) => text(`${what} must be an ISO 8601 date-time, as text`).max(64, `${what} is at most 64 characters`);

/** `to`: the delegate; `from` (default now) and `until`: the period; `delegator`: admins only, whose tasks. */
export const createDelegationInput = z.object({
  to: refusedAs('INVALID_INPUT', userName('to')),
  from: refusedAs('INVALID_INPUT', instant('from').optional()),
  until: refusedAs('INVALID_INPUT', instant('until')),
  delegator: refusedAs('INVALID_INPUT', userName('delegator').optional()),
});

export const delegationIdInput = z.object({ id: z.string().min(1).max(100) });
