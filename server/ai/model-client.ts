// The thin client the engine calls for `ai` nodes (DESIGN §3, "AI nodes"): one chat completion
// against an OpenAI-compatible endpoint, asking for JSON matching the node's outputSchema. It returns
// the model's raw text unvalidated — parsing, schema checks and retries are the engine's job.
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
} from 'ai';

export interface ModelConfig {
  baseURL?: string;
  apiKey?: string;
  models: Record<string, string>;
}

export interface ModelRequest {
  /** A configured model name, e.g. 'default'. */
  model: string;
  system?: string;
  prompt: string;
  outputSchema: Record<string, unknown>;
  signal: AbortSignal;
}

export interface ModelUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

export type ModelResult =
  | { ok: true; text: string; modelId: string; usage?: ModelUsage }
  | {
      ok: false;
      error: { code: 'NO_MODEL' | 'UNKNOWN_MODEL' | 'PROVIDER_ERROR' | 'ABORTED'; message: string; status?: number };
      text?: string;
      modelId?: string;
    };

export interface ModelClient {
  complete(request: ModelRequest): Promise<ModelResult>;
}

type Failure = Extract<ModelResult, { ok: false }>;

/** Provider messages can embed whole response bodies; the run history only needs the gist. */
const MAX_MESSAGE_LENGTH = 300;

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
      try {
        const result = await generateText({
          model: provider.chatModel(modelId),
          ...(request.system ? { system: request.system } : {}),
          prompt: request.prompt,
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
        return answer(result.text, result.response.modelId || modelId, result.usage);
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) {
          return answer(error.text ?? '', error.response?.modelId || modelId, error.usage);
        }
        const failure = toFailure(error, request.signal);
        if (failure === undefined) throw error;
        return { ...failure, modelId };
      }
    },
  };
}

function createProvider(baseURL: string, apiKey: string | undefined): OpenAICompatibleProvider {
  if (!isHttpUrl(baseURL)) throw new Error(`model base URL is not an http(s) URL: ${JSON.stringify(baseURL)}`);
  return createOpenAICompatible({
    name: 'cairn',
    baseURL,
    ...(apiKey ? { apiKey } : {}),
    supportsStructuredOutputs: true,
  });
}

function answer(text: string, modelId: string, usage: LanguageModelUsage | undefined): ModelResult {
  const tokens: ModelUsage = {};
  if (usage?.inputTokens !== undefined) tokens.inputTokens = usage.inputTokens;
  if (usage?.outputTokens !== undefined) tokens.outputTokens = usage.outputTokens;
  if (usage?.totalTokens !== undefined) tokens.totalTokens = usage.totalTokens;
  return Object.keys(tokens).length > 0 ? { ok: true, text, modelId, usage: tokens } : { ok: true, text, modelId };
}

/** Maps failures of the call itself; undefined means a bug on our side, which the caller rethrows. */
function toFailure(error: unknown, signal: AbortSignal): Failure | undefined {
  if (signal.aborted || isAbortError(error)) {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'the request was aborted';
    return { ok: false, error: { code: 'ABORTED', message: shorten(reason) } };
  }
  // maxRetries: 0 means the SDK throws the original error, but unwrap in case that ever changes.
  if (RetryError.isInstance(error)) return toFailure(error.lastError, signal);
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const message = shorten(status === undefined ? error.message : `HTTP ${status}: ${error.message}`);
    return { ok: false, error: status === undefined ? { code: 'PROVIDER_ERROR', message } : { code: 'PROVIDER_ERROR', message, status } };
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

function shorten(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

/**
 * Reads CAIRN_AI_BASE_URL, CAIRN_AI_API_KEY and CAIRN_AI_MODELS (JSON like {"default":"gpt-4o-mini"}).
 * Empty variables count as unset; a malformed one throws an Error naming it.
 */
export function modelConfigFromEnv(env: Record<string, string | undefined>): ModelConfig {
  const baseURL = nonEmpty(env.CAIRN_AI_BASE_URL);
  const apiKey = nonEmpty(env.CAIRN_AI_API_KEY);
  const modelsText = nonEmpty(env.CAIRN_AI_MODELS);
  if (baseURL !== undefined && !isHttpUrl(baseURL)) {
    throw new Error(`CAIRN_AI_BASE_URL is not an http(s) URL: ${JSON.stringify(baseURL)}`);
  }
  return {
    ...(baseURL !== undefined && { baseURL }),
    ...(apiKey !== undefined && { apiKey }),
    models: modelsText === undefined ? {} : parseModels(modelsText),
  };
}

function parseModels(text: string): Record<string, string> {
  const expected = 'CAIRN_AI_MODELS must be a JSON object of model names to model ids, like {"default":"gpt-4o-mini"}';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${expected}; it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${expected}; got ${shorten(text)}`);
  }
  const models: Record<string, string> = {};
  for (const [name, id] of Object.entries(value)) {
    if (typeof id !== 'string' || id.trim() === '') {
      throw new Error(`${expected}; "${name}" maps to ${JSON.stringify(id)}, not a model id`);
    }
    models[name] = id;
  }
  return models;
}

function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
