// Drafts: saves with optimistic concurrency (a conflict only when someone else saved after the
// revision a save is based on), the kept revisions of each draft, restoring one (itself a new save),
// setting yours aside to take theirs in a conflict, and the live feed of saves for open editors.
import { EventEmitter, on } from 'node:events';
import { GRAPH_FORMAT, graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import { KEPT_REVISIONS, type DraftWrite, type RevisionRow, type WorkflowRow, type WorkflowsRepo } from '../db/repos/workflows.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';

export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** The largest draft graph kept (the REST body limit for drafts); each revision keeps a copy. */
export const MAX_GRAPH_BYTES = 4 * 1024 * 1024;
/** An editor tab's id: random per tab, sent with its saves. */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A save as open editors hear of it: enough to tell whose it was and whether to fetch it. */
export interface DraftChange {
  slug: string;
  rev: number;
  kind: string;
  restoredFrom: number | null;
  savedBy: string | null;
  clientId: string | null;
  savedAt: string;
}

/** Who saves: the caller's name and, from the editor, its tab's id. */
export interface Saver {
  by?: string;
  clientId?: string;
}

export function parseGraph(graph: unknown, what = 'the graph'): Graph {
  const bytes = Buffer.byteLength(JSON.stringify(graph ?? null) ?? '');
  if (bytes > MAX_GRAPH_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `${what} is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_GRAPH_BYTES / 1024 / 1024} MB limit of a draft`);
  const parsed = graphSchema.safeParse(graph);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ code: 'GRAPH_INVALID', message: `${issue.path.join('.') || 'graph'}: ${issue.message}` }));
    throw new ApiError('INVALID_GRAPH', `${what} is not a ${GRAPH_FORMAT} graph: ${problems[0].message}`, problems);
  }
  return parsed.data;
}

const toChange = (slug: string, row: RevisionRow): DraftChange => ({
  slug,
  rev: row.rev,
  kind: row.kind,
  restoredFrom: row.restoredFrom,
  savedBy: row.savedBy,
  clientId: row.clientId,
  savedAt: row.savedAt.toISOString(),
});

