// Rerun from a step: a finished run's node X is run again in a NEW run — on the same version, or by
// choice on the workflow's active one when its node ids still match — that reuses the outputs the
// earlier run recorded before it last entered X and continues from X, optionally with a changed
// input for X. Both runs are written in one transaction: the new run (pending; a worker claims it and
// its `start` enters X, core/rerun.ts) and a `rerunStarted` event in the earlier run's history.
import { formatBytes, jsonBytes, LIMITS } from '../../../shared/limits.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { FINISHED_STATUSES } from '../core/types.js';
import type { RerunSeed } from '../core/rerun.js';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { newRunId } from '../ids.js';
import type { Checkpoint, EngineStore, HistoryRecord, InstanceRecord, VersionRecord } from '../store.js';
import { firstCheckpoint, noChanges, type Admission } from './admission.js';
import { reusedBefore } from './rerun-history.js';

export interface RerunRequest {
  runId: string;
  fromNode: string;
  /** Present to change X's input (kinds with an `input`: step, subflow); `{ value }` so that null can be given. */
  input?: { value: unknown };
  /** `same` (default): the earlier run's version; `active`: the workflow's active version, if its node ids match. */
  onVersion?: 'same' | 'active';
  by?: string;
}

export interface RerunStarted {
  id: string;
  rerunOf: string;
  fromNode: string;
  version: number;
  status: InstanceRecord['status'];
  /** The nodes whose recorded outputs the new run reuses. */
  reused: string[];
}

export interface RerunDeps {
  store: EngineStore;
  /** This process's worker, or the queued admission: poked once the new run is written. */
  admission: Pick<Admission, 'poke'>;
  clock: Clock;
}

const KINDS_WITH_INPUT = new Set(['step', 'subflow']);

async function finishedRun(store: EngineStore, runId: string): Promise<InstanceRecord> {
  const run = await store.findInstance(runId);
  if (!run) throw new EngineError('NOT_FOUND', `no run with id "${runId}"`);
  if (!FINISHED_STATUSES.includes(run.status)) {
    throw new EngineError('CONFLICT', `run "${runId}" is ${run.status}; only a finished run (completed, failed or cancelled) can be rerun from a step: wait for it to end, or cancel it`, { status: run.status });
  }
  return run;
}

async function targetVersion(store: EngineStore, run: InstanceRecord, onVersion: RerunRequest['onVersion']): Promise<VersionRecord> {
  if (onVersion === undefined || onVersion === 'same') return store.loadVersion(run.versionId);
  const active = await store.activeVersion(run.workflowSlug);
  if (!active) throw new EngineError('NOT_FOUND', `workflow "${run.workflowSlug}" has no active version`);
  return active;
}

/** The active version must have the node X and every reused node, each of the same kind. */
function checkSameNodes(from: Graph, to: VersionRecord, nodeIds: string[]): void {
  const kinds = new Map(to.graph.nodes.map((node) => [node.id, node.kind]));
  const was = new Map(from.nodes.map((node) => [node.id, node.kind]));
  const differ = nodeIds.filter((id) => kinds.get(id) !== was.get(id));
  if (differ.length) {
    const shown = differ.slice(0, 10).map((id) => (kinds.has(id) ? `"${id}" (now ${kinds.get(id)}, was ${was.get(id)})` : `"${id}" (gone)`));
    throw new EngineError('CONFLICT', `version ${to.version} of "${to.workflowSlug}" does not have the nodes this rerun needs as they were: ${shown.join(', ')}; rerun on the run's own version instead`, { missing: differ });
  }
}

function checkInput(graph: Graph, fromNode: string, input: RerunRequest['input']): void {
  if (!input) return;
  const kind = graph.nodes.find((node) => node.id === fromNode)!.kind;
  if (!KINDS_WITH_INPUT.has(kind)) throw new EngineError('INVALID_INPUT', `node "${fromNode}" is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} node, which takes no input; only a step or subflow node's input can be changed: leave "input" out`);
  const bytes = jsonBytes(input.value ?? null);
  if (bytes > LIMITS.payloadBytes) throw new EngineError('PAYLOAD_TOO_LARGE', `the changed input is ${formatBytes(bytes)}, over the ${formatBytes(LIMITS.payloadBytes)} limit`);
}

/** The earlier run's own checkpoint that only appends `rerunStarted`; guarded by its revision. */
function linkCheckpoint(run: InstanceRecord, event: Omit<HistoryRecord, 'seq' | 'at'>, at: number): Checkpoint {
  return {
    instanceId: run.id,
    expectedRev: run.rev,
    status: run.status,
    state: run.state,
    output: run.output,
    error: run.error ?? undefined,
    waitingOn: [],
    history: [{ ...event, seq: run.historyCount + 1, at }],
    ...noChanges(),
    lease: null,
    at,
  };
}

export async function rerunFrom(deps: RerunDeps, request: RerunRequest): Promise<RerunStarted> {
  const { store, clock } = deps;
  const run = await finishedRun(store, request.runId);
  const own = await store.loadVersion(run.versionId);
  const node = own.graph.nodes.find((candidate) => candidate.id === request.fromNode);
  if (!node) {
    throw new EngineError('NOT_FOUND', `version ${own.version} of "${own.workflowSlug}" has no node "${request.fromNode}"; its nodes are ${own.graph.nodes.map((candidate) => candidate.id).join(', ')}`);
  }
  if (node.kind === 'join') throw new EngineError('INVALID_INPUT', `node "${node.id}" is a join: it waits for every path into it, and a rerun starts one path; rerun from the node after it, or from before the parallel`);
  const reused = reusedBefore(await store.history(run.id), request.fromNode);
  const version = await targetVersion(store, run, request.onVersion);
  if (version.versionId !== own.versionId) checkSameNodes(own.graph, version, [request.fromNode, ...reused.order]);
  checkInput(version.graph, request.fromNode, request.input);

  const at = clock.now();
  const id = newRunId(clock);
  const seed: RerunSeed = { of: run.id, fromNode: request.fromNode, reused: reused.order, ...(request.input ? { input: request.input } : {}) };
  // The key makes two reruns computed from the same revision of the earlier run one: the second finds
  // the first (duplicate) and its link finds the revision moved on (conflict), so neither is written.
  const first = firstCheckpoint(version, { id, input: run.input, idempotencyKey: `rerun:${run.id}:${run.rev}` }, at);
  first.state = { ...first.state, outputs: reused.outputs, rerun: seed };
  const link = linkCheckpoint(run, { type: 'rerunStarted', data: { runId: id, fromNode: request.fromNode, ...(request.by ? { by: request.by } : {}) } }, at);
  const [linked, created] = await store.commit([link, first]);
  if (!created.ok) throw new EngineError('CONFLICT', `run "${run.id}" was just rerun by someone else, or changed; look at its history and try again`);
  if (!linked.ok) {
    // The earlier run changed between the read and the write (it was retried): the new run exists and
    // names it in its own history; the back link is added if the earlier run has ended again.
    const again = await store.findInstance(run.id);
    if (again && FINISHED_STATUSES.includes(again.status)) await store.commit([linkCheckpoint(again, link.history[0], at)]);
  }
  deps.admission.poke();
  return { id, rerunOf: run.id, fromNode: request.fromNode, version: version.version, status: 'pending', reused: reused.order };
}
