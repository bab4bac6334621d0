// Starting a run, shared by the API (engine.startRun) and subflow nodes (child runs): find the
// version, check the input, dedupe by idempotency key, keep children within the depth limit, then
// admit the run to a worker.
import { schemaViolations } from '../../../shared/json-schema.js';
import { formatBytes, jsonBytes, LIMITS, type Limits } from '../../../shared/limits.js';
import type { ErrorInfo, InstanceStatus } from '../core/types.js';
import { EngineError, toErrorInfo } from '../errors.js';
import { newRunId } from '../ids.js';
import type { EngineStore, VersionRecord } from '../store.js';
import type { Admission } from './admission.js';
import { newRunTrace, type RunTrace } from './trace-context.js';
import type { Clock } from '../clock.js';

export interface StartRunRequest {
  /** The workflow's slug: the run starts on its active version. */
  workflow?: string;
  /** Or an explicit version (the CLI's local runs, tests). */
  versionId?: string;
  input?: unknown;
  idempotencyKey?: string;
  parentId?: string;
  /** A caller's W3C `traceparent`: the run's trace continues it (a malformed one is ignored). */
  traceparent?: string;
  /** A child run's trace: its parent's, under the subflow visit (childRunTrace). */
  trace?: RunTrace;
  /** The user starting it (REST, tRPC): an approval that forbids self-approval refuses them. */
  startedBy?: string;
}

export interface StartedRun {
  id: string;
  version: number;
  status: InstanceStatus;
  /** False when the idempotency key named an existing run, which is returned instead. */
  created: boolean;
}

export interface StartRunDeps {
  store: EngineStore;
  admit: Admission['admit'];
  /** New runs' ids carry its time. */
  clock: Clock;
  /** The worker's limits; `subflowDepth` (CAIRN_MAX_SUBFLOW_DEPTH) bounds how deep children nest. */
  limits?: Partial<Limits>;
}

/** A child run that may not start; the parent's subflow node takes `error` with this code, never retried. */
export class ChildStartRefused extends Error {
  constructor(
    readonly code: 'SUBFLOW_DEPTH',
    message: string,
  ) {
    super(message);
    this.name = 'ChildStartRefused';
  }
}

/**
 * A child run of `parentId` would be one level deeper than its parent. The walk up the parents is
 * bounded by the limit, so a chain of any length costs at most that many steps.
 */
async function checkDepth(deps: StartRunDeps, workflow: string, parentId: string): Promise<void> {
  const limit = deps.limits?.subflowDepth ?? LIMITS.subflowDepth;
  const depth = (await deps.store.runDepth(parentId, limit)) + 1;
  if (depth > limit) {
    throw new ChildStartRefused(
      'SUBFLOW_DEPTH',
      `sub-workflow "${workflow}" was not started: it would be ${depth} levels deep, and sub-workflows nest at most ${limit} deep (CAIRN_MAX_SUBFLOW_DEPTH)`,
    );
  }
}

async function resolveVersion(store: EngineStore, request: StartRunRequest): Promise<VersionRecord> {
  if (request.versionId) return store.loadVersion(request.versionId);
  const version = request.workflow ? await store.activeVersion(request.workflow) : undefined;
  if (!version) throw new EngineError('NOT_FOUND', `workflow "${request.workflow ?? ''}" has no published version`);
  return version;
}

function checkInput(version: VersionRecord, input: unknown): void {
  const bytes = jsonBytes(input);
  if (bytes > LIMITS.payloadBytes) {
    throw new EngineError('PAYLOAD_TOO_LARGE', `the run input is ${formatBytes(bytes)}, over the ${formatBytes(LIMITS.payloadBytes)} limit`);
  }
  const start = version.graph.nodes.find((node) => node.kind === 'start');
  const schema = start?.config.inputSchema;
  if (!schema) return;
  const violations = schemaViolations(schema, input);
  if (violations.length > 0) {
    throw new EngineError('INVALID_INPUT', `the input does not match the input schema of "${version.workflowSlug}": ${violations.map((v) => v.message).join('; ')}`, violations);
  }
}

export async function startRun(deps: StartRunDeps, request: StartRunRequest): Promise<StartedRun> {
  const { store } = deps;
  const version = await resolveVersion(store, request);
  const input = request.input ?? {};
  checkInput(version, input);
  if (request.idempotencyKey) {
    const existing = await store.findByIdempotencyKey(version.workflowId, request.idempotencyKey);
    if (existing) return { id: existing.id, version: existing.version, status: existing.status, created: false };
  }
  if (request.parentId) await checkDepth(deps, request.workflow ?? version.workflowSlug, request.parentId);
  const id = newRunId(deps.clock);
  const trace = request.trace ?? newRunTrace(request.traceparent);
  const result = await deps.admit(version, { id, input, idempotencyKey: request.idempotencyKey, parentId: request.parentId, trace, ...(request.startedBy ? { startedBy: request.startedBy } : {}) });
  if (result.ok) return { id, version: version.version, status: result.status, created: true };
  if (result.reason === 'duplicate') {
    const existing = await store.findInstance(result.existingId);
    if (existing) return { id: existing.id, version: existing.version, status: existing.status, created: false };
  }
  // A new run's first checkpoint is refused only when its version is gone: the workflow was deleted meanwhile.
  throw new EngineError('NOT_FOUND', `workflow "${version.workflowSlug}" was deleted while the run was starting; no run was started`);
}

/**
 * Start a subflow node's child run: what the worker's `startChild` does. A refusal (no such
 * workflow, bad input, too deep) comes back as the error the parent's node takes; it is not retried.
 */
export async function startChildRun(
  deps: StartRunDeps,
  request: { workflow: string; input: unknown; idempotencyKey: string; parentId: string; trace?: RunTrace },
): Promise<{ ok: true; childId: string } | { ok: false; error: ErrorInfo }> {
  try {
    const child = await startRun(deps, request);
    return { ok: true, childId: child.id };
  } catch (error) {
    if (!(error instanceof EngineError) && !(error instanceof ChildStartRefused)) throw error;
    return { ok: false, error: { ...toErrorInfo(error), name: error.name, code: error.code, retryable: false } };
  }
}
