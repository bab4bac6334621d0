// Starting a run, shared by the API (engine.startRun) and subflow nodes (child runs): find the
// version, check the input, dedupe by idempotency key, then admit the run to a worker.
import { schemaViolations } from '../../shared/json-schema.js';
import { formatBytes, jsonBytes, LIMITS } from '../../shared/limits.js';
import type { InstanceStatus } from './core/types.js';
import { EngineError } from './errors.js';
import { newRunId } from './ids.js';
import type { EngineStore, VersionRecord } from './store.js';
import type { AdmitResult } from './worker.js';

export interface StartRunRequest {
  /** The workflow's slug: the run starts on its active version. */
  workflow?: string;
  /** Or an explicit version (the CLI's local runs, tests). */
  versionId?: string;
  input?: unknown;
  idempotencyKey?: string;
  parentId?: string;
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
  admit(version: VersionRecord, run: { id: string; input: unknown; idempotencyKey?: string; parentId?: string }): Promise<AdmitResult>;
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
  const id = newRunId();
  const result = await deps.admit(version, { id, input, idempotencyKey: request.idempotencyKey, parentId: request.parentId });
  if (result.ok) return { id, version: version.version, status: result.status, created: true };
  if (result.reason === 'duplicate') {
    const existing = await store.findInstance(result.existingId);
    if (existing) return { id: existing.id, version: existing.version, status: existing.status, created: false };
  }
  throw new Error(`invariant: a new run ${id} conflicted on its first checkpoint`);
}
