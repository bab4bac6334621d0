// One chat completion through the AI SDK against an OpenAI-compatible endpoint (model-client.ts
// loads this file on the first call to a configured model: the SDK is tens of megabytes, and a
// process without a model should not carry it). Returns the model's raw text unvalidated, or a
// failure the engine can classify.
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
import { MAX_RESPONSE_BYTES, type ModelRequest, type ModelResult, type ModelUsage } from './model-contract.js';
import { estimateCost, shorten, type ModelPrice } from './model-config.js';

type Failure = Extract<ModelResult, { ok: false }>;

export interface SdkCall {
  request: ModelRequest;
  /** The provider's id of the configured model the request names. */
  modelId: string;
  price?: ModelPrice;
}

/** A caller for the provider at `baseURL` (already checked to be an http(s) URL). */
export function aiSdkCaller(baseURL: string, apiKey: string | undefined): (call: SdkCall) => Promise<ModelResult> {
  const provider = createProvider(baseURL, apiKey);
  return async ({ request, modelId, price }) => {
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
