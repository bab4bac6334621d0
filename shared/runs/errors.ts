// How errors are persisted (STYLE: name, code, message, retryable): on a failed or cancelled run, in
// history events and in a step's error-port output.

export interface ErrorInfo {
  name: string;
  code: string;
  message: string;
  retryable: boolean;
  nodeId?: string;
  /** Milliseconds the source asked us to wait before retrying (HTTP Retry-After, 429). */
  retryAfterMs?: number;
}

/** The error of a failed or cancelled run. */
export interface RunError extends ErrorInfo {
  /** Set when the run failed and completed steps had compensations: true if all of them succeeded. */
  compensated?: boolean;
  compensationsFailed?: { nodeId: string; visit: number; error: ErrorInfo }[];
}
