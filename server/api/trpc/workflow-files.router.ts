// tRPC for the workflows page's export and import: a workflow as a file with the scenarios and eval
// sets stored with it (services/workflow-files.service.ts, as `cairn export` / `cairn import`).
// Import creates a new workflow only (the page imports beside what exists) and checks everything the
// file carries before it saves anything.
import { z } from 'zod';
import { exportWorkflow, importWorkflow } from '../../services/workflow-files.service.js';
import { saveDraftInput, versionInput } from '../schemas/workflows.schemas.js';
import { slug } from '../schemas/fields.js';
import { authed, router } from './trpc.js';

export const workflowFilesRouter = router({
  export: authed('workflows:read')
    .input(z.object({ slug, version: versionInput.shape.version.optional() }))
    .query(({ ctx, input }) => exportWorkflow(ctx.services, input.slug, input.version)),
  import: authed('workflows:write')
    .input(z.object({ slug, name: saveDraftInput.shape.name, graph: z.unknown(), scenarios: z.unknown().optional(), evals: z.unknown().optional() }))
    .mutation(({ ctx, input }) => importWorkflow(ctx.services, { ...input, expectedRev: 0, by: ctx.principal.name })),
});
