// The editor's and the workflows page's trigger procedures, over the same service as the webhook
// route. Reading needs workflows:read; changing, and seeing a new or rotated secret (once), needs
// workflows:write.
import { z } from 'zod';
import { slug } from '../api/schemas/fields.js';
import { authed, router, type Context } from '../api/trpc/trpc.js';
import { ApiError } from '../errors.js';

function service(ctx: Context) {
  if (!ctx.services.triggers) throw new ApiError('NOT_FOUND', 'this server has no triggers');
  return ctx.services.triggers;
}

const workflow = z.object({ workflow: slug });
const one = workflow.extend({ id: z.string().max(100) });
/** Checked by the service, which names the field that is wrong. */
const fields = z.unknown();

export const triggersRouter = router({
  list: authed('workflows:read').input(workflow).query(({ ctx, input }) => service(ctx).list(input.workflow)),
  overview: authed('workflows:read').query(({ ctx }) => service(ctx).overview()),
  preview: authed('workflows:read')
    .input(z.object({ cron: z.string().max(200), timezone: z.string().max(100) }))
    .query(({ ctx, input }) => service(ctx).preview(input)),
  createWebhook: authed('workflows:write').input(workflow).mutation(({ ctx, input }) => service(ctx).createWebhook(input.workflow, ctx.principal.name)),
  rotateSecret: authed('workflows:write').input(one).mutation(({ ctx, input }) => service(ctx).rotateSecret(input.workflow, input.id)),
  createSchedule: authed('workflows:write')
    .input(workflow.extend({ schedule: fields }))
    .mutation(({ ctx, input }) => service(ctx).createSchedule(input.workflow, input.schedule, ctx.principal.name)),
  updateSchedule: authed('workflows:write')
    .input(one.extend({ schedule: fields }))
    .mutation(({ ctx, input }) => service(ctx).updateSchedule(input.workflow, input.id, input.schedule)),
  setEnabled: authed('workflows:write')
    .input(one.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => service(ctx).setEnabled(input.workflow, input.id, input.enabled)),
  remove: authed('workflows:write')
    .input(one)
    .mutation(async ({ ctx, input }) => {
      await service(ctx).remove(input.workflow, input.id);
      return { ok: true };
    }),
});
