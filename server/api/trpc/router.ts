// The tRPC API for the web app: the same services as REST, with the same input schemas (api/schemas/),
// plus live run, inbox and draft updates (SSE).
import { z } from 'zod';
import { HISTORY_PAGE_MAX } from '../../services/runs.service.js';
import { startIdempotent } from '../../services/idempotent-start.js';
import { approvalInput, decideInput, listApprovalsInput } from '../schemas/approvals.schemas.js';
import { MAX_DB_INT, runId, slug } from '../schemas/fields.js';
import { createTokenInput, createUserInput, idInput, setRolesInput, updateUserInput } from '../schemas/accounts.schemas.js';
import { cancelInput, listRunsInput, runInput, signalInput, startRunInput } from '../schemas/runs.schemas.js';
import { duplicateInput, publishInput, renameInput, restoreInput, revisionInput, saveDraftInput, takeTheirsInput, versionInput, workflowInput } from '../schemas/workflows.schemas.js';
import { authed, publicProcedure, router } from './trpc.js';
import { aiRouter } from './ai.router.js';
import { credentialsRouter } from '../../credentials/credentials.trpc.js';
import { triggersRouter } from '../../triggers/triggers.trpc.js';
import { rerunsRouter } from './reruns.router.js';
import { delegationsRouter } from './delegations.router.js';
import { inboxRouter } from './inbox.router.js';
import { testsRouter } from './tests.router.js';
import { workflowFilesRouter } from './workflow-files.router.js';
import { monitorRouter } from './monitor.router.js';
import { operationsRouter } from './operations.router.js';

/** Revisions: whole numbers the database's integer columns hold. */
const rev = z.number().int().min(0).max(MAX_DB_INT);

