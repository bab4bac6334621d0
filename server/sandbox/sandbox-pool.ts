// A small pool of sandbox threads (sandbox-thread.ts) that runs code-step jobs one per thread. Threads
// start on first use and do not keep the process alive while idle. A job that outlives its budget by
// the grace below (a builtin that never reaches QuickJS's interrupt check), or whose attempt is
// aborted, has its thread terminated and replaced: the event loop never waits on user code.
import { Worker } from 'node:worker_threads';
import type { SandboxJob, SandboxLimits, SandboxOutcome, SandboxReply } from './sandbox-protocol.js';

/** How long past its budget a job may go before its thread is ended from outside. */
const GRACE_MS = 1_000;

export interface SandboxRequest {
  program: string;
  lineOffset: number;
  input: unknown;
  context: unknown;
  signal?: AbortSignal;
}

export interface SandboxPoolOptions {
  limits: SandboxLimits;
  /** Threads that run jobs side by side (default 4: two spinning jobs still leave room for plain ones). */
  threads?: number;
}

interface Pending {
  job: SandboxJob;
  signal?: AbortSignal;
  resolve(outcome: SandboxOutcome): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Settles when the thread is ready, or has failed to start. */
  started: Promise<void>;
  current?: { pending: Pending; watchdog: NodeJS.Timeout; onAbort(): void };
}

const failed = (code: 'CODE_TIMEOUT' | 'CODE_MEMORY_LIMIT' | 'CODE_SANDBOX_FAILED', message: string): SandboxOutcome => ({ ok: false, code, message, logs: [] });

export class SandboxPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly threads: number;

  constructor(private readonly options: SandboxPoolOptions) {
    this.threads = Math.max(1, options.threads ?? 4);
  }

  get limits(): SandboxLimits {
    return this.options.limits;
  }

  /** New limits for jobs from now on; jobs already running keep theirs. */
  configure(limits: SandboxLimits): void {
    this.options.limits = limits;
  }

  run(request: SandboxRequest): Promise<SandboxOutcome> {
    if (this.closed) return Promise.resolve(failed('CODE_SANDBOX_FAILED', 'the code sandbox is closed (the process is stopping)'));
    const job: SandboxJob = {
      id: this.nextId++,
      program: request.program,
      lineOffset: request.lineOffset,
      input: JSON.stringify(request.input ?? null),
      context: JSON.stringify(request.context ?? {}),
      limits: this.options.limits,
    };
    return new Promise<SandboxOutcome>((resolve) => {
      this.queue.push({ job, signal: request.signal, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.resolve(failed('CODE_SANDBOX_FAILED', 'the code sandbox closed before the code ran'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, failed('CODE_SANDBOX_FAILED', 'the code sandbox closed while the code ran'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const free = [...this.slots].find((slot) => slot.ready && !slot.current);
      if (!free) break;
      const pending = this.queue.shift()!;
      if (pending.signal?.aborted) pending.resolve(failed('CODE_SANDBOX_FAILED', 'the attempt was aborted before the code ran'));
      else this.start(free, pending);
    }
    if (this.queue.length > 0) this.fill();
  }

  /**
   * Start the pool's threads (all of them: one that starts only when a job waits would make that job
   * wait a thread's start-up, longer than a plain job takes). Idle threads do not keep the process alive.
   */
  private fill(): void {
    while (this.slots.size < this.threads && !this.closed) this.spawn();
  }

  /** Resolves once every thread is ready (tests, and a process that wants its first code step fast). */
  async warm(): Promise<void> {
    this.fill();
    await Promise.all([...this.slots].map((slot) => slot.started));
  }

  private start(slot: Slot, pending: Pending): void {
    const budget = pending.job.limits.timeoutMs;
    const watchdog = setTimeout(
      () => void this.retire(slot, failed('CODE_TIMEOUT', `the code ran past its time budget of ${budget.toLocaleString('en')} ms (CAIRN_CODE_TIMEOUT_MS) and was stopped`)),
      budget + GRACE_MS,
    );
    const onAbort = () => void this.retire(slot, failed('CODE_SANDBOX_FAILED', 'the attempt was aborted while the code ran'));
    pending.signal?.addEventListener('abort', onAbort, { once: true });
    slot.current = { pending, watchdog, onAbort };
    slot.worker.ref();
    slot.worker.postMessage(pending.job);
  }

  /** The job in `slot` is over: hand its outcome back, and make the thread free again (or drop it). */
  private finish(slot: Slot, outcome: SandboxOutcome): void {
    const current = slot.current;
    if (!current) return;
    slot.current = undefined;
    clearTimeout(current.watchdog);
    current.pending.signal?.removeEventListener('abort', current.onAbort);
    if (this.slots.has(slot)) slot.worker.unref();
    current.pending.resolve(outcome);
  }

  private async retire(slot: Slot, outcome: SandboxOutcome): Promise<void> {
    this.slots.delete(slot);
    this.finish(slot, outcome);
    // The replacement starts now, not when the next job needs it.
    this.fill();
    await slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./sandbox-thread-entry.mjs', import.meta.url), { workerData: { memoryBytes: this.options.limits.memoryBytes } });
    let started!: () => void;
    const slot: Slot = { worker, ready: false, started: new Promise<void>((resolve) => (started = resolve)) };
    worker.once('exit', () => started());
    this.slots.add(slot);
    worker.unref();
    worker.on('message', (message: SandboxReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        started();
        return this.dispatch();
      }
      if (slot.current?.pending.job.id !== message.id) return;
      if (message.retire) return void this.retire(slot, message.outcome);
      this.finish(slot, message.outcome);
      this.dispatch();
    });
    // A thread that dies on its own (its heap outgrew the host's limit, or QuickJS failed to load)
    // fails the job it held; the next job gets a new thread.
    worker.on('error', (error) => {
      const outcome = failed('CODE_SANDBOX_FAILED', `the code sandbox failed: ${String(error.message ?? error).slice(0, 300)}`);
      // One that cannot even start would fail the same way again: the jobs waiting for it fail now.
      if (!slot.ready) for (const pending of this.queue.splice(0)) pending.resolve(outcome);
      void this.retire(slot, outcome);
    });
    worker.on('exit', () => {
      if (!this.slots.has(slot)) return;
      this.slots.delete(slot);
      this.finish(slot, failed('CODE_MEMORY_LIMIT', 'the code sandbox thread ended while the code ran (it outgrew its memory)'));
      if (!this.closed) this.dispatch();
    });
  }
}
