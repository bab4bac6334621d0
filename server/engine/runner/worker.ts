// The worker: claims runs (recovered leases, due timers), hands them to the run processor, renews
// leases while steps run, and sleeps until the next due timer or lease expiry — no busy polling.
import { randomUUID } from 'node:crypto';
import type { Limits } from '../../../shared/limits.js';
import { defaultEgressPolicy, type EgressPolicy } from '../../actions/egress.js';
import { createHttpClient } from '../../actions/http-client.js';
import type { CredentialSource } from '../../credentials/credential-source.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import { GroupCommitter } from './group-commit.js';
import { LoopTurns } from './loop-turns.js';
import { RunProcessor, type CheckpointNotice, type RunProcessorDeps } from './run-processor.js';
import type { CheckpointResult, EngineStore, InstanceRecord, SignalRecord, VersionRecord } from '../store.js';
import type { ModelCaller } from './action-runner.js';
import type { RunEvent, Decision } from '../core/types.js';
import { startChildRun, startRun } from './start-run.js';
import type { ScheduleTicks } from './schedule-ticks.js';
import { admittedRecord, firstCheckpoint, type Admission, type AdmitResult, type NewRun } from './admission.js';
import { notify, type RunObserver } from './observer.js';
import { createQueueKeeper, withConcurrencyLimit } from './concurrency.js';
import { controlEvent, hasWorkInFlight, type ControlEvent } from './pause.js';

export interface WorkerOptions {
  store: EngineStore;
  clock: Clock;
  actions: ActionRegistry;
  logger: Logger;
  workerId?: string;
  /** How long a claim lasts without renewal; renewed every third of it while steps run. */
  leaseMs?: number;
  /** Runs claimed per scan. */
  claimBatch?: number;
  /** When due timers exist but other live workers hold their runs, look again after this long. */
  busyRetryMs?: number;
  limits?: Partial<Limits>;
  /** The model client for AI nodes; without one they take `fallback` with "no model configured". */
  models?: ModelCaller;
  /** Which internal addresses actions may reach (CAIRN_HTTP_ALLOW); default: none. */
  egress?: EgressPolicy;
  /** Where actions' ctx.credentials resolve names (server/credentials/); absent: none are available. */
  credentials?: CredentialSource;
  /** Schedules whose ticks this worker fires (server/triggers/); absent: none. */
  schedules?: ScheduleTicks;
  /** Telemetry (server/telemetry/): spans and metrics of what the worker does. */
  observer?: RunObserver;
  /** Signs callback URLs for expressions (server/callbacks/); absent, runs see no `callbacks`. */
  callbackUrl?: RunProcessorDeps['callbackUrl'];
}

export interface Worker extends Admission {
  readonly id: string;
  start(): Promise<void>;
  /** Stop claiming, let in-flight attempts finish for up to `graceMs`, then abort them. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolve once nothing is due, in flight or uncommitted (tests call this after moving the clock). */
  drain(): Promise<void>;
  /** Admit a new run: its first transition is committed together with its row. */
  admit(version: VersionRecord, run: NewRun): Promise<AdmitResult>;
  onCheckpoint(listener: (notice: CheckpointNotice) => void): () => void;
  readonly stats: { transactions: number; checkpoints: number };
}

