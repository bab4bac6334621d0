// tRPC for the run page's "Rerun from here": the same operation and input schema as REST's
// POST /api/v1/instances/:id/rerun.
import { rerunInput } from '../schemas/rerun.schemas.js';
import { authed, router } from './trpc.js';

export const rerunsRouter = router({
  start: authed('runs:write')
    .input(rerunInput)
    .mutation(({ ctx, input }) =>
      ctx.services.runs.rerun(input.id, { fromNode: input.fromNode, input: Object.hasOwn(input, 'input') ? { value: input.input } : undefined, onVersion: input.onVersion }, ctx.principal.name),
    ),
});
