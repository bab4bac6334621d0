// The web app's credentials procedures (Settings → Credentials), admins only, over the same service
// as REST — and, for the editor's credential pickers, the names (never values) to those who may edit
// workflows. Inputs are checked by the service, whose messages never repeat a value.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { authed, router, type Context } from '../api/trpc/trpc.js';

function service(ctx: Context) {
  if (!ctx.services.credentials) throw new ApiError('NOT_FOUND', 'this server has no credentials store');
  return ctx.services.credentials;
}

const named = z.object({ name: z.string().max(200) });
const change = z.object({ description: z.string().nullable().optional(), value: z.unknown() });

export const credentialsRouter = router({
  list: authed('admin').query(async ({ ctx }) => ({ ...service(ctx).status(), credentials: await service(ctx).list() })),
  /** For the editor's credential pickers: names, kinds and descriptions, to those who may edit workflows. */
  names: authed('workflows:write').query(async ({ ctx }) => ({ ...service(ctx).status(), credentials: await service(ctx).choices() })),
  create: authed('admin')
    .input(named.extend(change.shape))
    .mutation(({ ctx, input }) => service(ctx).create({ name: input.name, description: input.description, value: input.value }, ctx.principal.name)),
  rotate: authed('admin')
    .input(named.extend(change.shape))
    .mutation(({ ctx, input }) => service(ctx).rotate(input.name, { description: input.description, value: input.value })),
  usage: authed('admin').input(named).query(({ ctx, input }) => service(ctx).usage(input.name)),
  remove: authed('admin')
    .input(named)
    .mutation(async ({ ctx, input }) => {
      await service(ctx).remove(input.name);
      return { ok: true };
    }),
});
