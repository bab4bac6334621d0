// Runs held in memory by this worker: each has a mailbox of events, processed one batch at a time
// through the pure core, checkpointed through the group committer, and only then acted upon.
import { LIMITS, type Limits } from '../../../shared/limits.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { Logger } from '../../logger.js';
import { actionAttempt, modelAttempt, type AttemptHandle, type ModelCaller } from './action-runner.js';
import type { ActionFetch } from '../../actions/http-client.js';
import type { CredentialSource } from '../../credentials/credential-source.js';
import type { Clock } from '../clock.js';
import type { GraphIndex } from '../core/graph-index.js';
import { engineFailure, transition } from '../core/interpreter.js';
import type { MaybePromise } from '../core/maybe-async.js';
import type { EffectMap, ErrorInfo, RunContext, RunEvent, RunState, Transition } from '../core/types.js';
import type { GroupCommitter } from './group-commit.js';
import { CheckpointDraft, type AfterCommit } from './checkpoint-draft.js';
import { hasWorkInFlight, PauseStep, type ControlEvent } from './pause.js';
import { changesTasks, type CheckpointResult, type EngineStore, type InstanceRecord, type NewInstance } from '../store.js';
import { notify, type PickedUp, type RunObserver } from './observer.js';
import type { LoopTurns } from './loop-turns.js';
import { describeError } from './describe-error.js';
import { UNREADABLE_GRAPH, VersionGraphs } from './version-graphs.js';
import { childRunTrace, lazyTraceparent, type RunTrace } from './trace-context.js';

export interface HeldRun {
  record: InstanceRecord;
  graph: GraphIndex;
  mailbox: Delivery[];
  processing: boolean;
  /** Set until the first checkpoint, which inserts the instance. */
  create?: NewInstance;
  /** Why its version's graph could not be read: the run cannot move, and fails with ENGINE_ERROR. */
  unreadableGraph?: string;
}

interface Delivery {
  event: RunEvent | ControlEvent;
  /** The timer row this event consumes; deleted in the same checkpoint. */
  timerId?: string;
  /** The inbox row this event consumes; marked delivered in the same checkpoint. */
  signalId?: string;
  /** What the worker picked up to deliver this event (for the observer). */
  pickedUp?: PickedUp;
  done(result: CheckpointResult): void;
  /** The checkpoint could not be written (the database failed): the caller learns why. */
  fail(error: unknown): void;
}

export interface CheckpointNotice {
  instanceId: string;
  status: InstanceRecord['status'];
  rev: number;
  /** Approval tasks were created or closed (the inbox changed). */
  tasksChanged: boolean;
}

export interface RunProcessorDeps {
  store: EngineStore;
  clock: Clock;
  actions: ActionRegistry;
  logger: Logger;
  committer: GroupCommitter;
  /** The loop budget shared with the committer: a long stretch of steps lets the event loop turn. */
  turns: LoopTurns;
  owner: string;
  leaseMs: number;
  limits?: Partial<Limits>;
  models?: ModelCaller;
  /** The egress-checked HTTP client actions get as ctx.fetch. */
  fetch: ActionFetch;
  /** Where ctx.credentials reads from (absent: every credential is unavailable). */
  credentials?: CredentialSource;
  /** Start (or find, by its idempotency key) the child run a subflow node asks for. */
  startChild(request: EffectMap['startChild'] & { parentId: string; trace?: RunTrace }): Promise<{ ok: true; childId: string } | { ok: false; error: ErrorInfo }>;
  onTimerSet(dueAt: number): void;
  /** A checkpoint wrote to other runs' inboxes (a parent, children): look for work now. */
  onInboxPosted(): void;
  onCheckpoint(notice: CheckpointNotice): void;
  onIdleChange(): void;
  /** Telemetry (issue 18); absent, nothing is observed. */
  observer?: RunObserver;
  /** Signs `callbacks.<eventNodeId>.url` (server/callbacks/); absent, expressions see no callbacks. */
  callbackUrl?: RunContext['callbackUrl'];
}

export class RunProcessor {
  readonly held = new Map<string, HeldRun>();
  private readonly graphs: VersionGraphs;
  private readonly limits: Limits;
  private processing = 0;
  private pendingChildren = 0;
  private readonly attempts = new Set<AttemptHandle>();

  constructor(private readonly deps: RunProcessorDeps) {
    this.limits = { ...LIMITS, ...deps.limits };
    this.graphs = new VersionGraphs(deps);
  }

  get busy(): boolean {
    return this.processing > 0 || this.attempts.size > 0 || this.pendingChildren > 0;
  }

  /** Abort every attempt in flight (the worker is stopping); each counts as a failed attempt. */
  abortAttempts(): void {
    for (const attempt of this.attempts) attempt.abort();
  }

