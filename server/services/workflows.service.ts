// Workflows for the API: drafts (saved with optimistic concurrency and kept as revisions, see
// drafts.service.ts), publishing (validate, freeze, hash; the same draft twice gives the same
// version), promoting, and version states with run counts.
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import { isFinished, RUN_STATUSES } from '../../shared/runs/status.js';
import { selfStartWarnings, subflowTargets, type Warning } from '../../shared/subflow-cycles.js';
import { validateGraph } from '../../shared/validate.js';
import type { ActionRegistry } from '../actions/registry.js';
import { teamActionsUsed, versionActionStates } from '../actions/version-actions.js';
import { graphHash } from '../db/versions.js';
import type { WorkflowsRepo, WorkflowRow } from '../db/repos/workflows.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { createDraftsService, SLUG, type Saver } from './drafts.service.js';
import { graphWarnings, readStoredGraph, validateOptions } from './graph-checks.js';
import type { PublishHooks } from './scenarios.service.js';

export { SLUG };
const STATUSES = RUN_STATUSES;
/** Workflows looked up when following sub-workflows for publish warnings. */
const REACHABLE_LOOKUPS = 50;

import type { VersionState, VersionSummary } from '../../shared/runs/versions.js';

export type { VersionState, VersionSummary };

/** `credentialNames`: the stored credentials, which publish checks every name a step gives against. */
export function createWorkflowsService(deps: { repo: WorkflowsRepo; actions: ActionRegistry; clock: Clock; scenarios?: PublishHooks; evals?: PublishHooks; credentialNames?: () => Promise<string[]> }) {
  const { repo, actions, clock } = deps;
  const now = () => new Date(clock.now());
  const drafts = createDraftsService({ repo, clock });

  async function existing(slug: string): Promise<WorkflowRow> {
    const workflow = await repo.find(slug);
    if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return workflow;
  }

  async function activeGraph(slug: string): Promise<Graph | undefined> {
    const workflow = await repo.find(slug);
    const row = workflow?.activeVersion ? await repo.version(workflow.id, workflow.activeVersion) : null;
    const parsed = row ? graphSchema.safeParse(JSON.parse(row.graph)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** Warnings that do not block publishing: sub-workflows that can start `slug` again. */
  async function publishWarnings(slug: string, graph: Graph): Promise<Warning[]> {
    const others = new Map<string, Graph>();
    const queue = [...new Set(subflowTargets(graph).map((target) => target.workflow))].filter((other) => other !== slug);
    const seen = new Set(queue);
    for (let lookups = 0; queue.length > 0 && lookups < REACHABLE_LOOKUPS; lookups++) {
      const other = queue.shift()!;
      const found = await activeGraph(other);
      if (!found) continue;
      others.set(other, found);
      for (const { workflow } of subflowTargets(found)) {
        if (workflow !== slug && !seen.has(workflow)) (seen.add(workflow), queue.push(workflow));
      }
    }
    return selfStartWarnings(graph, slug, others);
  }

  async function versions(workflow: WorkflowRow): Promise<VersionSummary[]> {
    const [rows, counts, waiting] = await Promise.all([repo.versions(workflow.id), repo.runCounts(workflow.id), repo.waitingCounts(workflow.id)]);
    return rows.map((row) => {
      const runs = { queued: 0, running: 0, waiting: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 };
      let inFlight = 0;
      for (const count of counts.filter((entry) => entry.version === row.version)) {
        if (count.status === 'pending' || count.status === 'running') runs.running += count.count;
        else if (count.status in runs) runs[count.status as keyof typeof runs] += count.count;
        // A paused or queued run will still move on this version: it keeps the version draining.
        if (!isFinished(count.status)) inFlight += count.count;
      }
      const waitingAt = Object.fromEntries(waiting.filter((entry) => entry.version === row.version).map((entry) => [entry.nodeId, entry.count]));
      const state: VersionState = row.version === workflow.activeVersion ? 'active' : inFlight > 0 ? 'draining' : 'retired';
      const needs = versionActionStates(row.actions, actions);
      return { version: row.version, publishedAt: row.publishedAt.toISOString(), note: row.note, graphHash: row.graphHash, state, runs, waitingAt, actions: needs };
    });
  }

  const summary = (workflow: WorkflowRow) => ({
    slug: workflow.slug,
    name: workflow.name,
    draftRev: workflow.draftRev,
    activeVersion: workflow.activeVersion,
    updatedAt: workflow.updatedAt.toISOString(),
  });

  return {
    STATUSES,
    list: async () => (await repo.list()).map(summary),

    /** Create or replace the draft; with `expectedRev`, a save based on a revision someone else has since replaced is refused. */
    async saveDraft(slug: string, body: { name?: unknown; graph?: unknown; expectedRev?: number; clientId?: unknown; by?: string }) {
      const { created, workflow } = await drafts.saveDraft(slug, body);
      return { created, workflow: summary(workflow) };
    },
    revisions: drafts.revisions,
    revision: drafts.revision,
    async restore(slug: string, options: { rev: number; base?: number } & Saver) {
      const { workflow, graph } = await drafts.restore(slug, options);
      return { workflow: summary(workflow), graph };
    },
    async takeTheirs(slug: string, options: { mine: unknown; theirsRev: number } & Saver) {
      const { workflow, graph, setAside } = await drafts.takeTheirs(slug, options);
      return { workflow: summary(workflow), graph, setAside };
    },
    draftNow: drafts.current,
    draftChanges: drafts.changes,

    async get(slug: string) {
      const workflow = await existing(slug);
      return { ...summary(workflow), draft: readStoredGraph(workflow.draft), versions: await versions(workflow) };
    },

    versions: async (slug: string) => versions(await existing(slug)),

    async version(slug: string, version: number) {
      const workflow = await existing(slug);
      const row = await repo.version(workflow.id, version);
      if (!row) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${version}`);
      return { version: row.version, graph: readStoredGraph(row.graph), graphHash: row.graphHash, note: row.note, publishedAt: row.publishedAt.toISOString() };
    },

    /**
     * Validate the draft and freeze it as the next version; an unchanged draft gives the latest
     * version. Warnings (ports that lead nowhere, waits without a timeout, compensations nothing can
     * trigger, a sub-workflow that can start this workflow again) do not block it.
     */
    async publish(slug: string, note?: string): Promise<{ version: number; created: boolean; warnings?: Warning[] }> {
      const workflow = await existing(slug);
      const result = validateGraph(JSON.parse(workflow.draft), validateOptions(actions, await deps.credentialNames?.()));
      if (!result.ok) throw new ApiError('INVALID_GRAPH', `the draft of "${slug}" has ${result.problems.length} problem(s): ${result.problems[0].message}`, result.problems);
      const warnings = [...graphWarnings(result.graph), ...(await publishWarnings(slug, result.graph))];
      const withWarnings = warnings.length > 0 ? { warnings } : {};
      const hash = graphHash(result.graph);
      const [latest] = await repo.versions(workflow.id);
      if (latest && latest.graphHash === hash) return { version: latest.version, created: false, ...withWarnings };
      await deps.scenarios?.beforePublish(workflow, result.graph);
      await deps.evals?.beforePublish(workflow, result.graph);
      const used = teamActionsUsed(result.graph, actions);
      const { version } = await repo.publish({ slug, graph: result.graph, note, now: clock.now(), ...(used.length > 0 ? { actions: JSON.stringify(used) } : {}) });
      await deps.scenarios?.afterPublish(workflow, version);
      await deps.evals?.afterPublish(workflow, version);
      return { version, created: true, ...withWarnings };
    },

    async rename(slug: string, name: string) {
      const workflow = await existing(slug);
      if (!name.trim()) throw new ApiError('INVALID_INPUT', 'name must be non-empty text');
      return summary(await repo.rename(workflow.id, name.trim(), now()));
    },

    /** A new workflow whose draft is a copy of this one's draft (not published). */
    async duplicate(slug: string, newSlug: string, name?: string, by?: string) {
      const workflow = await existing(slug);
      if (!SLUG.test(newSlug)) throw new ApiError('BAD_REQUEST', `"${newSlug}" is not a workflow slug: use lower-case letters, digits and dashes`);
      if (await repo.find(newSlug)) throw new ApiError('CONFLICT', `a workflow "${newSlug}" exists`);
      return summary(await repo.create({ slug: newSlug, name: name?.trim() || `${workflow.name} (copy)`, draft: workflow.draft, now: now(), by }));
    },

    /** Refused while runs are in flight: they would lose the graph they run on. */
    async remove(slug: string) {
      const workflow = await existing(slug);
      const inFlight = await repo.inFlight(workflow.id);
      if (inFlight > 0) throw new ApiError('CONFLICT', `"${slug}" has ${inFlight} run(s) in flight; cancel them or let them finish first`);
      await repo.remove(workflow.id);
    },

    async promote(slug: string, version: number) {
      const workflow = await existing(slug);
      if (!(await repo.version(workflow.id, version))) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${version}`);
      await repo.promote(workflow.id, version, now());
      return { activeVersion: version };
    },
  };
}

export type WorkflowsService = ReturnType<typeof createWorkflowsService>;