export const appRouter = router({
  monitor: monitorRouter,
  me: publicProcedure.query(({ ctx }) => ({ principal: ctx.principal ?? null })),
  actions: authed('workflows:read').query(({ ctx }) => ctx.actions.describe()),

  workflows: router({
    list: authed('workflows:read').query(({ ctx }) => ctx.services.workflows.list()),
    get: authed('workflows:read').input(workflowInput).query(({ ctx, input }) => ctx.services.workflows.get(input.slug)),
    saveDraft: authed('workflows:write')
      .input(saveDraftInput)
      .mutation(({ ctx, input }) =>
        ctx.services.workflows.saveDraft(input.slug, { name: input.name, graph: input.graph, expectedRev: input.rev, clientId: input.clientId, by: ctx.principal.name }),
      ),
    /** The draft's kept revisions (the newest 100 saves), newest first, without their graphs. */
    revisions: authed('workflows:read').input(workflowInput).query(({ ctx, input }) => ctx.services.workflows.revisions(input.slug)),
    revision: authed('workflows:read').input(revisionInput).query(({ ctx, input }) => ctx.services.workflows.revision(input.slug, input.rev)),
    /** Make a kept revision the draft again: a new save on top of `base` (the revision the editor shows). */
    restore: authed('workflows:write')
      .input(restoreInput)
      .mutation(({ ctx, input }) => ctx.services.workflows.restore(input.slug, { rev: input.rev, base: input.base, clientId: input.clientId, by: ctx.principal.name })),
    /** Settle a conflict with their draft (at `theirsRev`), keeping `mine` as a revision to restore. */
    takeTheirs: authed('workflows:write')
      .input(takeTheirsInput)
      .mutation(({ ctx, input }) => ctx.services.workflows.takeTheirs(input.slug, { mine: input.mine, theirsRev: input.theirsRev, clientId: input.clientId, by: ctx.principal.name })),
    /** Saves of one draft as they commit (the save it is at first), for open editors. */
    onDraftChange: authed('workflows:read')
      .input(workflowInput)
      .subscription(async function* ({ ctx, input, signal }) {
        const iterator = ctx.services.workflows.draftChanges(input.slug, signal);
        yield await ctx.services.workflows.draftNow(input.slug);
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value[0];
        }
      }),
    publish: authed('workflows:write').input(publishInput).mutation(({ ctx, input }) => ctx.services.workflows.publish(input.slug, input.note)),
    versions: authed('workflows:read').input(workflowInput).query(({ ctx, input }) => ctx.services.workflows.versions(input.slug)),
    version: authed('workflows:read').input(versionInput).query(({ ctx, input }) => ctx.services.workflows.version(input.slug, input.version)),
    rename: authed('workflows:write').input(renameInput).mutation(({ ctx, input }) => ctx.services.workflows.rename(input.slug, input.name)),
    duplicate: authed('workflows:write')
      .input(duplicateInput)
      .mutation(({ ctx, input }) => ctx.services.workflows.duplicate(input.slug, input.newSlug, input.name, ctx.principal.name)),
    remove: authed('workflows:write').input(workflowInput).mutation(({ ctx, input }) => ctx.services.workflows.remove(input.slug)),
    promote: authed('workflows:write').input(versionInput).mutation(({ ctx, input }) => ctx.services.workflows.promote(input.slug, input.version)),
  }),

  runs: router({
    start: authed('runs:write')
      .input(startRunInput)
      .mutation(({ ctx, input }) => startIdempotent(ctx.services.runs, input.workflow, input.input, input.idempotencyKey, undefined, ctx.principal?.name)),
    get: authed('runs:read').input(z.object({ id: runId })).query(({ ctx, input }) => ctx.services.runs.get(input.id)),
    /** The events after `afterSeq` (0: from the first), at most `limit`; `more` when later ones exist. */
    history: authed('runs:read')
      .input(z.object({ id: runId, afterSeq: rev.default(0), limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_MAX) }))
      .query(({ ctx, input }) => ctx.services.runs.historyAfter(input.id, input.afterSeq, input.limit)),
    list: authed('runs:read')
      .input(listRunsInput)
      .query(({ ctx, input }) => ctx.services.runs.list(input)),
    signal: authed('runs:write').input(signalInput).mutation(({ ctx, input }) => ctx.services.runs.signal(input.id, input.name, input.data)),
    cancel: authed('runs:write')
      .input(cancelInput)
      .mutation(({ ctx, input }) => ctx.services.runs.cancel(input.id, { compensate: input.compensate, reason: input.reason, by: ctx.principal.name })),
    counts: authed('runs:read').input(z.object({ workflow: slug.optional() })).query(({ ctx, input }) => ctx.services.runs.counts(input.workflow)),
    detail: authed('runs:read').input(z.object({ id: runId })).query(({ ctx, input }) => ctx.services.runs.detail(input.id)),
    /** The newest run's evaluation root (input, node outputs, instance), or null: the editor previews expressions on it. */
    latestData: authed('runs:read').input(z.object({ workflow: slug })).query(({ ctx, input }) => ctx.services.runs.latestData(input.workflow)),
    retry: authed('runs:write').input(runInput).mutation(({ ctx, input }) => ctx.services.runs.retry(input.id, ctx.principal.name)),
    /**
     * Status changes of one run (where it is now first) or of every run, as they commit. Each carries
     * the run's revision: a page that holds that revision already has nothing to read.
     */
    onChange: authed('runs:read')
      .input(z.object({ id: runId.optional() }))
      .subscription(async function* ({ ctx, input, signal }) {
        // One run: each of its changes. Any run: at most one change per turn (the list refetches).
        const iterator = input.id ? ctx.live.run(input.id, signal) : ctx.live.runs(signal);
        if (input.id) yield await ctx.services.runs.head(input.id);
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value[0];
        }
      }),
  }),

  users: router({
    list: authed('admin').query(({ ctx }) => ctx.services.accounts.listUsers()),
    create: authed('admin')
      .input(createUserInput)
      .mutation(({ ctx, input }) => ctx.services.accounts.createUser(input)),
    setRoles: authed('admin').input(setRolesInput).mutation(({ ctx, input }) => ctx.services.accounts.setRoles(input.id, input.roles)),
    /** Disable or enable a user, or give them a new password (the settings page). */
    update: authed('admin')
      .input(updateUserInput)
      .mutation(({ ctx, input }) => ctx.services.accounts.updateUser(input.id, { disabled: input.disabled, password: input.password, email: input.email }, { by: ctx.principal, keepCookie: ctx.sessionCookie })),
  }),

  tokens: router({
    list: authed('admin').query(({ ctx }) => ctx.services.accounts.listTokens()),
    create: authed('admin').input(createTokenInput).mutation(({ ctx, input }) => ctx.services.accounts.createToken(input, ctx.principal)),
    revoke: authed('admin').input(idInput).mutation(({ ctx, input }) => ctx.services.accounts.revokeToken(input.id)),
  }),

  credentials: credentialsRouter,
  triggers: triggersRouter,
  tests: testsRouter,
  workflowFiles: workflowFilesRouter,
  reruns: rerunsRouter,
  delegations: delegationsRouter,
  inbox: inboxRouter,
  operations: operationsRouter,

  ai: aiRouter,

  approvals: router({
    /** `scope`: "mine" (assigned to me or my roles; the default) or "all" (every task; admins only). */
    list: authed('approvals:decide')
      .input(listApprovalsInput)
      .query(({ ctx, input }) => ctx.services.approvals.list(ctx.principal, input)),
    get: authed('approvals:decide').input(approvalInput).query(({ ctx, input }) => ctx.services.approvals.get(ctx.principal, input.id)),
    decide: authed('approvals:decide')
      .input(decideInput)
      .mutation(({ ctx, input }) => ctx.services.approvals.decide(ctx.principal, input.id, input)),
    /** Fires whenever tasks appear, are decided or close: the inbox refetches. */
    onChange: authed('approvals:decide').subscription(async function* ({ ctx, signal }) {
      const iterator = ctx.live.tasks(signal);
      yield { changed: false };
      while (!(await iterator.next()).done) yield { changed: true };
    }),
  }),
});

export type AppRouter = typeof appRouter;