  async hold(record: InstanceRecord, create?: NewInstance): Promise<HeldRun> {
    const existing = this.held.get(record.id);
    if (existing) return existing;
    const graph = await this.graphs.of(record.versionId);
    const run: HeldRun = typeof graph === 'string' ? { record, graph: UNREADABLE_GRAPH, unreadableGraph: graph, mailbox: [], processing: false, create } : { record, graph, mailbox: [], processing: false, create };
    this.held.set(record.id, run);
    return run;
  }

  /** Queue an event; resolves once the checkpoint that consumed it is committed. */
  deliver(run: HeldRun, event: RunEvent | ControlEvent, consumes: { timerId?: string; signalId?: string; pickedUp?: PickedUp } = {}): Promise<CheckpointResult> {
    return new Promise((done, fail) => {
      run.mailbox.push({ event, ...consumes, done, fail });
      void this.process(run);
    });
  }

  private async process(run: HeldRun): Promise<void> {
    if (run.processing) return;
    run.processing = true;
    this.processing++;
    let batch: Delivery[] = [];
    try {
      while (this.hasWork(run)) {
        // A long stretch of work lets the event loop turn first (loop-turns.ts): a start, a signal or
        // a timer loses nothing by waiting. An attempt's outcome does not wait (see perform below).
        if (!run.mailbox.some(isAttemptOutcome) && this.deps.turns.mustWait()) {
          await this.deps.turns.turn();
          if (!this.hasWork(run)) break;
        }
        batch = run.mailbox.splice(0);
        await this.processBatch(run, batch);
        batch = [];
      }
      if (this.held.get(run.record.id) !== run) {
        // Dropped after a refused checkpoint: what is still queued was not stored; a later scan
        // finds its timers and inbox rows again.
        for (const delivery of run.mailbox.splice(0)) delivery.done({ ok: false, reason: 'conflict' });
      } else if (run.mailbox.length === 0 && !hasWorkInFlight(run.record)) {
        this.held.delete(run.record.id);
      }
    } catch (error) {
      // A failed commit or a bug, not a workflow failure: nothing of this batch was stored. Drop the
      // run from memory; its lease expires and recovery resumes it from its last checkpoint.
      this.deps.logger.error('run processing failed', { instanceId: run.record.id, error: String((error as Error).stack ?? error) });
      this.held.delete(run.record.id);
      for (const delivery of [...batch, ...run.mailbox.splice(0)]) delivery.fail(error);
    } finally {
      run.processing = false;
      this.processing--;
      this.deps.onIdleChange();
    }
  }

  private hasWork(run: HeldRun): boolean {
    return run.mailbox.length > 0 && this.held.get(run.record.id) === run;
  }

  private async processBatch(run: HeldRun, batch: Delivery[]): Promise<void> {
    const now = this.deps.clock.now();
    const { record } = run;
    const draft = new CheckpointDraft(record, now, this.deps.clock);
    const pause = new PauseStep(draft, now);
    for (const delivery of batch) {
      if (pause.takes(delivery)) continue;
      draft.consume(delivery);
      if (draft.finished) continue;
      // PauseStep takes every ControlEvent: what is left is the core's.
      const next = this.transitionContained(run, now, draft.history.length, draft.state, delivery.event as RunEvent);
      draft.add(next instanceof Promise ? await next : next);
    }
    pause.hold();
    const checkpoint = draft.checkpoint({ create: run.create, owner: this.deps.owner, leaseMs: this.deps.leaseMs });
    pause.settle(checkpoint, { owner: this.deps.owner, expiresAt: now + this.deps.leaseMs });
    checkpoint.statusAndLeaseKept = draft.keepsStatusAndLease(checkpoint);
    // An attempt's outcome records a side effect that has happened: it must not wait long to be durable.
    const urgent = batch.some(isAttemptOutcome);
    const result = await this.deps.committer.submit(checkpoint, urgent);
    if (!result.ok) {
      if (result.reason === 'conflict') this.deps.logger.warn('checkpoint refused: another worker moved the run on', { instanceId: record.id });
      this.held.delete(record.id);
      for (const delivery of batch) delivery.done(result);
      return;
    }
    run.create = undefined;
    draft.committed(checkpoint);
    for (const delivery of batch) delivery.done(result);
    for (const timer of checkpoint.timersToSet) this.deps.onTimerSet(timer.dueAt);
    if (checkpoint.cancelChildren || checkpoint.notifyParent || checkpoint.create?.parentId) this.deps.onInboxPosted();
    // What the checkpoint decided is durable; starting its work (the next attempts) may wait for the
    // loop to turn when a long stretch of steps has held it (loop-turns.ts). Outcomes never wait:
    // their side effects have happened, and a crash before they are stored would repeat them.
    if (draft.afterCommit.length > 0 && this.deps.turns.mustWait()) await this.deps.turns.turn();
    for (const effect of draft.afterCommit) this.perform(record.id, effect);
    this.deps.onCheckpoint({ instanceId: record.id, status: checkpoint.status, rev: record.rev, tasksChanged: changesTasks(checkpoint) });
    if (this.deps.observer) notify(this.deps.observer, 'checkpointCommitted', { record, checkpoint, graph: run.graph, pickedUp: batch.flatMap((delivery) => (delivery.pickedUp ? [delivery.pickedUp] : [])) });
  }

