// The engine's entry points for the API, the CLI and tests: start runs, send signals, decide
// approvals, cancel, and read runs back. Each request is checked here and refused with an
// EngineError naming what is wrong before anything is stored; execution belongs to the worker.
import { schemaViolations } from '../../shared/json-schema.js';
import { retryRefusal } from '../../shared/runs/retry.js';
import { formatBytes, jsonBytes, LIMITS, type Limits } from '../../shared/limits.js';
import { FINISHED_STATUSES, type Decision } from './core/types.js';
import { EngineError } from './errors.js';
import { newRunId } from './ids.js';
import { startRun, type StartedRun, type StartRunRequest } from './runner/start-run.js';
import { rerunFrom, type RerunRequest, type RerunStarted } from './runner/rerun.js';
import type { EngineStore, HistoryRecord, InstanceRecord, TaskRecord } from './store.js';
import type { Admission } from './runner/admission.js';
import type { Clock } from './clock.js';

export type { StartedRun, StartRunRequest } from './runner/start-run.js';

/** Who is deciding: a user, the roles they hold, whether they are an admin, and whom they stand in for. */
export interface Approver {
  user: string;
  roles?: readonly string[];
  admin?: boolean;
  /** People whose active delegation names this user (server/db/delegations.ts), with their roles. */
  delegators?: readonly { user: string; roles: readonly string[] }[];
}

export interface DecideRequest {
  by: Approver;
  decision: 'approve' | 'reject';
  comment?: string;
  form?: unknown;
  /** How the decision reached Cairn, when not through the web app or the API (kept in the audit log). */
  via?: 'email';
}

/**
 * What the engine announces as it happens, for whoever shows it live (the web app's inboxes): an
 * approval task was decided. Run changes are announced by the worker's checkpoint notices.
 */
export type EngineNotice = { type: 'taskDecided'; taskId: string; instanceId: string };

export interface Engine {
  startRun(request: StartRunRequest): Promise<StartedRun>;
  getRun(id: string): Promise<InstanceRecord>;
  history(id: string): Promise<HistoryRecord[]>;
  /**
   * Deliver a named signal; it is buffered until an `event` node waits for it. A run holds at most
   * LIMITS.bufferedSignals such signals and LIMITS.bufferedSignalBytes of their data: past that the
   * signal is refused (CONFLICT) and not stored, and those already accepted are all still delivered.
   */
  signal(runId: string, name: string, data?: unknown): Promise<{ signalId: string }>;
  cancel(runId: string, options?: { compensate?: boolean; by?: string; reason?: string }): Promise<void>;
  /** Resume a failed run from the node it failed at (a new visit of that node). */
  retry(runId: string, options?: { by?: string }): Promise<void>;
  /** Start a new run from node X of a finished run, reusing what it recorded before X (runner/rerun.ts). */
  rerun(request: RerunRequest): Promise<RerunStarted>;
  decide(taskId: string, request: DecideRequest): Promise<TaskRecord>;
  task(taskId: string): Promise<TaskRecord>;
  /** The tasks `who` may see by the rule (mayDecide); with `admin: false`, those assigned to them. */
  tasksFor(who: Approver & { status?: TaskRecord['status'] }): Promise<TaskRecord[]>;
  /** Hear the engine's notices; returns the way to stop. A listener that throws does not stop the others. */
  onNotice(listener: (notice: EngineNotice) => void): () => void;
}

const COMMENT_LIMIT = 10_000;

function checkPayload(value: unknown, what: string): void {
  const bytes = jsonBytes(value);
  if (bytes > LIMITS.payloadBytes) throw new EngineError('PAYLOAD_TOO_LARGE', `${what} is ${formatBytes(bytes)}, over the ${formatBytes(LIMITS.payloadBytes)} limit`);
}

const assigned = (task: TaskRecord, user: string, roles: readonly string[]) =>
  task.assignees.users.includes(user) || roles.some((role) => task.assignees.roles.includes(role));

/**
 * THE rule of who sees and decides an approval task: the users it names, the users holding a role
 * it names, admins, and the delegates of any of those — but never a user the task's policy forbids
 * (self-approval), nor a delegate standing in for one. Answers as whom they decide: themselves, or
 * `onBehalfOf` the person who delegated to them; null when they may not.
 */
export function decidingAs(task: TaskRecord, who: Approver): { onBehalfOf?: string } | null {
  const { forbidden } = task.policy;
  if (forbidden.includes(who.user)) return null;
  if (who.admin === true || assigned(task, who.user, who.roles ?? [])) return {};
  const delegator = (who.delegators ?? []).find((candidate) => !forbidden.includes(candidate.user) && assigned(task, candidate.user, candidate.roles));
  return delegator ? { onBehalfOf: delegator.user } : null;
}

