// tRPC for the settings page's delegation: the same operations and input schemas as REST's /api/v1/delegations.
import { ApiError } from '../../errors.js';
import { createDelegationInput, delegationIdInput } from '../schemas/delegations.schemas.js';
import type { Context } from './trpc.js';
import { authed, router } from './trpc.js';

function service(ctx: Pick<Context, 'services'>) {
  if (!ctx.services.delegations) throw new ApiError('NOT_FOUND', 'delegation is not available on this server');
  return ctx.services.delegations;
}

export const delegationsRouter = router({
  list: authed('approvals:decide').query(({ ctx }) => service(ctx).list(ctx.principal)),
  create: authed('approvals:decide').input(createDelegationInput).mutation(({ ctx, input }) => service(ctx).create(ctx.principal, input)),
  revoke: authed('approvals:decide').input(delegationIdInput).mutation(({ ctx, input }) => service(ctx).revoke(ctx.principal, input.id)),
});
