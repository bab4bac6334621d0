// What one model call takes and gives (DESIGN §3, "AI nodes"), said apart from both the client that
// checks the configuration (model-client.ts) and the AI SDK call behind it (ai-sdk-call.ts), so that
// the SDK can be loaded on the first call without either importing the other.

export interface ModelRequest {
  /** A configured model name, e.g. 'default'. */
  model: string;
  system?: string;
  prompt: string;
  outputSchema: Record<string, unknown>;
  /** A repair turn: the previous answer and why it could not be used. */
  repair?: { answer: string; errors: string[] };
  signal: AbortSignal;
}

export interface ModelUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

export type ModelErrorCode = 'NO_MODEL' | 'UNKNOWN_MODEL' | 'RATE_LIMITED' | 'PROVIDER_ERROR' | 'RESPONSE_TOO_LARGE' | 'ABORTED';

export type ModelResult =
  | { ok: true; text: string; modelId: string; usage?: ModelUsage; costUsd?: number }
  | {
      ok: false;
      /** `retryAfter`: the provider's Retry-After header as sent (the runner reads it on its clock). */
      error: { code: ModelErrorCode; message: string; status?: number; retryAfter?: string };
      text?: string;
      modelId?: string;
    };

export interface ModelClient {
  complete(request: ModelRequest): Promise<ModelResult>;
}

/** The largest provider response read (1 MB, as for actions' HTTP): far above any useful structured answer. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
