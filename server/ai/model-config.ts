// The model configuration (CAIRN_AI_BASE_URL, CAIRN_AI_API_KEY, CAIRN_AI_MODELS): names that `ai`
// nodes use, the provider's model id behind each, and optionally its price for the cost estimate.

/** US dollars per million tokens, as providers publish them. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface ModelConfig {
  baseURL?: string;
  apiKey?: string;
  /** Configured name (what a node's `model` says) → the provider's model id. */
  models: Record<string, string>;
  /** Configured name → price; a name without one gets no cost estimate. */
  prices?: Record<string, ModelPrice>;
}

/** The estimated cost of one call in US dollars, or undefined when the model has no price or no token counts came back. */
export function estimateCost(price: ModelPrice | undefined, usage: { inputTokens?: number; outputTokens?: number } | undefined): number | undefined {
  if (!price || !usage || (usage.inputTokens === undefined && usage.outputTokens === undefined)) return undefined;
  const dollars = ((usage.inputTokens ?? 0) * price.input + (usage.outputTokens ?? 0) * price.output) / 1_000_000;
  // Micro-dollar precision: enough for a sum over thousands of calls, without float noise in history.
  return Math.round(dollars * 1_000_000) / 1_000_000;
}

/**
 * Reads CAIRN_AI_BASE_URL, CAIRN_AI_API_KEY and CAIRN_AI_MODELS — JSON mapping names to model ids,
 * `{"default":"gpt-4o-mini"}`, or to `{ "id", "price": { "input", "output" } }` for a cost estimate.
 * Empty variables count as unset; a malformed one throws an Error naming it.
 */
export function modelConfigFromEnv(env: Record<string, string | undefined>): ModelConfig {
  const baseURL = nonEmpty(env.CAIRN_AI_BASE_URL);
  const apiKey = nonEmpty(env.CAIRN_AI_API_KEY);
  const modelsText = nonEmpty(env.CAIRN_AI_MODELS);
  if (baseURL !== undefined && !isHttpUrl(baseURL)) {
    throw new Error(`CAIRN_AI_BASE_URL is not an http(s) URL: ${JSON.stringify(baseURL)}`);
  }
  const parsed = modelsText === undefined ? { models: {} } : parseModels(modelsText);
  return {
    ...(baseURL !== undefined && { baseURL }),
    ...(apiKey !== undefined && { apiKey }),
    ...parsed,
  };
}

const EXPECTED =
  'CAIRN_AI_MODELS must be a JSON object of model names to model ids, like {"default":"gpt-4o-mini"}, or to {"id":"gpt-4o-mini","price":{"input":0.15,"output":0.6}} (US$ per million tokens)';

function parseModels(text: string): Pick<ModelConfig, 'models' | 'prices'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${EXPECTED}; it is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new Error(`${EXPECTED}; got ${shorten(text)}`);
  const models: Record<string, string> = {};
  const prices: Record<string, ModelPrice> = {};
  for (const [name, entry] of Object.entries(value)) {
    const id = isObject(entry) ? entry.id : entry;
    if (typeof id !== 'string' || id.trim() === '') {
      throw new Error(`${EXPECTED}; "${name}" maps to ${shorten(JSON.stringify(entry))}, not a model id`);
    }
    models[name] = id;
    if (isObject(entry) && entry.price !== undefined) prices[name] = parsePrice(name, entry.price);
  }
  return Object.keys(prices).length > 0 ? { models, prices } : { models };
}

function parsePrice(name: string, price: unknown): ModelPrice {
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 1_000_000;
  if (!isObject(price) || !ok(price.input) || !ok(price.output)) {
    throw new Error(`CAIRN_AI_MODELS: the price of "${name}" must be {"input":…,"output":…}, each a number of US$ per million tokens (0 or more); got ${shorten(JSON.stringify(price))}`);
  }
  return { input: price.input as number, output: price.output as number };
}

export function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function shorten(message: string, max = 300): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
