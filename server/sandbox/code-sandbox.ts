// The process's code sandbox, configured once by the composition root from CAIRN_CODE_TIMEOUT_MS and
// CAIRN_CODE_MEMORY_MB (like the expression budget), so that every registry of the built-in actions —
// `cairn start`, `cairn worker`, `cairn run`, the test harnesses — runs code steps the same way.
import { LIMITS } from '../../shared/limits.js';
import { SandboxPool } from './sandbox-pool.js';
import type { SandboxLimits } from './sandbox-protocol.js';

export const DEFAULT_CODE_TIMEOUT_MS = 1_000;
export const DEFAULT_CODE_MEMORY_MB = 64;

let limits: SandboxLimits = { timeoutMs: DEFAULT_CODE_TIMEOUT_MS, memoryBytes: DEFAULT_CODE_MEMORY_MB * 1024 * 1024, maxOutputBytes: LIMITS.payloadBytes };
let pool: SandboxPool | undefined;

/** Set the budget of every code step from now on (jobs already running keep theirs). */
export function setCodeBudget(budget: { timeoutMs?: number; memoryMb?: number }): void {
  limits = {
    ...limits,
    ...(budget.timeoutMs !== undefined ? { timeoutMs: budget.timeoutMs } : {}),
    ...(budget.memoryMb !== undefined ? { memoryBytes: budget.memoryMb * 1024 * 1024 } : {}),
  };
  pool?.configure(limits);
}

export function codeSandbox(): SandboxPool {
  return (pool ??= new SandboxPool({ limits }));
}