export function createDraftsService(deps: { repo: WorkflowsRepo; clock: Clock }) {
  const { repo, clock } = deps;
  const now = () => new Date(clock.now());
  // Per-process: every save through this service (tRPC, REST, CLI) reaches this process's editors.
  const feed = new EventEmitter().setMaxListeners(0);

  async function existing(slug: string): Promise<WorkflowRow> {
    const workflow = await repo.find(slug);
    if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return workflow;
  }

  function checkClientId(clientId: unknown): string | undefined {
    if (clientId === undefined) return undefined;
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) throw new ApiError('BAD_REQUEST', 'clientId must be 1–100 letters, digits, _ or -');
    return clientId;
  }

  /** The refusal of a save based on `base`: it names the newer save, by whom and when. */
  async function conflict(slug: string, base: number, saver: Saver): Promise<ApiError> {
    const latest = await existing(slug);
    if (base > latest.draftRev) {
      return new ApiError('CONFLICT', `the draft of "${slug}" has no revision ${base} yet (it is at revision ${latest.draftRev})`, { draftRev: latest.draftRev, base });
    }
    const later = await repo.revisions(latest.id, { after: base });
    const theirs = later.find((row) => !saver.clientId || row.clientId !== saver.clientId) ?? later[0];
    const who = !theirs?.savedBy ? 'someone else' : theirs.savedBy === saver.by ? `you (${theirs.savedBy}) in another tab or window` : theirs.savedBy;
    const when = theirs ? ` at ${theirs.savedAt.toISOString()} (revision ${theirs.rev})` : '';
    return new ApiError('CONFLICT', `the draft of "${slug}" was saved by ${who}${when} after revision ${base}, which yours is based on; it is now at revision ${latest.draftRev}`, {
      draftRev: latest.draftRev,
      base,
      theirs: theirs ? toChange(slug, theirs) : null,
    });
  }

  /**
   * The revision a save based on `base` may replace. A tab's own later saves do not count against
   * it (a retried save, or one sent before the answer to the previous came back): only another
   * tab's or person's save after `base` is a conflict.
   */
  async function baseFor(workflow: WorkflowRow, base: number | undefined, saver: Saver): Promise<number | undefined> {
    if (base === undefined || base === workflow.draftRev) return base;
    if (base < workflow.draftRev && saver.clientId) {
      const later = await repo.revisions(workflow.id, { after: base });
      if (later.length === workflow.draftRev - base && later.every((row) => row.clientId === saver.clientId)) return workflow.draftRev;
    }
    throw await conflict(workflow.slug, base, saver);
  }

  /** Write `writes` over the draft at `base` and tell open editors; a lost race is a conflict. */
  async function write(workflow: WorkflowRow, options: { name?: string; writes: DraftWrite[]; base?: number; saver: Saver }): Promise<WorkflowRow> {
    const expectedRev = await baseFor(workflow, options.base, options.saver);
    const saved = await repo.saveDraft(workflow.slug, { name: options.name ?? workflow.name, writes: options.writes, expectedRev, now: now(), ...options.saver });
    if (!saved) throw await conflict(workflow.slug, options.base ?? workflow.draftRev, options.saver);
    const last = options.writes[options.writes.length - 1];
    feed.emit(workflow.slug, {
      slug: workflow.slug,
      rev: saved.draftRev,
      kind: last.kind,
      restoredFrom: last.restoredFrom ?? null,
      savedBy: options.saver.by ?? null,
      clientId: options.saver.clientId ?? null,
      savedAt: saved.updatedAt.toISOString(),
    } satisfies DraftChange);
    return saved;
  }

  async function storedGraph(slug: string, row: { rev: number; graph: string }): Promise<Graph> {
    let value: unknown;
    try {
      value = JSON.parse(row.graph);
    } catch {
      throw new ApiError('INVALID_GRAPH', `revision ${row.rev} of "${slug}" is not readable JSON; it cannot be shown or restored`);
    }
    return parseGraph(value, `revision ${row.rev} of "${slug}"`);
  }

  async function keptRevision(slug: string, rev: number) {
    const workflow = await existing(slug);
    const row = await repo.revision(workflow.id, rev);
    if (!row) {
      const oldest = (await repo.revisions(workflow.id)).at(-1)?.rev;
      throw new ApiError('NOT_FOUND', `the draft of "${slug}" has no revision ${rev}${oldest ? ` (the newest ${KEPT_REVISIONS} saves are kept: revisions ${oldest}–${workflow.draftRev})` : ''}`);
    }
    return { workflow, row };
  }

  return {
    /** Create or replace the draft; with `expectedRev`, a save based on a revision someone else has since replaced is refused. */
    async saveDraft(slug: string, body: { name?: unknown; graph?: unknown; expectedRev?: number; clientId?: unknown; by?: string }) {
      if (!SLUG.test(slug)) throw new ApiError('BAD_REQUEST', `"${slug}" is not a workflow slug: use lower-case letters, digits and dashes`);
      const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : undefined;
      if (body.name !== undefined && !name) throw new ApiError('INVALID_INPUT', 'name must be non-empty text');
      const saver: Saver = { by: body.by, clientId: checkClientId(body.clientId) };
      const graph = JSON.stringify(parseGraph(body.graph));
      const current = await repo.find(slug);
      if (!current) {
        // Two creates of one slug at once: the loser hears of it as a conflict, not a crash.
        const created = await repo.create({ slug, name: name ?? slug, draft: graph, now: now(), ...saver }).catch((error: { code?: string }) => {
          if (error.code === 'P2002') throw new ApiError('CONFLICT', `a workflow "${slug}" was just created by someone else`);
          throw error;
        });
        return { created: true, workflow: created };
      }
      return { created: false, workflow: await write(current, { name, writes: [{ graph, kind: 'save' }], base: body.expectedRev, saver }) };
    },

    /** The kept revisions, newest first, and the revision the draft is at. */
    async revisions(slug: string) {
      const workflow = await existing(slug);
      const rows = await repo.revisions(workflow.id);
      return { draftRev: workflow.draftRev, revisions: rows.map((row) => toChange(slug, row)) };
    },

    async revision(slug: string, rev: number) {
      const { row } = await keptRevision(slug, rev);
      return { ...toChange(slug, row), graph: await storedGraph(slug, row) };
    },

    /** Make revision `rev` the draft again, as a new save (so it is undoable and in the history). */
    async restore(slug: string, options: { rev: number; base?: number } & Saver) {
      const { workflow, row } = await keptRevision(slug, options.rev);
      const graph = await storedGraph(slug, row);
      const saver: Saver = { by: options.by, clientId: checkClientId(options.clientId) };
      const saved = await write(workflow, { writes: [{ graph: JSON.stringify(graph), kind: 'restore', restoredFrom: row.rev }], base: options.base, saver });
      return { workflow: saved, graph };
    },

    /**
     * A conflict settled in their favour without losing yours: `mine` is kept as a revision
     * (restorable), then their draft at `theirsRev` is put back on top, in one transaction.
     */
    async takeTheirs(slug: string, options: { mine: unknown; theirsRev: number } & Saver) {
      const mine = JSON.stringify(parseGraph(options.mine, 'your draft'));
      const saver: Saver = { by: options.by, clientId: checkClientId(options.clientId) };
      const workflow = await existing(slug);
      // Exactly the revision the person reviewed, whoever saved since: otherwise they decide again.
      if (workflow.draftRev !== options.theirsRev) throw await conflict(slug, options.theirsRev, saver);
      const saved = await write(workflow, {
        writes: [
          { graph: mine, kind: 'set-aside' },
          { graph: workflow.draft, kind: 'restore', restoredFrom: workflow.draftRev },
        ],
        base: options.theirsRev,
        saver,
      });
      return { workflow: saved, graph: JSON.parse(workflow.draft) as Graph, setAside: saved.draftRev - 1 };
    },

    /** The save the draft is at now, as a change (what a live editor compares itself with first). */
    async current(slug: string): Promise<DraftChange> {
      const workflow = await existing(slug);
      const row = await repo.revision(workflow.id, workflow.draftRev);
      return row
        ? toChange(slug, row)
        : { slug, rev: workflow.draftRev, kind: 'save', restoredFrom: null, savedBy: null, clientId: null, savedAt: workflow.updatedAt.toISOString() };
    },

    /** Saves of `slug`'s draft from the moment this is called, until `signal` aborts. */
    changes(slug: string, signal: AbortSignal | undefined): AsyncIterator<[DraftChange]> {
      return on(feed, slug, { signal }) as AsyncIterator<[DraftChange]>;
    },
  };
}

export type DraftsService = ReturnType<typeof createDraftsService>;
