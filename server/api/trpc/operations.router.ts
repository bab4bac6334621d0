// tRPC for an operator (issue 18), the same services as REST's operations.routes.ts: pause and
// resume a run, a queued run's place in its queue, a workflow's concurrency limit, and bulk actions
// on the runs a filter matches (preview the count, start with that count as the confirmation, read
// the durable job's progress).
import { ApiError } from '../../errors.js';
import type { Services } from '../rest/context.js';
import { runInput } from '../schemas/runs.schemas.js';
import { bulkJobInput, bulkPreviewInput, bulkStartInput, concurrencyInput, pauseInput, setConcurrencyInput } from '../schemas/operations.schemas.js';
import { authed, router, type Context } from './trpc.js';

function operations(ctx: Context): NonNullable<Services['operations']> {
  if (!ctx.services.operations) throw new ApiError('NOT_FOUND', 'pause, resume and concurrency limits are not served by this process');
  return ctx.services.operations;
}

function bulk(ctx: Context): NonNullable<Services['bulk']> {
  if (!ctx.services.bulk) throw new ApiError('NOT_FOUND', 'bulk actions are not served by this process');
  return ctx.services.bulk;
}

export const operationsRouter = router({
  /** Accepted once stored; the run pauses (status `paused`) when the worker takes the request. */
  pause: authed('runs:write')
    .input(pauseInput)
    .mutation(async ({ ctx, input }) => {
      await operations(ctx).pause(input.id, { by: ctx.principal.name, reason: input.reason });
      return { id: input.id, status: 'pausing' as const };
    }),
  resume: authed('runs:write')
    .input(runInput.strict())
    .mutation(async ({ ctx, input }) => {
      await operations(ctx).resume(input.id, { by: ctx.principal.name });
      return { id: input.id, status: 'resuming' as const };
    }),
  /** 1 is next; null when the run is not queued. */
  queuePosition: authed('runs:read')
    .input(runInput.strict())
    .query(async ({ ctx, input }) => {
      const position = await operations(ctx).queuePosition(input.id);
      return { id: input.id, queued: position !== null, position };
    }),
  concurrency: authed('workflows:read')
    .input(concurrencyInput)
    .query(({ ctx, input }) => operations(ctx).concurrency(input.slug)),
  setConcurrency: authed('workflows:write')
    .input(setConcurrencyInput)
    .mutation(({ ctx, input }) => operations(ctx).setConcurrency(input.slug, input.limit)),

  bulk: router({
    preview: authed('runs:read')
      .input(bulkPreviewInput)
      .query(({ ctx, input }) => bulk(ctx).preview(input)),
    start: authed('runs:write')
      .input(bulkStartInput)
      .mutation(({ ctx, input }) => bulk(ctx).create(input, ctx.principal.name)),
    get: authed('runs:read')
      .input(bulkJobInput)
      .query(({ ctx, input }) => bulk(ctx).get(input.id)),
    list: authed('runs:read').query(({ ctx }) => bulk(ctx).list()),
  }),
});
