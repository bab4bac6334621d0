// Failures raised inside a transition. A RunFailure fails the run (compensating first); any other
// exception from the core is a bug and propagates loudly.
import type { ErrorInfo } from './types.js';

export class RunFailure extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'RunFailure';
  }
}

export function runError(code: string, message: string, nodeId?: string): ErrorInfo {
  return { name: 'RunError', code, message, retryable: false, ...(nodeId ? { nodeId } : {}) };
}
