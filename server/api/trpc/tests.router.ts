// tRPC for the editor's Tests panel: a workflow's scenarios (list, save, remove, the setting that
// makes failing ones block publish, run on the draft), a real run saved as a scenario, and "run to
// here". Running needs workflows:write: actions that are not stubbed run for real.
import { z } from 'zod';
import { nodeIdSchema } from '../../../shared/graph/graph.schema.js';
import { runDraftToHere, saveRunAsScenario } from '../../services/editor-tests.service.js';
import { ApiError } from '../../errors.js';
import { runId, slug } from '../schemas/fields.js';
import { authed, router, type Context } from './trpc.js';

const scenarioName = z.string({ error: 'a scenario needs a name' }).trim().min(1, 'a scenario needs a name').max(200, 'a scenario name has at most 200 characters');

function scenarios(ctx: Context) {
  if (!ctx.services.scenarios) throw new ApiError('NOT_FOUND', 'scenarios are not served by this process');
  return ctx.services.scenarios;
}

export const testsRouter = router({
  list: authed('workflows:read').input(z.object({ slug })).query(({ ctx, input }) => scenarios(ctx).list(input.slug)),
  save: authed('workflows:write')
    .input(z.object({ slug, name: scenarioName, scenario: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => scenarios(ctx).put(input.slug, input.name, input.scenario)),
  remove: authed('workflows:write').input(z.object({ slug, name: scenarioName })).mutation(({ ctx, input }) => scenarios(ctx).remove(input.slug, input.name)),
  setRequirePassing: authed('workflows:write')
    .input(z.object({ slug, on: z.boolean() }))
    .mutation(({ ctx, input }) => scenarios(ctx).replace(input.slug, { requirePassing: input.on })),
  run: authed('workflows:write')
    .input(z.object({ slug, names: z.array(scenarioName).min(1).max(200).optional() }))
    .mutation(({ ctx, input }) => scenarios(ctx).run(input.slug, { names: input.names })),
  fromRun: authed('workflows:write')
    .input(z.object({ runId, name: scenarioName }))
    .mutation(({ ctx, input }) => saveRunAsScenario(ctx.services, input)),
  runToHere: authed('workflows:write')
    .input(z.object({ slug, graph: z.unknown(), untilNode: nodeIdSchema, input: z.unknown().optional(), stubResult: z.object({ value: z.unknown() }).optional() }))
    .mutation(({ ctx, input }) => runDraftToHere(ctx.services, input)),
});