/**
 * Listing (tasksFor), reading and deciding all go through this rule (decidingAs), for the web app,
 * tRPC and REST alike. Pass `admin: false` to ask only "is it assigned to them?".
 */
export function mayDecide(task: TaskRecord, who: Approver): boolean {
  return decidingAs(task, who) !== null;
}

/** Why `who` may not decide `task`, in words naming the rule that refuses them. */
export function refusalOf(task: TaskRecord, who: Approver): string {
  if (task.policy.forbidden.includes(who.user)) {
    return `${who.user} may not decide approval "${task.id}": self-approval is forbidden here (${who.user} started the run or is the person it is about)`;
  }
  const standIns = (who.delegators ?? []).filter((delegator) => assigned(task, delegator.user, delegator.roles)).map((delegator) => delegator.user);
  if (standIns.length > 0) return `${who.user} may not decide approval "${task.id}" on behalf of ${standIns.join(', ')}: self-approval is forbidden here`;
  return `${who.user} is not an assignee of approval "${task.id}"`;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / (1024 * 1024)).toFixed(1))} MB` : formatBytes(bytes);
}

/** `worker` is this process's worker, or a queued admission when workers run elsewhere. */
export function createEngine(deps: { store: EngineStore; worker: Admission; clock: Clock; limits?: Partial<Limits> }): Engine {
  const { store, worker, clock } = deps;
  const listeners = new Set<(notice: EngineNotice) => void>();
  const announce = (notice: EngineNotice) => {
    for (const listener of listeners) {
      try {
        listener(notice);
      } catch {
        // A listener's fault is its own: the decision is stored and the others still hear of it.
      }
    }
  };
  const signalCap = { count: deps.limits?.bufferedSignals ?? LIMITS.bufferedSignals, bytes: deps.limits?.bufferedSignalBytes ?? LIMITS.bufferedSignalBytes };

  async function unfinishedRun(runId: string, what: string): Promise<InstanceRecord> {
    const run = await store.findInstance(runId);
    if (!run) throw new EngineError('NOT_FOUND', `no run with id "${runId}"`);
    if (FINISHED_STATUSES.includes(run.status)) throw new EngineError('CONFLICT', `run "${runId}" has already ${run.status}; it takes no ${what}`);
    return run;
  }

  async function findTask(taskId: string): Promise<TaskRecord> {
    const task = await store.findTask(taskId);
    if (!task) throw new EngineError('NOT_FOUND', `no approval task with id "${taskId}"`);
    return task;
  }

  function checkDecision(task: TaskRecord, request: DecideRequest): void {
    if (!mayDecide(task, request.by)) throw new EngineError('FORBIDDEN', refusalOf(task, request.by));
    if (task.status !== 'pending') {
      const how = task.decidedBy ? ` by ${task.decidedBy} at ${new Date(task.decidedAt ?? 0).toISOString()}` : '';
      throw new EngineError('CONFLICT', `approval "${task.id}" is already ${task.status.replace('_', ' ')}${how}`);
    }
    const acting = decidingAs(task, request.by);
    const person = acting?.onBehalfOf ?? request.by.user;
    const earlier = task.decisions.find((vote) => vote.by === request.by.user || (vote.onBehalfOf ?? vote.by) === person);
    if (earlier) {
      const as = earlier.onBehalfOf ? ` on behalf of ${earlier.onBehalfOf}` : '';
      throw new EngineError('CONFLICT', `${earlier.by}${as} already ${earlier.decision} approval "${task.id}" at ${new Date(earlier.at).toISOString()}; each person decides once`);
    }
    if (request.decision !== 'approve' && request.decision !== 'reject') {
      throw new EngineError('INVALID_INPUT', `decision must be "approve" or "reject", not ${JSON.stringify(request.decision)}`);
    }
    if (request.comment !== undefined && (typeof request.comment !== 'string' || request.comment.length > COMMENT_LIMIT)) {
      throw new EngineError('INVALID_INPUT', `comment must be text of at most ${COMMENT_LIMIT.toLocaleString('en')} characters`);
    }
    if (!task.form) {
      if (request.form !== undefined) throw new EngineError('INVALID_INPUT', `approval "${task.id}" has no form; send no form values`);
      return;
    }
    // A rejection need not fill in the form; values that are sent are still checked.
    if (request.decision === 'reject' && request.form === undefined) return;
    checkPayload(request.form, 'the form');
    const violations = schemaViolations(task.form, request.form ?? {});
    if (violations.length > 0) {
      throw new EngineError('INVALID_INPUT', `the form values are invalid: ${violations.map((violation) => violation.message).join('; ')}`, violations);
    }
  }

  return {
    startRun: (request) => startRun({ store, admit: worker.admit, clock }, request),
    async getRun(id) {
      const run = await store.findInstance(id);
      if (!run) throw new EngineError('NOT_FOUND', `no run with id "${id}"`);
      return run;
    },
    history: (id) => store.history(id),

    async signal(runId, name, data) {
      if (typeof name !== 'string' || !name.trim()) throw new EngineError('INVALID_INPUT', 'a signal needs a name');
      checkPayload(data ?? null, `the data of signal "${name}"`);
      // No read first: a run that is unknown or finished takes no signal, and is looked up only then for the error.
      const now = clock.now();
      const signalId = newRunId(clock);
      const signal = { id: signalId, instanceId: runId, kind: 'signal' as const, name, data: data ?? null, createdAt: now };
      const outcome = await store.postCappedSignal(signal, { ...signalCap, adding: jsonBytes(data ?? null) });
      if (!outcome.posted && outcome.reason === 'finished') {
        await unfinishedRun(runId, 'more signals');
        throw new EngineError('CONFLICT', `run "${runId}" has finished; it takes no more signals`);
      }
      if (!outcome.posted && outcome.reason === 'full') {
        const { held } = outcome;
        throw new EngineError(
          'CONFLICT',
          `run "${runId}" already holds ${held.count.toLocaleString('en')} signal(s) (${formatSize(held.bytes)}) that no event node has taken, and a run holds at most ${signalCap.count.toLocaleString('en')} signals and ${formatSize(signalCap.bytes)}; signal "${name}" was not stored: send it again once the run has taken some`,
          { limit: 'bufferedSignals', held, max: signalCap },
        );
      }
      worker.poke();
      return { signalId };
    },

    async cancel(runId, options = {}) {
      await unfinishedRun(runId, 'cancel request');
      const data = { compensate: options.compensate === true, by: options.by, reason: options.reason };
      const now = clock.now();
      const posted = await store.postSignal({ id: newRunId(clock), instanceId: runId, kind: 'cancel', name: null, data, createdAt: now });
      if (!posted) await unfinishedRun(runId, 'cancel request');
      worker.poke();
    },

    async retry(runId, options = {}) {
      const run = await store.findInstance(runId);
      if (!run) throw new EngineError('NOT_FOUND', `no run with id "${runId}"`);
      // The same rule as the run page's Retry button (shared/runs/retry.ts).
      const refusal = retryRefusal(run);
      if (refusal) throw new EngineError('CONFLICT', `run "${runId}" cannot be retried: ${refusal}`, { status: run.status, failedWith: run.error?.code ?? null });
      const nodeId = run.error!.nodeId!;
      const now = clock.now();
      const reopened = await store.reopenForRetry({ id: newRunId(clock), instanceId: runId, kind: 'retry', name: null, data: { nodeId, by: options.by }, createdAt: now });
      if (!reopened) throw new EngineError('CONFLICT', `run "${runId}" is no longer failed`);
      worker.poke();
    },

    rerun: (request) => rerunFrom({ store, admission: worker, clock }, request),

    async decide(taskId, request) {
      const task = await findTask(taskId);
      checkDecision(task, request);
      const at = clock.now();
      const status = request.decision === 'approve' ? 'approved' : 'rejected';
      const onBehalfOf = decidingAs(task, request.by)?.onBehalfOf;
      const decision: Decision = { taskId, decision: status, by: request.by.user, at, comment: request.comment, form: request.form, shownHash: task.shownHash, ...(onBehalfOf ? { onBehalfOf } : {}) };
      const outcome = await store.decideTask({ taskId, status, by: request.by.user, onBehalfOf, at, comment: request.comment, form: request.form, via: request.via, signalId: newRunId(clock), data: decision });
      // Someone else decided between our read and our write (the task settled, or the same person twice): report theirs.
      if (outcome !== 'decided') checkDecision(await findTask(taskId), request);
      if (outcome !== 'decided') throw new EngineError('CONFLICT', `approval "${taskId}" was decided by someone else meanwhile`);
      worker.poke();
      announce({ type: 'taskDecided', taskId, instanceId: task.instanceId });
      return findTask(taskId);
    },

    task: findTask,
    // The store's query narrows by index (for the user and each person they stand in for); the rule has the last word on every row.
    async tasksFor(who) {
      const people = [{ user: who.user, roles: who.roles ?? [], admin: who.admin }, ...(who.admin ? [] : (who.delegators ?? []).map((d) => ({ user: d.user, roles: d.roles, admin: false })))];
      const found = new Map<string, TaskRecord>();
      for (const person of people) for (const task of await store.tasksFor({ ...person, status: who.status })) found.set(task.id, task);
      const tasks = [...found.values()].filter((task) => mayDecide(task, who));
      return people.length === 1 ? tasks : tasks.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || a.createdAt - b.createdAt);
    },
    onNotice(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
