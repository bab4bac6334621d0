// The model client against a real HTTP server (fake-openai.ts): what it sends, the raw text it
// returns whatever the model answered, and how provider failures and aborts come back as results.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeAnswer, type FakeOpenAI } from '../testing/fake-openai.js';
import { createModelClient, modelConfigFromEnv, type ModelRequest } from './model-client.js';

const outputSchema = {
  type: 'object',
  required: ['category'],
  properties: { category: { type: 'string', enum: ['travel', 'meals'] }, note: { type: 'string' } },
};

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(script: FakeAnswer[], models: Record<string, string> = { default: 'gpt-4o-mini' }) {
  fake = await startFakeOpenAI(script);
  return { fake, client: createModelClient({ baseURL: fake.baseURL, apiKey: 'sk-test-123', models }) };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'default',
    prompt: 'Classify: taxi to the airport, 42 EUR',
    outputSchema,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('createModelClient', () => {
  it('returns the text, the provider model id and token usage of a valid answer', async () => {
    const { client } = await clientFor([
      {
        content: '{"category":"travel"}',
        model: 'gpt-4o-mini-2024-07-18',
        usage: { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 },
      },
    ]);
    expect(await client.complete(request())).toEqual({
      ok: true,
      text: '{"category":"travel"}',
      modelId: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 31, outputTokens: 7, totalTokens: 38 },
    });
  });

  it('leaves usage out when the provider reports none', async () => {
    const { client } = await clientFor([{ content: '{"category":"meals"}' }]);
    expect(await client.complete(request())).toEqual({ ok: true, text: '{"category":"meals"}', modelId: 'gpt-4o-mini' });
  });

  it('returns malformed JSON as raw text: validation is the engine’s job', async () => {
    const { client } = await clientFor([
      { content: 'Sure! {"category": "travel"', usage: { prompt_tokens: 31, completion_tokens: 9, total_tokens: 40 } },
    ]);
    expect(await client.complete(request())).toEqual({
      ok: true,
      text: 'Sure! {"category": "travel"',
      modelId: 'gpt-4o-mini',
      usage: { inputTokens: 31, outputTokens: 9, totalTokens: 40 },
    });
  });

  it('returns JSON that violates the schema unchanged', async () => {
    const { client } = await clientFor([{ content: '{"category":"groceries","extra":1}' }]);
    expect(await client.complete(request())).toMatchObject({ ok: true, text: '{"category":"groceries","extra":1}' });
  });

  it('sends the system and user messages, the mapped model id, the JSON schema and the API key', async () => {
    const { client, fake } = await clientFor([{ content: '{"category":"travel"}' }], {
      default: 'gpt-4o-mini',
      big: 'gpt-4o',
    });
    await client.complete(request({ model: 'big', system: 'You sort expenses.' }));

    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-123');
    expect(sent.body.model).toBe('gpt-4o');
    expect(sent.body.stream).not.toBe(true);
    expect(sent.body.messages).toEqual([
      { role: 'system', content: 'You sort expenses.' },
      { role: 'user', content: 'Classify: taxi to the airport, 42 EUR' },
    ]);
    expect(sent.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: outputSchema, strict: false },
    });
  });

  it('sends no system message when the node has none', async () => {
    const { client, fake } = await clientFor([{ content: '{}' }]);
    await client.complete(request({ system: '' }));
    expect(fake.requests[0].body.messages).toEqual([{ role: 'user', content: 'Classify: taxi to the airport, 42 EUR' }]);
  });

  it('reports an HTTP 500 as PROVIDER_ERROR with its status, without retrying', async () => {
    const { client, fake } = await clientFor([{ status: 500, message: 'The server had an error' }, { content: '{}' }]);
    const result = await client.complete(request());
    expect(result).toMatchObject({ ok: false, modelId: 'gpt-4o-mini', error: { code: 'PROVIDER_ERROR', status: 500 } });
    expect(!result.ok && result.error.message).toContain('The server had an error');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a rate limit as RATE_LIMITED with status 429 and the Retry-After header as sent', async () => {
    const { client } = await clientFor([{ status: 429, message: 'Rate limit reached', retryAfter: '30' }, { status: 429 }]);
    expect(await client.complete(request())).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', status: 429, retryAfter: '30' } });
    const without = await client.complete(request());
    expect(without).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', status: 429 } });
    expect(!without.ok && without.error).not.toHaveProperty('retryAfter');
  });

  it('a repair turn sends the previous answer and its errors after the prompt', async () => {
    const { client, fake } = await clientFor([{ content: '{"category":"travel"}' }]);
    await client.complete(request({ system: 'Sort expenses.', repair: { answer: '{"category":"taxi"}', errors: ['category must be equal to one of the allowed values'] } }));
    const messages = fake.requests[0].body.messages;
    expect(messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1].content).toBe('Classify: taxi to the airport, 42 EUR');
    expect(messages[2].content).toBe('{"category":"taxi"}');
    expect(messages[3].content).toContain('- category must be equal to one of the allowed values');
  });

  it('estimates the cost from the configured price per million tokens; no price, no estimate', async () => {
    fake = await startFakeOpenAI([
      { content: '{"category":"meals"}', usage: { prompt_tokens: 1_000, completion_tokens: 200, total_tokens: 1_200 } },
      { content: '{"category":"meals"}', usage: { prompt_tokens: 1_000, completion_tokens: 200, total_tokens: 1_200 } },
    ]);
    const client = createModelClient({
      baseURL: fake.baseURL,
      models: { default: 'gpt-4o-mini', fast: 'llama3.2' },
      prices: { default: { input: 0.15, output: 0.6 } },
    });
    // 1,000 × 0.15 / 1e6 + 200 × 0.6 / 1e6 = 0.00027 US$
    expect(await client.complete(request())).toMatchObject({ ok: true, costUsd: 0.00027 });
    expect(await client.complete(request({ model: 'fast' }))).not.toHaveProperty('costUsd');
  });

  it('stops reading a 10 MB answer at 1 MB: RESPONSE_TOO_LARGE, nothing of it returned', async () => {
    const { client } = await clientFor([{ content: `{"category":"${'x'.repeat(10 * 1024 * 1024)}"}` }]);
    const result = await client.complete(request());
    expect(result).toMatchObject({ ok: false, error: { code: 'RESPONSE_TOO_LARGE', message: expect.stringContaining('1024 KB') } });
    expect(result).not.toHaveProperty('text');
  });

  it('reports a refused connection as PROVIDER_ERROR without a status', async () => {
    fake = await startFakeOpenAI([]);
    const baseURL = fake.baseURL;
    await fake.close();
    fake = undefined;
    const client = createModelClient({ baseURL, models: { default: 'gpt-4o-mini' } });
    const result = await client.complete(request());
    expect(result).toMatchObject({ ok: false, error: { code: 'PROVIDER_ERROR' } });
    expect(!result.ok && result.error.status).toBeUndefined();
    expect(!result.ok && result.error.message).toMatch(/ECONNREFUSED/);
  });

  it('returns ABORTED when the signal fires while the provider hangs', async () => {
    const { client, fake } = await clientFor([{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await client.complete(request({ signal: controller.signal }));
    expect(result).toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('returns ABORTED for a signal that timed out before the call', async () => {
    const { client } = await clientFor([]);
    const signal = AbortSignal.abort(new DOMException('attempt timed out', 'TimeoutError'));
    expect(await client.complete(request({ signal }))).toMatchObject({
      ok: false,
      error: { code: 'ABORTED', message: 'attempt timed out' },
    });
  });

  it('returns NO_MODEL without a request when nothing is configured', async () => {
    fake = await startFakeOpenAI([{ content: '{}' }]);
    const noModels = createModelClient({ baseURL: fake.baseURL, models: {} });
    const noBaseURL = createModelClient({ models: { default: 'gpt-4o-mini' } });
    const expected = { ok: false, error: { code: 'NO_MODEL', message: 'no model configured' } };
    expect(await noModels.complete(request())).toEqual(expected);
    expect(await noBaseURL.complete(request())).toEqual(expected);
    expect(fake.requests).toHaveLength(0);
  });

  it('returns UNKNOWN_MODEL naming the model and the configured names', async () => {
    const { client, fake } = await clientFor([], { default: 'gpt-4o-mini', fast: 'llama3.2' });
    expect(await client.complete(request({ model: 'smart' }))).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_MODEL', message: 'unknown model "smart"; configured: default, fast' },
    });
    expect(await client.complete(request({ model: 'constructor' }))).toMatchObject({ error: { code: 'UNKNOWN_MODEL' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => createModelClient({ baseURL: 'localhost:11434', models: {} })).toThrow(/http/);
  });
});

describe('modelConfigFromEnv', () => {
  it('reads the base URL, API key and model map', () => {
    expect(
      modelConfigFromEnv({
        CAIRN_AI_BASE_URL: 'http://localhost:11434/v1',
        CAIRN_AI_API_KEY: 'sk-abc',
        CAIRN_AI_MODELS: '{"default":"llama3.2","big":"qwen2.5:32b"}',
      }),
    ).toEqual({ baseURL: 'http://localhost:11434/v1', apiKey: 'sk-abc', models: { default: 'llama3.2', big: 'qwen2.5:32b' } });
  });

  it('treats unset and empty variables as not configured', () => {
    expect(modelConfigFromEnv({})).toEqual({ models: {} });
    expect(modelConfigFromEnv({ CAIRN_AI_BASE_URL: '', CAIRN_AI_API_KEY: ' ', CAIRN_AI_MODELS: '' })).toEqual({ models: {} });
  });

  it('throws an error naming CAIRN_AI_MODELS on bad JSON or a bad shape', () => {
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '{default: gpt-4o}' })).toThrow(/CAIRN_AI_MODELS.*not valid JSON/);
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '["gpt-4o"]' })).toThrow(/CAIRN_AI_MODELS/);
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '"gpt-4o"' })).toThrow(/CAIRN_AI_MODELS/);
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '{"default":42}' })).toThrow(/CAIRN_AI_MODELS.*"default"/);
  });

  it('reads a price per model for the cost estimate, and refuses a bad one naming the model', () => {
    expect(modelConfigFromEnv({ CAIRN_AI_MODELS: '{"default":{"id":"gpt-4o-mini","price":{"input":0.15,"output":0.6}},"fast":"llama3.2"}' })).toEqual({
      models: { default: 'gpt-4o-mini', fast: 'llama3.2' },
      prices: { default: { input: 0.15, output: 0.6 } },
    });
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '{"default":{"id":"gpt-4o-mini","price":{"input":-1,"output":0.6}}}' })).toThrow(/CAIRN_AI_MODELS.*price of "default"/);
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '{"default":{"id":"gpt-4o-mini","price":"cheap"}}' })).toThrow(/price of "default"/);
    expect(() => modelConfigFromEnv({ CAIRN_AI_MODELS: '{"default":{"price":{"input":1,"output":1}}}' })).toThrow(/"default" maps to .* not a model id/);
  });

  it('throws an error naming CAIRN_AI_BASE_URL when it is not an http(s) URL', () => {
    expect(() => modelConfigFromEnv({ CAIRN_AI_BASE_URL: 'localhost:11434' })).toThrow(/CAIRN_AI_BASE_URL/);
  });
});