  /** A transition that throws fails its own run (ENGINE_ERROR), never the worker or other runs. */
  private transitionContained(run: HeldRun, now: number, pendingHistory: number, state: RunState, event: RunEvent): MaybePromise<Transition> {
    const ctx = this.contextOf(run, now, pendingHistory);
    if (run.unreadableGraph) return engineFailure(ctx, state, run.unreadableGraph);
    try {
      const next = transition(ctx, state, event);
      return next instanceof Promise ? next.catch((error: unknown) => this.engineFailed(run, ctx, state, event, error)) : next;
    } catch (error) {
      return this.engineFailed(run, ctx, state, event, error);
    }
  }

  private engineFailed(run: HeldRun, ctx: RunContext, state: RunState, event: RunEvent, error: unknown): Transition {
    const message = `the engine failed while handling "${event.type}": ${describeError(error)}`;
    this.deps.logger.error('transition failed: the run fails with ENGINE_ERROR', { instanceId: run.record.id, traceId: state.trace?.traceId, event: event.type, error: String((error as Error)?.stack ?? error) });
    return engineFailure(ctx, state, message);
  }

  private contextOf(run: HeldRun, now: number, pendingHistory: number) {
    const { record } = run;
    return {
      instance: { id: record.id, workflow: record.workflowSlug, version: record.version, startedAt: record.createdAt, input: record.input, parentId: record.parentId },
      graph: run.graph,
      now,
      limits: this.limits,
      historyCount: record.historyCount + pendingHistory,
      callbackUrl: this.deps.callbackUrl,
    };
  }

  /** Perform what a committed checkpoint decided; each result comes back as an event for the run. */
  private perform(instanceId: string, effect: AfterCommit): void {
    if (effect.type === 'startChild') return this.startChild(instanceId, effect);
    const { actions, clock, logger, models, fetch, credentials, observer } = this.deps;
    const held = observer && this.held.get(instanceId);
    const startedAt = clock.now();
    // The attempt's requests (ctx.fetch) and log lines carry its span's traceparent.
    const traceparent = held ? lazyTraceparent(() => notify(observer, 'traceparentFor', held.record, effect)) : undefined;
    const attempt =
      effect.type === 'runAction' ? actionAttempt(effect, { actions, clock, logger, instanceId, fetch, credentials, traceparent }) : modelAttempt(effect, { models, clock });
    this.attempts.add(attempt);
    void attempt.outcome.then((outcome) => {
      this.attempts.delete(attempt);
      if (observer) notify(observer, 'attemptFinished', { instanceId, effect, outcome, startedAt, endedAt: clock.now() });
      const base = { tokenId: effect.tokenId, attempt: effect.attempt, ...(outcome.logs ? { logs: outcome.logs } : {}) };
      this.deliverIfHeld(instanceId, outcome.ok ? { type: 'actionSucceeded', ...base, output: outcome.output } : { type: 'actionFailed', ...base, error: outcome.error });
    });
  }

  private startChild(parentId: string, effect: EffectMap['startChild']): void {
    this.pendingChildren++;
    void this.deps
      .startChild({ ...effect, parentId, trace: this.childTrace(parentId, effect.tokenId) })
      .catch((error: unknown) => ({ ok: false as const, error: { name: 'Error', code: 'CHILD_START_FAILED', message: String((error as Error).message ?? error), retryable: false } }))
      .then((result) => {
        this.pendingChildren--;
        const { tokenId } = effect;
        this.deliverIfHeld(parentId, result.ok ? { type: 'childStarted', tokenId, childId: result.childId } : { type: 'childStartFailed', tokenId, error: result.error });
      });
  }

  /** A child run continues its parent's trace, under the subflow node's visit. */
  private childTrace(parentId: string, tokenId: string): RunTrace | undefined {
    const state = this.held.get(parentId)?.record.state;
    const token = state?.tokens.find((candidate) => candidate.id === tokenId);
    return state?.trace && token ? childRunTrace(state.trace, parentId, token) : undefined;
  }

  private deliverIfHeld(instanceId: string, event: RunEvent): void {
    const run = this.held.get(instanceId);
    // Nobody awaits this delivery (an attempt's outcome, a child's start), so it makes no promise: a
    // failed commit is logged by process(), and must not become an unhandled rejection (which would
    // end the process and every run in it).
    if (run) {
      run.mailbox.push({ event, done: ignore, fail: ignore });
      void this.process(run);
    }
    this.deps.onIdleChange();
  }
}

function ignore(): void {}

function isAttemptOutcome({ event }: Delivery): boolean {
  return event.type === 'actionSucceeded' || event.type === 'actionFailed';
}