export function createWorker(options: WorkerOptions): Worker {
  const { store, clock, logger } = options;
  const id = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const claimBatch = options.claimBatch ?? 500;
  const busyRetryMs = options.busyRetryMs ?? 1_000;
  const { observer } = options;
  const turns = new LoopTurns();
  const committer = new GroupCommitter(store, observer?.batchCommitted && ((size, ms) => notify(observer, 'batchCommitted', size, ms)), turns);
  const listeners = new Set<(notice: CheckpointNotice) => void>();
  let idleWaiters: (() => void)[] = [];
  let scanChain: Promise<number> = Promise.resolve(0);
  let scanning = 0;
  let running = false;
  let wake: { at: number; cancel: () => void } | undefined;
  let cancelRenewal: (() => void) | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;

  const isIdle = () => !processor.busy && committer.idle && scanning === 0 && !queue.busy;
  const checkIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const idle = () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));

  const processor = new RunProcessor({
    store,
    clock,
    actions: options.actions,
    logger,
    committer,
    turns,
    owner: id,
    leaseMs,
    limits: options.limits,
    models: options.models,
    fetch: createHttpClient({ policy: options.egress ?? defaultEgressPolicy() }).fetch,
    credentials: options.credentials,
    startChild: (request) =>
      startChildRun({ store, admit, clock, limits: options.limits }, { workflow: request.workflow, input: request.input, idempotencyKey: request.idempotencyKey, parentId: request.parentId, trace: request.trace }),
    onTimerSet: (dueAt) => wakeAt(dueAt),
    onInboxPosted: () => {
      if (running && scanning < 2) queueMicrotask(() => void scan());
    },
    onCheckpoint: (notice) => {
      queue.checkpointed(processor.held.get(notice.instanceId)?.record.workflowId, notice.status);
      for (const listener of listeners) listener(notice);
    },
    onIdleChange: () => queueMicrotask(checkIdle),
    observer,
    callbackUrl: options.callbackUrl,
  });

  const poke = () => {
    // One scan waiting to start is enough: it reads the inbox when it starts.
    if (running && scanning < 2) void scan();
  };
  const queue = createQueueKeeper({ store, clock, logger, wake: poke, onIdleChange: () => queueMicrotask(checkIdle) });
  const admit = withConcurrencyLimit({ store, clock, wake: poke }, admitNow);

  function wakeAt(at: number): void {
    if (!running) return;
    // Already due (it became due while we looked): scan now rather than schedule for the past.
    if (at <= clock.now()) {
      if (scanning < 2) void scan();
      return;
    }
    if (wake && wake.at <= at) return;
    wake?.cancel();
    wake = { at, cancel: clock.schedule(at, () => { wake = undefined; void scan(); }) };
  }

  /** After a scan that claimed at `scannedAt`: sleep until the next work, or retry if it is held. */
  async function armWake(scannedAt: number): Promise<void> {
    const [work, tick] = await Promise.all([store.nextWakeAt(id), options.schedules?.nextDueAt() ?? null]);
    const at = work === null ? tick : tick === null ? work : Math.min(work, tick);
    if (at === null) return;
    // Work due when we claimed, yet not claimed, belongs to runs other live workers hold: look
    // again shortly. Work that became due since (the clock moved on meanwhile) is looked at now.
    wakeAt(at <= scannedAt ? clock.now() + busyRetryMs : at);
  }

  function scan(): Promise<number> {
    scanning++;
    const next = scanChain.then(scanOnce).finally(() => {
      scanning--;
      queueMicrotask(checkIdle);
    });
    scanChain = next.catch((error: unknown) => {
      logger.error('scan failed', { error: String((error as Error).stack ?? error) });
      return 0;
    });
    return scanChain;
  }

  /** Claim and process everything due now, batch after batch; returns how many events it delivered. */
  async function scanOnce(): Promise<number> {
    let delivered = 0;
    let scannedAt: number;
    const start = (request: Parameters<typeof startRun>[1]) => startRun({ store, admit, clock, limits: options.limits }, request);
    if (options.schedules) delivered += await options.schedules.fireDue(clock.now(), { owner: id, leaseMs, start });
    for (;;) {
      const now = (scannedAt = clock.now());
      const claim = { owner: id, now, leaseExpiresAt: now + leaseMs, limit: claimBatch };
      const commits: Promise<CheckpointResult>[] = [];
      /** Take a claimed run into memory; one found mid-flight resumes from its checkpoint first. */
      const adopt = async (record: InstanceRecord) => {
        const known = processor.held.get(record.id);
        if (known) return known;
        const run = await processor.hold(record);
        if (record.status === 'pending') commits.push(processor.deliver(run, { type: 'start' }));
        // A waiting run whose lease nobody gave back was being moved on when its process died or
        // stalled: `recover` counts that, in a checkpoint of its own, before the event that may
        // have caused it is handled again (quarantine).
        if (record.status === 'running' || ((record.status === 'waiting' || record.status === 'paused') && record.interrupted)) commits.push(processor.deliver(run, { type: 'recover' }));
        return run;
      };
      // The inbox before timers: a decision or signal that arrived before a time-out fired goes first.
      for (const inbound of await store.claimInbound(claim)) {
        const run = await adopt(inbound.instance);
        for (const signal of inbound.signals) {
          const pickedUp = observer && { instanceId: signal.instanceId, kind: 'inbox' as const, due: signal.createdAt, at: now, purpose: signal.kind };
          commits.push(processor.deliver(run, inboxEvent(signal), { signalId: signal.id, pickedUp }));
        }
      }
      for (const record of await store.claimRecoverable({ ...claim, exclude: new Set(processor.held.keys()) })) await adopt(record);
      for (const due of await store.claimDueTimers(claim)) {
        const run = await adopt(due.instance);
        for (const timer of due.timers) {
          const pickedUp = observer && { instanceId: timer.instanceId, kind: 'timer' as const, due: timer.dueAt, at: now, purpose: timer.purpose, tokenId: timer.tokenId };
          commits.push(processor.deliver(run, { type: 'timerFired', tokenId: timer.tokenId, purpose: timer.purpose }, { timerId: timer.id, pickedUp }));
        }
      }
      if (commits.length === 0) break;
      delivered += commits.length;
      await Promise.all(commits);
    }
    if (running) await armWake(scannedAt);
    return delivered;
  }

  function scheduleRenewal(): void {
    cancelRenewal = clock.schedule(clock.now() + Math.floor(leaseMs / 3), () => {
      const ids = [...processor.held.values()].filter((run) => hasWorkInFlight(run.record)).map((run) => run.record.id);
      const renewal = ids.length ? store.renewLeases(id, ids, clock.now() + leaseMs) : Promise.resolve();
      renewal.catch((error: unknown) => logger.error('lease renewal failed', { error: String(error) }));
      if (running) scheduleRenewal();
    });
  }

  return {
    id,
    stats: committer.stats,
    async start() {
      running = true;
      scheduleRenewal();
      // Other processes' work (PostgreSQL): scan now, or re-arm for a timer sooner than ours.
      unsubscribe = await store.subscribe?.((wake) => (wake.at <= clock.now() ? this.poke() : wakeAt(wake.at)));
      await queue.sweep();
      await scan();
    },
    async stop({ graceMs = 5_000 } = {}) {
      running = false;
      wake?.cancel();
      wake = undefined;
      cancelRenewal?.();
      await unsubscribe?.();
      unsubscribe = undefined;
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([idle(), timeout]);
      processor.abortAttempts();
      await idle();
      await store.releaseLeases(id, [...processor.held.keys()]);
    },
    async drain() {
      for (;;) {
        await idle();
        const delivered = await scan();
        await idle();
        if (delivered === 0 && isIdle()) return;
      }
    },
    onCheckpoint(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    admit,
    poke,
  };

  async function admitNow(version: VersionRecord, run: NewRun): Promise<AdmitResult> {
    const now = clock.now();
    const first = firstCheckpoint(version, run, now);
    const held = await processor.hold(admittedRecord(version, first, { owner: id, expiresAt: now + leaseMs }), first.create);
    const result = await processor.deliver(held, { type: 'start' });
    return result.ok ? { ok: true, status: held.record.status } : result;
  }
}

/** An inbox row as the event the core understands. */
function inboxEvent(signal: SignalRecord): RunEvent | ControlEvent {
  const data = (signal.data ?? {}) as Record<string, unknown>;
  switch (signal.kind) {
    case 'signal':
      return { type: 'signalReceived', signalId: signal.id, name: signal.name ?? '', data: signal.data, at: signal.createdAt };
    case 'decision':
      return Object.assign({ type: 'approvalDecided' as const }, data as unknown as Decision);
    case 'cancel':
      return { type: 'cancelRequested', compensate: data.compensate === true, by: data.by as string | undefined, reason: data.reason as string | undefined };
    case 'retry':
      return { type: 'retryRequested', nodeId: String(data.nodeId), by: data.by as string | undefined };
    case 'child':
      return Object.assign({ type: 'childFinished' as const }, data as unknown as Omit<Extract<RunEvent, { type: 'childFinished' }>, 'type'>);
    case 'pause':
    case 'resume':
      return controlEvent(signal)!;
  }
}
