// What the engine's side and a sandbox thread say to each other: one job in, one outcome out.

export interface SandboxLimits {
  /** Wall time for the whole job (CAIRN_CODE_TIMEOUT_MS). */
  timeoutMs: number;
  /** The QuickJS heap's cap (CAIRN_CODE_MEMORY_MB, in bytes). */
  memoryBytes: number;
  /** The result's JSON at most this many bytes (the node-output limit). */
  maxOutputBytes: number;
}

export interface SandboxJob {
  id: number;
  /** From compileCode(): evaluates to the function. */
  program: string;
  /** Lines the program has before the author's first one. */
  lineOffset: number;
  /** JSON texts of the function's two arguments. */
  input: string;
  context: string;
  limits: SandboxLimits;
}

export type SandboxErrorCode =
  | 'CODE_SYNTAX'
  | 'CODE_ERROR'
  | 'CODE_TIMEOUT'
  | 'CODE_MEMORY_LIMIT'
  | 'CODE_STACK_OVERFLOW'
  | 'CODE_NEVER_SETTLED'
  | 'CODE_OUTPUT_NOT_JSON'
  | 'CODE_OUTPUT_TOO_LARGE'
  | 'CODE_SANDBOX_FAILED';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** One `console.…` call inside the sandbox, its arguments joined as the browser's console would. */
export interface LogLine {
  level: LogLevel;
  message: string;
}

export type SandboxOutcome =
  | { ok: true; json: string; logs: LogLine[] }
  | { ok: false; code: SandboxErrorCode; message: string; logs: LogLine[] };

export interface SandboxReply {
  id: number;
  outcome: SandboxOutcome;
  /** The thread's QuickJS module is no longer sound (a host-side failure): replace the thread. */
  retire?: boolean;
}

/** Lines of console output a job keeps, and characters per line: past them, one line says so. */
export const MAX_LOG_LINES = 200;
export const MAX_LOG_LINE_CHARS = 2_000;
