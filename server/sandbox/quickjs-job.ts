// One code-step job inside a fresh QuickJS runtime: the only globals are JavaScript's own and a
// `console` that records lines; there is no process, require, fetch, file system or environment to
// reach, because QuickJS compiled to WebAssembly has none unless the host hands them in (it does not).
// The time budget is an interrupt handler, the memory cap the runtime's allocator limit.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES, type LogLevel, type LogLine, type SandboxErrorCode, type SandboxJob, type SandboxOutcome } from './sandbox-protocol.js';

const FILE = 'code.js';
/** QuickJS's own stack check must fire before the WebAssembly stack runs out (that would break the module). */
const MAX_STACK_BYTES = 256 * 1024;
/** Room to read an error after a budget ran out: a little time and memory past the caps. */
const AFTERMATH_MS = 100;
const AFTERMATH_BYTES = 4 * 1024 * 1024;

// Made before the author's code runs, so what it replaces later (JSON, console) does not change them.
const CONSOLE = `(hostLog) => {
  const stringify = JSON.stringify;
  const show = (value) => {
    if (typeof value === 'string') return value;
    try { const text = stringify(value); if (text !== undefined) return text; } catch {}
    try { return String(value); } catch { return '[a value that cannot be shown]'; }
  };
  const make = (level) => (...args) => { hostLog(level, args.map(show).join(' ')); };
  globalThis.console = { log: make('log'), info: make('info'), warn: make('warn'), error: make('error'), debug: make('debug') };
}`;
const HARNESS = `(() => {
  const parse = JSON.parse, stringify = JSON.stringify;
  return (fn, input, context) => {
    if (typeof fn !== 'function') throw new TypeError('the code is not a function');
    return Promise.resolve().then(() => fn(parse(input), parse(context))).then((value) => {
      if (value === undefined) return 'null';
      let text;
      try { text = stringify(value); } catch (error) { return { notJson: String(error && error.message) }; }
      return text === undefined ? { notJson: 'a ' + typeof value + ' is not a JSON value' } : text;
    });
  };
})()`;
const DESCRIBE = `(error) => {
  try {
    if (error instanceof Error) return [String(error.name), String(error.message), String(error.stack || '')];
    return ['', typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), ''];
  } catch { return ['', 'a value that cannot be shown', '']; }
}`;

class JobFailure extends Error {
  constructor(readonly code: SandboxErrorCode, message: string) {
    super(message);
  }
}

/** Where in the author's code a stack points: its first frame in the code, lines counted from theirs. */
function position(stack: string, lineOffset: number): string {
  for (const match of stack.matchAll(/code\.js:(\d+)(?::(\d+))?/g)) {
    const line = Number(match[1]) - lineOffset;
    if (line >= 1) return match[2] ? ` (line ${line}, column ${match[2]})` : ` (line ${line})`;
  }
  return '';
}

function budgetFailure(name: string, message: string, job: SandboxJob): JobFailure | undefined {
  if (message === 'interrupted') return new JobFailure('CODE_TIMEOUT', `the code ran past its time budget of ${job.limits.timeoutMs.toLocaleString('en')} ms (CAIRN_CODE_TIMEOUT_MS)`);
  if (message === 'out of memory' || message.startsWith('string too long')) {
    return new JobFailure('CODE_MEMORY_LIMIT', `the code used more than its memory cap of ${Math.round(job.limits.memoryBytes / 1024 / 1024)} MB (CAIRN_CODE_MEMORY_MB)`);
  }
  if (message.includes('stack overflow') || (name === 'RangeError' && message.includes('call stack'))) return new JobFailure('CODE_STACK_OVERFLOW', 'the code recursed too deeply (stack overflow)');
  return undefined;
}

export class QuickJsJob {
  private readonly logs: LogLine[] = [];
  private dropped = 0;
  private deadline: number;

  constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly vm: QuickJSContext,
    private readonly job: SandboxJob,
  ) {
    this.deadline = Date.now() + job.limits.timeoutMs;
    runtime.setMemoryLimit(job.limits.memoryBytes);
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    runtime.setInterruptHandler(() => Date.now() > this.deadline);
  }

  run(): SandboxOutcome {
    try {
      const json = this.execute();
      return { ok: true, json, logs: this.lines() };
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error;
      return { ok: false, code: error.code, message: error.message, logs: this.lines() };
    }
  }

  private lines(): LogLine[] {
    return this.dropped > 0 ? [...this.logs, { level: 'warn', message: `… ${this.dropped} more console lines were not kept (at most ${MAX_LOG_LINES})` }] : this.logs;
  }

  private hostLog = (levelHandle: QuickJSHandle, textHandle: QuickJSHandle) => {
    if (this.logs.length >= MAX_LOG_LINES) {
      this.dropped++;
      return;
    }
    const level = this.vm.getString(levelHandle) as LogLevel;
    const text = this.vm.getString(textHandle);
    this.logs.push({ level, message: text.length > MAX_LOG_LINE_CHARS ? `${text.slice(0, MAX_LOG_LINE_CHARS)}… (${text.length.toLocaleString('en')} characters)` : text });
  };

  /** Evaluate trusted set-up code (ours, not the author's). */
  private own(source: string): QuickJSHandle {
    return this.vm.unwrapResult(this.vm.evalCode(source, 'cairn.js'));
  }

  private execute(): string {
    const { vm, job } = this;
    const installConsole = this.own(CONSOLE);
    const hostLog = vm.newFunction('hostLog', this.hostLog);
    vm.unwrapResult(vm.callFunction(installConsole, vm.undefined, hostLog)).dispose();
    hostLog.dispose();
    installConsole.dispose();
    const harness = this.own(HARNESS);
    const describe = this.own(DESCRIBE);
    try {
      const compiled = vm.evalCode(job.program, FILE);
      if (compiled.error) throw this.failure(compiled.error, describe, 'CODE_SYNTAX');
      const fn = compiled.value;
      const input = vm.newString(job.input);
      const context = vm.newString(job.context);
      const called = vm.callFunction(harness, vm.undefined, fn, input, context);
      for (const handle of [fn, input, context]) handle.dispose();
      if (called.error) throw this.failure(called.error, describe, 'CODE_ERROR');
      return this.settle(called.value, describe);
    } finally {
      harness.dispose();
      describe.dispose();
    }
  }

  /** Run the job queue until the function's promise settles; no timers or I/O exist to settle it later. */
  private settle(promise: QuickJSHandle, describe: QuickJSHandle): string {
    const { vm } = this;
    try {
      for (;;) {
        const state = vm.getPromiseState(promise);
        if (state.type === 'fulfilled') return this.result(state.value);
        if (state.type === 'rejected') throw this.failure(state.error, describe, 'CODE_ERROR');
        const ran = this.runtime.executePendingJobs();
        if (ran.error) throw this.failure(ran.error, describe, 'CODE_ERROR');
        if (ran.value === 0) throw new JobFailure('CODE_NEVER_SETTLED', 'the code awaited something that never settles (the sandbox has no timers, network or other I/O to settle it)');
      }
    } finally {
      promise.dispose();
    }
  }

  private result(value: QuickJSHandle): string {
    const { vm, job } = this;
    try {
      if (vm.typeof(value) !== 'string') {
        const notJson = vm.dump(value) as { notJson?: unknown } | undefined;
        throw new JobFailure('CODE_OUTPUT_NOT_JSON', `the code's result cannot be stored as JSON: ${String(notJson?.notJson ?? 'not a JSON value').slice(0, 300)}`);
      }
      const json = vm.getString(value);
      const bytes = Buffer.byteLength(json);
      if (bytes > job.limits.maxOutputBytes) {
        throw new JobFailure('CODE_OUTPUT_TOO_LARGE', `the code's result is ${(bytes / 1024).toFixed(1)} KB of JSON, over the ${(job.limits.maxOutputBytes / 1024).toFixed(1)} KB limit of a node's output`);
      }
      return json;
    } finally {
      value.dispose();
    }
  }

  /** An error from the VM, as a failure naming the author's line; a budget that ran out says which. */
  private failure(error: QuickJSHandle, describe: QuickJSHandle, code: SandboxErrorCode): JobFailure {
    const { vm, job } = this;
    // Reading the error runs a little JavaScript: give it room past the budget that may have run out.
    this.deadline = Date.now() + AFTERMATH_MS;
    this.runtime.setMemoryLimit(job.limits.memoryBytes + AFTERMATH_BYTES);
    try {
      const described = vm.callFunction(describe, vm.undefined, error);
      const [name, message, stack] = described.error ? ['', 'an error that cannot be read', ''] : (vm.dump(described.value) as [string, string, string]);
      (described.error ?? described.value).dispose();
      const budget = budgetFailure(name, message, job);
      if (budget) return budget;
      const where = position(stack, job.lineOffset);
      const text = `${name ? `${name}: ` : ''}${message}`.slice(0, 1_000);
      return new JobFailure(code, code === 'CODE_SYNTAX' ? `the code does not parse: ${text}${where}` : `the code threw ${text}${where}`);
    } finally {
      error.dispose();
    }
  }
}

/**
 * A fresh runtime per job: nothing one run leaves behind is seen by the next. After the memory cap
 * was hit QuickJS may leak inside the module (its runtime then refuses to be freed): `retire` says
 * the thread's module should not run another job. A host-side failure is thrown to the thread.
 */
export function runJob(module: QuickJSWASMModule, job: SandboxJob): { outcome: SandboxOutcome; retire: boolean } {
  const runtime = module.newRuntime();
  const vm = runtime.newContext();
  const outcome = new QuickJsJob(runtime, vm, job).run();
  try {
    vm.dispose();
    runtime.dispose();
  } catch {
    return { outcome, retire: true };
  }
  return { outcome, retire: !outcome.ok && outcome.code === 'CODE_MEMORY_LIMIT' };
}
