// Errors that say their intent (STYLE): retryable, non-retryable, with an optional retry-after.
// Anything else an action throws counts as retryable, as a network blip would.
import type { ErrorInfo } from './core/types.js';

export class ActionError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, options: { code?: string; retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ActionError';
    this.code = options.code ?? 'ACTION_FAILED';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class RetryableError extends ActionError {
  constructor(message: string, options: { code?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
    this.name = 'RetryableError';
  }
}

export class NonRetryableError extends ActionError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { ...options, retryable: false });
    this.name = 'NonRetryableError';
  }
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ActionError) {
    return {
      name: error.name,
      code: error.code,
      message: clipMessage(error.message),
      retryable: error.retryable,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
  }
  if (error instanceof Error) return { name: String(error.name).slice(0, 100), code: 'ACTION_FAILED', message: clipMessage(error.message), retryable: true };
  return { name: 'Error', code: 'ACTION_FAILED', message: clipMessage(describeThrown(error)), retryable: true };
}

/** Errors are stored in history and shown: a message of megabytes would bloat every checkpoint. */
const MESSAGE_LIMIT = 2_000;

function clipMessage(message: unknown): string {
  const text = typeof message === 'string' ? message : describeThrown(message);
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}… (${text.length.toLocaleString('en')} characters)` : text;
}

/** A thrown non-Error in words; its own toString may throw too. */
function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export type EngineErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'INVALID_INPUT' | 'INVALID_GRAPH' | 'PAYLOAD_TOO_LARGE' | 'CONFLICT';

/** A refusal of a request to the engine (bad input, unknown run); nothing was stored. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
