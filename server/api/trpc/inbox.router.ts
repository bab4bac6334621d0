// tRPC for the inbox page: a tab's page and the tabs' counts, claims, and deciding several tasks at
// once (each one its own decision, through the approvals service's rule).
import { ApiError } from '../../errors.js';
import { claimInput, decideManyInput, inboxPageInput } from '../schemas/inbox.schemas.js';
import type { Context } from './trpc.js';
import { authed, router } from './trpc.js';

function service(ctx: Pick<Context, 'services'>) {
  if (!ctx.services.inbox) throw new ApiError('NOT_FOUND', 'the inbox is not available on this server');
  return ctx.services.inbox;
}

export const inboxRouter = router({
  page: authed('approvals:decide').input(inboxPageInput).query(({ ctx, input }) => service(ctx).page(ctx.principal, input)),
  counts: authed('approvals:decide').query(({ ctx }) => service(ctx).counts(ctx.principal)),
  claimOf: authed('approvals:decide').input(claimInput).query(({ ctx, input }) => service(ctx).claimOf(ctx.principal, input.id)),
  claim: authed('approvals:decide').input(claimInput).mutation(({ ctx, input }) => service(ctx).claim(ctx.principal, input.id)),
  unclaim: authed('approvals:decide').input(claimInput).mutation(({ ctx, input }) => service(ctx).unclaim(ctx.principal, input.id)),
  decideMany: authed('approvals:decide').input(decideManyInput).mutation(({ ctx, input }) => service(ctx).decideMany(ctx.principal, input)),
});
