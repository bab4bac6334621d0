// The tRPC API for the web app: the same services as REST, plus live run, inbox and draft updates (SSE).
import { z } from 'zod';
import { MAX_DB_INT } from '../rest/request-shape.js';
import { HISTORY_PAGE_MAX } from '../../services/runs.service.js';
import { startIdempotent } from '../../services/idempotent-start.js';
import { authed, publicProcedure, router } from './trpc.js';

const slug = z.string().min(1).max(63);
const runId = z.string().min(1).max(100);
/** Revisions and version numbers: whole numbers the database's integer columns hold. */
const rev = z.number().int().min(0).max(MAX_DB_INT);
const versionNumber = z.number().int().min(1).max(MAX_DB_INT);
/** An editor tab's random id: its own saves never conflict with each other. */
const clientId = z.string().min(1).max(100);

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) => ({ principal: ctx.principal ?? null })),
  actions: authed('workflows:read').query(({ ctx }) => ctx.actions.describe()),

  workflows: router({
    list: authed('workflows:read').query(({ ctx }) => ctx.services.workflows.list()),
    get: authed('workflows:read').input(z.object({ slug })).query(({ ctx, input }) => ctx.services.workflows.get(input.slug)),
    saveDraft: authed('workflows:write')
      .input(z.object({ slug, name: z.string().optional(), graph: z.unknown(), rev: rev.optional(), clientId: clientId.optional() }))
      .mutation(({ ctx, input }) =>
        ctx.services.workflows.saveDraft(input.slug, { name: input.name, graph: input.graph, expectedRev: input.rev, clientId: input.clientId, by: ctx.principal.name }),
      ),
    /** The draft's kept revisions (the newest 100 saves), newest first, without their graphs. */
    revisions: authed('workflows:read').input(z.object({ slug })).query(({ ctx, input }) => ctx.services.workflows.revisions(input.slug)),
    revision: authed('workflows:read').input(z.object({ slug, rev: versionNumber })).query(({ ctx, input }) => ctx.services.workflows.revision(input.slug, input.rev)),
    /** Make a kept revision the draft again: a new save on top of `base` (the revision the editor shows). */
    restore: authed('workflows:write')
      .input(z.object({ slug, rev: versionNumber, base: rev.optional(), clientId: clientId.optional() }))
      .mutation(({ ctx, input }) => ctx.services.workflows.restore(input.slug, { rev: input.rev, base: input.base, clientId: input.clientId, by: ctx.principal.name })),
    /** Settle a conflict with their draft (at `theirsRev`), keeping `mine` as a revision to restore. */
    takeTheirs: authed('workflows:write')
      .input(z.object({ slug, mine: z.unknown(), theirsRev: rev, clientId: clientId.optional() }))
      .mutation(({ ctx, input }) => ctx.services.workflows.takeTheirs(input.slug, { mine: input.mine, theirsRev: input.theirsRev, clientId: input.clientId, by: ctx.principal.name })),
    /** Saves of one draft as they commit (the save it is at first), for open editors. */
    onDraftChange: authed('workflows:read')
      .input(z.object({ slug }))
      .subscription(async function* ({ ctx, input, signal }) {
        const iterator = ctx.services.workflows.draftChanges(input.slug, signal);
        yield await ctx.services.workflows.draftNow(input.slug);
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value[0];
        }
      }),
    publish: authed('workflows:write').input(z.object({ slug, note: z.string().max(500).optional() })).mutation(({ ctx, input }) => ctx.services.workflows.publish(input.slug, input.note)),
    versions: authed('workflows:read').input(z.object({ slug })).query(({ ctx, input }) => ctx.services.workflows.versions(input.slug)),
    version: authed('workflows:read').input(z.object({ slug, version: versionNumber })).query(({ ctx, input }) => ctx.services.workflows.version(input.slug, input.version)),
    rename: authed('workflows:write').input(z.object({ slug, name: z.string().max(200) })).mutation(({ ctx, input }) => ctx.services.workflows.rename(input.slug, input.name)),
    duplicate: authed('workflows:write')
      .input(z.object({ slug, newSlug: slug, name: z.string().max(200).optional() }))
      .mutation(({ ctx, input }) => ctx.services.workflows.duplicate(input.slug, input.newSlug, input.name, ctx.principal.name)),
    remove: authed('workflows:write').input(z.object({ slug })).mutation(({ ctx, input }) => ctx.services.workflows.remove(input.slug)),
    promote: authed('workflows:write').input(z.object({ slug, version: versionNumber })).mutation(({ ctx, input }) => ctx.services.workflows.promote(input.slug, input.version)),
  }),

  runs: router({
    start: authed('runs:write')
      .input(z.object({ workflow: slug, input: z.unknown(), idempotencyKey: z.string().max(200).optional() }))
      .mutation(({ ctx, input }) => startIdempotent(ctx.services.runs, input.workflow, input.input, input.idempotencyKey)),
    get: authed('runs:read').input(z.object({ id: runId })).query(({ ctx, input }) => ctx.services.runs.get(input.id)),
    /** The events after `afterSeq` (0: from the first), at most `limit`; `more` when later ones exist. */
    history: authed('runs:read')
      .input(z.object({ id: runId, afterSeq: rev.default(0), limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_MAX) }))
      .query(({ ctx, input }) => ctx.services.runs.historyAfter(input.id, input.afterSeq, input.limit)),
    list: authed('runs:read')
      .input(z.object({ workflow: slug.optional(), version: versionNumber.optional(), status: z.string().optional(), waitingAt: z.string().optional(), cursor: z.string().optional(), limit: z.number().int().min(1).max(200).optional() }))
      .query(({ ctx, input }) => ctx.services.runs.list(input)),
    signal: authed('runs:write').input(z.object({ id: runId, name: z.string().min(1), data: z.unknown() })).mutation(({ ctx, input }) => ctx.services.runs.signal(input.id, input.name, input.data)),
    cancel: authed('runs:write')
      .input(z.object({ id: runId, compensate: z.boolean().optional(), reason: z.string().max(500).optional() }))
      .mutation(({ ctx, input }) => ctx.services.runs.cancel(input.id, { compensate: input.compensate, reason: input.reason, by: ctx.principal.name })),
    counts: authed('runs:read').input(z.object({ workflow: slug.optional() })).query(({ ctx, input }) => ctx.services.runs.counts(input.workflow)),
    detail: authed('runs:read').input(z.object({ id: runId })).query(({ ctx, input }) => ctx.services.runs.detail(input.id)),
    /** The newest run's evaluation root (input, node outputs, instance), or null: the editor previews expressions on it. */
    latestData: authed('runs:read').input(z.object({ workflow: slug })).query(({ ctx, input }) => ctx.services.runs.latestData(input.workflow)),
    retry: authed('runs:write').input(z.object({ id: runId })).mutation(({ ctx, input }) => ctx.services.runs.retry(input.id, ctx.principal.name)),
    /**
     * Status changes of one run (where it is now first) or of every run, as they commit. Each carries
     * the run's revision: a page that holds that revision already has nothing to read.
     */
    onChange: authed('runs:read')
      .input(z.object({ id: runId.optional() }))
      .subscription(async function* ({ ctx, input, signal }) {
        const iterator = ctx.live.runs(signal);
        if (input.id) yield await ctx.services.runs.head(input.id);
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          const [change] = next.value;
          if (!input.id || change.instanceId === input.id) yield change;
        }
      }),
  }),

  users: router({
    list: authed('admin').query(({ ctx }) => ctx.services.accounts.listUsers()),
    create: authed('admin')
      .input(z.object({ username: z.string(), name: z.string().optional(), password: z.string(), roles: z.array(z.string()) }))
      .mutation(({ ctx, input }) => ctx.services.accounts.createUser(input)),
    setRoles: authed('admin').input(z.object({ id: z.string(), roles: z.array(z.string()) })).mutation(({ ctx, input }) => ctx.services.accounts.setRoles(input.id, input.roles)),
    /** Disable or enable a user, or give them a new password (the settings page). */
    update: authed('admin')
      .input(z.object({ id: z.string(), disabled: z.boolean().optional(), password: z.string().max(1_000).optional() }))
      .mutation(({ ctx, input }) => ctx.services.accounts.updateUser(input.id, { disabled: input.disabled, password: input.password }, { by: ctx.principal, keepCookie: ctx.sessionCookie })),
  }),

  tokens: router({
    list: authed('admin').query(({ ctx }) => ctx.services.accounts.listTokens()),
    create: authed('admin').input(z.object({ name: z.string().max(100).optional(), role: z.string() })).mutation(({ ctx, input }) => ctx.services.accounts.createToken(input, ctx.principal)),
    revoke: authed('admin').input(z.object({ id: z.string() })).mutation(({ ctx, input }) => ctx.services.accounts.revokeToken(input.id)),
  }),

  approvals: router({
    /** `scope`: "mine" (assigned to me or my roles; the default) or "all" (every task; admins only). */
    list: authed('approvals:decide')
      .input(z.object({ status: z.string().optional(), scope: z.enum(['mine', 'all']).optional() }))
      .query(({ ctx, input }) => ctx.services.approvals.list(ctx.principal, input)),
    get: authed('approvals:decide').input(z.object({ id: z.string() })).query(({ ctx, input }) => ctx.services.approvals.get(ctx.principal, input.id)),
    decide: authed('approvals:decide')
      .input(z.object({ id: z.string(), decision: z.enum(['approve', 'reject']), comment: z.string().max(10_000).optional(), form: z.unknown().optional() }))
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
