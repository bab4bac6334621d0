// The thin client the engine calls for `ai` nodes (DESIGN §3, "AI nodes"): one chat completion
// against an OpenAI-compatible endpoint, asking for JSON matching the node's outputSchema — with,
// on a repair turn, the previous answer and what was wrong with it. It returns the model's raw text
// unvalidated (normalising, parsing, schema checks and the model chain are the engine's job), the
// token counts and a cost estimate, or a failure the engine can classify (status, Retry-After).
import { createOpenAICompatible, type OpenAICompatibleProvider } from '@ai-sdk/openai-compatible';
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  NoObjectGeneratedError,
  Output,
  RetryError,
  TypeValidationError,
  generateText,
  jsonSchema,
  type JSONSchema7,
  type LanguageModelUsage,
  type ModelMessage,
} from 'ai';
import { cappedFetch, ResponseTooLargeError } from './capped-fetch.js';
import { estimateCost, isHttpUrl, shorten, type ModelConfig, type ModelPrice } from './model-config.js';

export { modelConfigFromEnv, type ModelConfig, type ModelPrice } from './model-config.js';

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

type Failure = Extract<ModelResult, { ok: false }>;

/** The largest provider response read (1 MB, as for actions' HTTP): far above any useful structured answer. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export function createModelClient(config: ModelConfig): ModelClient {
  const provider = config.baseURL === undefined ? undefined : createProvider(config.baseURL, config.apiKey);
  const names = Object.keys(config.models);

  return {
    async complete(request) {
      if (provider === undefined || names.length === 0) {
        return { ok: false, error: { code: 'NO_MODEL', message: 'no model configured' } };
      }
      // Object.hasOwn: a node naming "constructor" must not pick up Object.prototype.
      const modelId = Object.hasOwn(config.models, request.model) ? config.models[request.model] : undefined;
      if (modelId === undefined) {
        const message = `unknown model "${request.model}"; configured: ${names.join(', ')}`;
        return { ok: false, error: { code: 'UNKNOWN_MODEL', message } };
      }
      const price = config.prices && Object.hasOwn(config.prices, request.model) ? config.prices[request.model] : undefined;
      try {
        const result = await generateText({
          model: provider.chatModel(modelId),
          ...(request.system ? { system: request.system } : {}),
          messages: messagesOf(request),
          // jsonSchema() without `validate` only sends the schema; the SDK still JSON-parses the
          // text, which is why malformed answers arrive as NoObjectGeneratedError below.
          output: Output.object({ schema: jsonSchema(request.outputSchema as JSONSchema7) }),
          // Strict mode makes OpenAI reject any schema outside its subset (every property required,
          // additionalProperties: false) with HTTP 400; users write ordinary JSON Schema, and the
          // engine validates the answer anyway.
          providerOptions: { openaiCompatible: { strictJsonSchema: false } },
          maxRetries: 0,
          abortSignal: request.signal,
        });
        return answer(result.text, result.response.modelId || modelId, result.usage, price);
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) {
          return answer(error.text ?? '', error.response?.modelId || modelId, error.usage, price);
        }
        const failure = toFailure(error, request.signal);
        if (failure === undefined) throw error;
        return { ...failure, modelId };
      }
    },
  };
}

/** The prompt, and on a repair turn the previous answer and its problems as the conversation so far. */
function messagesOf(request: ModelRequest): ModelMessage[] {
  const messages: ModelMessage[] = [{ role: 'user', content: request.prompt }];
  if (request.repair) {
    const problems = request.repair.errors.map((error) => `- ${error}`).join('\n');
    messages.push(
      { role: 'assistant', content: request.repair.answer },
      {
        role: 'user',
        content: `That answer could not be used:\n${problems}\nAnswer again with only the corrected JSON (no prose, no code fences), matching the JSON Schema you were given.`,
      },
    );
  }
  return messages;
}

function createProvider(baseURL: string, apiKey: string | undefined): OpenAICompatibleProvider {
  if (!isHttpUrl(baseURL)) throw new Error(`model base URL is not an http(s) URL: ${JSON.stringify(baseURL)}`);
  return createOpenAICompatible({
    name: 'cairn',
    baseURL,
    ...(apiKey ? { apiKey } : {}),
    supportsStructuredOutputs: true,
    fetch: cappedFetch(MAX_RESPONSE_BYTES),
  });
}

function answer(text: string, modelId: string, usage: LanguageModelUsage | undefined, price: ModelPrice | undefined): ModelResult {
  const tokens: ModelUsage = {};
  if (usage?.inputTokens !== undefined) tokens.inputTokens = usage.inputTokens;
  if (usage?.outputTokens !== undefined) tokens.outputTokens = usage.outputTokens;
  if (usage?.totalTokens !== undefined) tokens.totalTokens = usage.totalTokens;
  const costUsd = estimateCost(price, tokens);
  return {
    ok: true,
    text,
    modelId,
    ...(Object.keys(tokens).length > 0 && { usage: tokens }),
    ...(costUsd !== undefined && { costUsd }),
  };
}

/** Maps failures of the call itself; undefined means a bug on our side, which the caller rethrows. */
function toFailure(error: unknown, signal: AbortSignal): Failure | undefined {
  if (signal.aborted || isAbortError(error)) {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'the request was aborted';
    return { ok: false, error: { code: 'ABORTED', message: shorten(reason) } };
  }
  if (error instanceof ResponseTooLargeError) return { ok: false, error: { code: 'RESPONSE_TOO_LARGE', message: error.message } };
  // maxRetries: 0 means the SDK throws the original error, but unwrap in case that ever changes.
  if (RetryError.isInstance(error)) return toFailure(error.lastError, signal);
  if (APICallError.isInstance(error)) {
    if (error.cause instanceof ResponseTooLargeError) return toFailure(error.cause, signal);
    const status = error.statusCode;
    const message = shorten(status === undefined ? error.message : `HTTP ${status}: ${error.message}`);
    if (status === undefined) return { ok: false, error: { code: 'PROVIDER_ERROR', message } };
    const retryAfter = error.responseHeaders?.['retry-after'];
    return {
      ok: false,
      error: { code: status === 429 ? 'RATE_LIMITED' : 'PROVIDER_ERROR', message, status, ...(retryAfter ? { retryAfter: retryAfter.slice(0, 100) } : {}) },
    };
  }
  // A 200 response the SDK could not make sense of (no choices, not the chat-completion shape).
  if (
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error)
  ) {
    return { ok: false, error: { code: 'PROVIDER_ERROR', message: shorten(`invalid provider response: ${error.message}`) } };
  }
  return undefined;
}

function isAbortError(error: unknown): boolean {
  // TimeoutError is what AbortSignal.timeout() produces.
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
