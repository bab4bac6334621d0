// tRPC for the editor's AI tools (issue 20): an ai node's eval sets (list, save, remove, run on the
// draft or a version) and describing a workflow in words (status, a new draft from a description,
// a proposed change to the editor's graph).
import { z } from 'zod';
import { graphSchema, nodeIdSchema } from '../../../shared/graph/graph.schema.js';
import { ApiError } from '../../errors.js';
import type { Context } from './trpc.js';
import { authed, router } from './trpc.js';
import { slug } from '../schemas/fields.js';

/** A description of a few pages at most; 1 MB of text is refused before any model is asked. */
export const MAX_DESCRIPTION = 20_000;
export const MAX_INSTRUCTION = 5_000;
/** The graph an instruction changes: what the editor holds, bounded. */
const MAX_CHANGE_NODES = 1_000;

function service<K extends 'evals' | 'describe'>(ctx: Context, name: K): NonNullable<Context['services'][K]> {
  const found = ctx.services[name];
  if (!found) throw new ApiError('NOT_FOUND', `this server has no ${name} service`);
  return found as NonNullable<Context['services'][K]>;
}

const version = z.number().int().min(1).max(1_000_000);

export const aiRouter = router({
  evals: router({
    list: authed('workflows:read').input(z.object({ slug })).query(({ ctx, input }) => service(ctx, 'evals').list(input.slug)),
    put: authed('workflows:write').input(z.object({ slug, set: z.unknown() })).mutation(({ ctx, input }) => service(ctx, 'evals').put(input.slug, input.set)),
    remove: authed('workflows:write').input(z.object({ slug, node: nodeIdSchema })).mutation(({ ctx, input }) => service(ctx, 'evals').remove(input.slug, input.node)),
    run: authed('workflows:write')
      .input(z.object({ slug, version: version.optional(), nodes: z.array(nodeIdSchema).min(1).max(50).optional() }))
      .mutation(({ ctx, input }) => service(ctx, 'evals').run(input.slug, { version: input.version, nodes: input.nodes, origin: 'editor', by: ctx.principal.name })),
  }),
  describe: router({
    status: authed('workflows:read').query(({ ctx }) => service(ctx, 'describe').status()),
    create: authed('workflows:write')
      .input(z.object({ description: z.string().trim().min(1, 'describe the workflow in a sentence or more').max(MAX_DESCRIPTION, `a description is at most ${MAX_DESCRIPTION.toLocaleString('en')} characters`) }))
      .mutation(({ ctx, input }) => service(ctx, 'describe').describe(input.description, ctx.principal.name)),
    change: authed('workflows:write')
      .input(
        z.object({
          graph: graphSchema.refine((graph) => graph.nodes.length <= MAX_CHANGE_NODES, `the graph has more than ${MAX_CHANGE_NODES} nodes`),
          instruction: z.string().trim().min(1, 'say what to change').max(MAX_INSTRUCTION, `an instruction is at most ${MAX_INSTRUCTION.toLocaleString('en')} characters`),
          focus: z.array(nodeIdSchema).max(MAX_CHANGE_NODES).default([]),
        }),
      )
      .mutation(({ ctx, input }) => service(ctx, 'describe').change({ graph: input.graph, instruction: input.instruction, focus: input.focus })),
  }),
});
