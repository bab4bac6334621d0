// The code sandbox on its own: QuickJS threads running authors' functions. Each escape an author
// might try gets its own case; the budgets end spinning and hoarding code with their errors while a
// plain job beside them finishes promptly.
import { afterAll, describe, expect, it } from 'vitest';
import { compileCode } from '../../shared/code-source.js';
import { SandboxPool } from './sandbox-pool.js';
import type { SandboxOutcome } from './sandbox-protocol.js';

const pool = new SandboxPool({ limits: { timeoutMs: 1_000, memoryBytes: 32 * 1024 * 1024, maxOutputBytes: 64 * 1024 } });
afterAll(() => pool.close());

async function run(source: string, input: unknown = null, signal?: AbortSignal): Promise<SandboxOutcome> {
  const compiled = compileCode(source);
  if (!compiled.ok) throw new Error(`test code does not parse: ${compiled.error.message}`);
  return pool.run({ program: compiled.program, lineOffset: compiled.lineOffset, input, context: { idempotencyKey: 'r:n:1', attempt: 2 }, signal });
}

const value = (outcome: SandboxOutcome) => (outcome.ok ? JSON.parse(outcome.json) : outcome);

describe('a code step function', () => {
  it('runs and returns, as a function or as a body, async or not', async () => {
    expect(value(await run('(input, ctx) => input.amount * 2', { amount: 21 }))).toBe(42);
    expect(value(await run('async (input, ctx) => { await null; return { key: ctx.idempotencyKey, attempt: ctx.attempt }; };'))).toEqual({ key: 'r:n:1', attempt: 2 });
    expect(value(await run('const total = input.items.reduce((sum, item) => sum + item, 0);\nreturn { total };', { items: [1, 2, 3] }))).toEqual({ total: 6 });
    expect(value(await run('async function main(input) { return input.length }', 'four'))).toBe(4);
    expect(value(await run('return await Promise.all([1, 2].map(async (n) => n + 1));'))).toEqual([2, 3]);
    expect(value(await run('console.log("nothing returned")'))).toBeNull();
  });

  it('keeps console lines with their level, objects as JSON', async () => {
    const outcome = await run('console.log("total", 3, { a: 1 }); console.warn("careful"); console.error(new Error("x").message); return 1;');
    expect(outcome).toMatchObject({ ok: true, logs: [{ level: 'log', message: 'total 3 {"a":1}' }, { level: 'warn', message: 'careful' }, { level: 'error', message: 'x' }] });
  });

  it('caps console lines: a flood keeps the first lines and says how many more there were', async () => {
    const outcome = await run('const long = "x".repeat(5000); for (let i = 0; i < 300; i++) console.log("line " + i + " " + long); return "done";');
    expect(outcome.ok).toBe(true);
    expect(outcome.logs).toHaveLength(201);
    expect(outcome.logs[0]!.message.length).toBeLessThan(2_100);
    expect(outcome.logs.at(-1)!.message).toMatch(/100 more console lines were not kept/);
  });

  it('names the line and column of what the code threw', async () => {
    const outcome = await run('const a = 1;\nconst b = null;\nreturn b.c;');
    expect(outcome).toMatchObject({ ok: false, code: 'CODE_ERROR', message: expect.stringMatching(/^the code threw TypeError: .*\(line 3, column \d+\)$/) });
    expect(await run('throw "plain text"')).toMatchObject({ ok: false, code: 'CODE_ERROR', message: 'the code threw plain text' });
    expect(await run('async () => { await null; throw new RangeError("late") }')).toMatchObject({ ok: false, code: 'CODE_ERROR', message: expect.stringMatching(/RangeError: late \(line 1/) });
  });

  it('refuses a result that is not JSON, or too large', async () => {
    expect(await run('const a = {}; a.self = a; return a;')).toMatchObject({ ok: false, code: 'CODE_OUTPUT_NOT_JSON', message: expect.stringMatching(/cannot be stored as JSON/) });
    expect(await run('return () => 1')).toMatchObject({ ok: false, code: 'CODE_OUTPUT_NOT_JSON', message: expect.stringMatching(/function is not a JSON value/) });
    expect(await run('return 10n')).toMatchObject({ ok: false, code: 'CODE_OUTPUT_NOT_JSON' });
    expect(await run('return "x".repeat(70 * 1024)')).toMatchObject({ ok: false, code: 'CODE_OUTPUT_TOO_LARGE', message: expect.stringMatching(/over the 64.0 KB limit/) });
  });

  it('fails a promise that can never settle instead of waiting for it', async () => {
    expect(await run('await new Promise(() => {}); return 1;')).toMatchObject({ ok: false, code: 'CODE_NEVER_SETTLED' });
  });

  it('does not let one job see what another left behind', async () => {
    expect(value(await run('globalThis.leftover = 42; Object.prototype.polluted = true; return 1;'))).toBe(1);
    expect(value(await run('return [typeof leftover, ({}).polluted ?? null];'))).toEqual(['undefined', null]);
  });
});

describe('what the sandbox keeps out of reach', () => {
  it('process', async () => {
    expect(value(await run('return typeof process'))).toBe('undefined');
  });
  it('require and import()', async () => {
    expect(value(await run('return typeof require'))).toBe('undefined');
    expect(await run('return await import("node:fs")')).toMatchObject({ ok: false, code: 'CODE_ERROR' });
  });
  it('fetch and every other way out to the network', async () => {
    expect(value(await run('return [typeof fetch, typeof XMLHttpRequest, typeof WebSocket, typeof setTimeout]'))).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });
  it('the host through globalThis and constructor chains', async () => {
    const names = value(await run('return Object.getOwnPropertyNames(globalThis)')) as string[];
    expect(names).toContain('JSON');
    expect(names.filter((name) => /^(process|require|fetch|module|exports|global|Buffer|std|os|env|Deno|Bun|XMLHttpRequest)$/.test(name))).toEqual([]);
    expect(await run('return this.constructor.constructor("return process")()')).toMatchObject({ ok: false, code: 'CODE_ERROR', message: expect.stringMatching(/ReferenceError: 'process' is not defined/) });
    expect(value(await run('return this.constructor.constructor("return typeof process")()'))).toBe('undefined');
    expect(await run('return (function () { return this })().constructor.constructor("return process.env")()')).toMatchObject({ ok: false, message: expect.stringMatching(/'process' is not defined/) });
    expect(value(await run('return typeof console.log.constructor("return typeof process === \\"undefined\\" ? globalThis : process")().process'))).toBe('undefined');
    expect(value(await run('return typeof Function("return globalThis")().process'))).toBe('undefined');
  });
  it('the file system and the environment (std and os modules are not there)', async () => {
    expect(value(await run('return [typeof std, typeof os, typeof scriptArgs, typeof Deno, typeof Bun]'))).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(await run('return await import("std")')).toMatchObject({ ok: false, code: 'CODE_ERROR' });
  });
});

describe('budgets', () => {
  it('an endless loop ends on the time budget, a memory bomb on the memory cap, and a plain job beside them finishes within 2 s', async () => {
    // Threads start on first use: have them started, as in a server that has run code before.
    await pool.warm();
    const endless = run('while (true) {}');
    const bomb = run('const hoard = []; for (;;) hoard.push(new ArrayBuffer(1 << 20));');
    const began = Date.now();
    const plain = run('return input + 1', 1).then((outcome) => ({ outcome, took: Date.now() - began }));
    expect(await endless).toMatchObject({ ok: false, code: 'CODE_TIMEOUT', message: expect.stringMatching(/time budget of 1,000 ms \(CAIRN_CODE_TIMEOUT_MS\)/) });
    expect(await bomb).toMatchObject({ ok: false, code: 'CODE_MEMORY_LIMIT', message: expect.stringMatching(/memory cap of 32 MB \(CAIRN_CODE_MEMORY_MB\)/) });
    const { outcome, took } = await plain;
    expect(value(outcome)).toBe(2);
    expect(took).toBeLessThan(2_000);
  });

  it('hoarding large strings ends on the memory cap too (QuickJS does not count them: the WebAssembly memory is capped), and the next job runs', async () => {
    expect(await run('const chunk = "x".repeat(1 << 16); const hoard = []; for (;;) hoard.push(chunk + chunk + hoard.length);')).toMatchObject({ ok: false, code: 'CODE_MEMORY_LIMIT' });
    expect(value(await run('return [1, 2, 3].length'))).toBe(3);
  });

  it('deep recursion ends with a stack overflow, and the thread keeps serving', async () => {
    expect(await run('const f = (n) => f(n + 1) + 1; return f(0);')).toMatchObject({ ok: false, code: 'CODE_STACK_OVERFLOW' });
    expect(value(await run('return "still here"'))).toBe('still here');
  });

  it('an aborted attempt stops its code', async () => {
    const controller = new AbortController();
    const spinning = run('while (true) {}', null, controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(await spinning).toMatchObject({ ok: false, code: 'CODE_SANDBOX_FAILED', message: expect.stringMatching(/aborted/) });
    expect(value(await run('return 5'))).toBe(5);
  });
});
