// The engine's entry points for the API, the CLI and tests: start runs on a workflow's active
// version (or a given one) and read them back. Execution belongs to the worker.
import { schemaViolations } from '../../shared/json-schema.js';
import { formatBytes, jsonBytes, LIMITS } from '../../shared/limits.js';
import { EngineError } from './errors.js';
import { newRunId } from './ids.js';
import type { EngineStore, HistoryRecord, InstanceRecord, VersionRecord } from './store.js';
import type { Worker } from './worker.js';

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
  status: InstanceRecord['status'];
  /** False when the idempotency key named an existing run, which is returned instead. */
  created: boolean;
}

export interface Engine {
  startRun(request: StartRunRequest): Promise<StartedRun>;
  getRun(id: string): Promise<InstanceRecord>;
  history(id: string): Promise<HistoryRecord[]>;
}

export function createEngine(deps: { store: EngineStore; worker: Worker }): Engine {
  const { store, worker } = deps;

  async function resolveVersion(request: StartRunRequest): Promise<VersionRecord> {
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

  const started = (run: InstanceRecord, created: boolean): StartedRun => ({ id: run.id, version: run.version, status: run.status, created });

  return {
    async startRun(request) {
      const version = await resolveVersion(request);
      const input = request.input ?? {};
      checkInput(version, input);
      if (request.idempotencyKey) {
        const existing = await store.findByIdempotencyKey(version.workflowId, request.idempotencyKey);
        if (existing) return started(existing, false);
      }
      const id = newRunId();
      const result = await worker.admit(version, { id, input, idempotencyKey: request.idempotencyKey, parentId: request.parentId });
      if (!result.ok && result.reason === 'duplicate') return started(await this.getRun(result.existingId), false);
      if (!result.ok) throw new Error(`invariant: a new run ${id} conflicted on its first checkpoint`);
      return { id, version: version.version, status: result.status, created: true };
    },
    async getRun(id) {
      const run = await store.findInstance(id);
      if (!run) throw new EngineError('NOT_FOUND', `no run with id "${id}"`);
      return run;
    },
    async history(id) {
      return store.history(id);
    },
  };
}
