// AI nodes against a real OpenAI-compatible HTTP server (server/testing/fake-openai.ts) through the real
// model client: valid answers take `ok`, every kind of failure takes `fallback` with { error, code,
// raw }, retries ask again, and history keeps what was sent and what came back.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeAnswer, type FakeOpenAI } from '../testing/fake-openai.js';
import { createModelClient } from '../ai/model-client.js';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await fake?.close();
  fake = undefined;
});

const outputSchema = { type: 'object', required: ['label'], properties: { label: { type: 'string', enum: ['bug', 'question'] } } };
const input = { text: 'the app crashes when I save', project: 'Cairn' };
const PROMPT = 'Classify: the app crashes when I save';
const SYSTEM = 'You triage issues for Cairn.';

/** start → classify (ai) → `ok` to done, `fallback` to rescue; both ends output nodes.classify. */
function classifier(config: Record<string, unknown> = {}) {
  return buildGraph(
    [
      ['start', 'start'],
      ['classify', 'ai', { system: 'You triage issues for {{ input.project }}.', prompt: 'Classify: {{ input.text }}', outputSchema, ...config }],
      ['done', 'end', { output: '{{ nodes.classify }}' }],
      ['rescue', 'end', { output: '{{ nodes.classify }}' }],
    ],
    ['start.next -> classify', 'classify.ok -> done', 'classify.fallback -> rescue'],
  );
}

/** A harness whose AI nodes talk to a fake provider answering with `script`. */
async function withProvider(script: FakeAnswer[], clock = new FakeClock()) {
  fake = await startFakeOpenAI(script);
  const models = createModelClient({ baseURL: fake.baseURL, apiKey: 'sk-test', models: { default: 'gpt-x' } });
  harness = await createHarness({ clock, models });
  return { fake, harness, clock };
}

async function eventsOf(runId: string, type: string) {
  return (await harness!.engine.history(runId)).filter((event) => event.type === type);
}

/** Which end node the run reached: `done` (ok) or `rescue` (fallback). */
async function endReached(runId: string) {
  const types = await harness!.historyTypes(runId);
  return types.includes('nodeEntered:done') ? 'done' : types.includes('nodeEntered:rescue') ? 'rescue' : 'none';
}

describe('ai node', () => {
  it('a valid JSON answer takes `ok`: the output is the parsed object, seen by the next node as nodes.classify', async () => {
    const { fake, harness } = await withProvider([
      { content: '{"label":"bug"}', model: 'gpt-x-2026-01', usage: { prompt_tokens: 21, completion_tokens: 5, total_tokens: 26 } },
    ]);
    const run = await harness.run(classifier(), input);

    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ label: 'bug' });
    expect(await endReached(run.id)).toBe('done');
    const completed = (await eventsOf(run.id, 'nodeCompleted')).find((event) => event.nodeId === 'classify');
    expect(completed?.data).toEqual({ port: 'ok', output: { label: 'bug' } });

    // What reached the provider: the mapped model id, the rendered system and user messages, the schema.
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body.model).toBe('gpt-x');
    expect(fake.requests[0].body.messages).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: PROMPT },
    ]);
    expect(fake.requests[0].body.response_format?.json_schema?.schema).toEqual(outputSchema);

    // History: the prompt sent, then the raw answer with the provider's model id and token usage.
    const started = await eventsOf(run.id, 'aiAttemptStarted');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ nodeId: 'classify', visit: 1, attempt: 1, data: { model: 'default', system: SYSTEM, prompt: PROMPT, promptHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const answered = await eventsOf(run.id, 'aiAnswered');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({
      nodeId: 'classify',
      attempt: 1,
      data: { raw: '{"label":"bug"}', modelId: 'gpt-x-2026-01', usage: { inputTokens: 21, outputTokens: 5, totalTokens: 26 } },
    });
    expect(await eventsOf(run.id, 'aiAttemptFailed')).toEqual([]);
  });

  const usage = { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 };
  const failures: {
    name: string;
    answer: FakeAnswer;
    code: string;
    error: RegExp;
    raw: string | null;
    usage?: object;
    violations?: boolean;
  }[] = [
    {
      name: 'malformed JSON',
      answer: { content: 'Sure! {"label": "bug"', usage },
      code: 'MALFORMED_JSON',
      error: /not JSON/,
      raw: 'Sure! {"label": "bug"',
      usage: { inputTokens: 30, outputTokens: 9, totalTokens: 39 },
    },
    {
      name: 'JSON that violates the schema',
      answer: { content: '{"label":"feature"}', usage },
      code: 'SCHEMA_VIOLATION',
      error: /does not match the output schema/,
      raw: '{"label":"feature"}',
      usage: { inputTokens: 30, outputTokens: 9, totalTokens: 39 },
      violations: true,
    },
    {
      name: 'JSON missing a required property',
      answer: { content: '{"category":"bug"}' },
      code: 'SCHEMA_VIOLATION',
      error: /does not match the output schema/,
      raw: '{"category":"bug"}',
      violations: true,
    },
    {
      name: 'an HTTP 500',
      answer: { status: 500, message: 'The server had an error' },
      code: 'PROVIDER_ERROR',
      error: /HTTP 500.*The server had an error/,
      raw: null,
    },
  ];

  it.each(failures)('$name on the last attempt takes `fallback` with { error, code: $code, raw }', async (failure) => {
    const { fake, harness } = await withProvider([failure.answer]);
    const run = await harness.run(classifier({ maxAttempts: 1 }), input);

    expect(run.status).toBe('completed');
    expect(await endReached(run.id)).toBe('rescue');
    expect(run.output).toEqual({ error: expect.stringMatching(failure.error), code: failure.code, raw: failure.raw });
    const completed = (await eventsOf(run.id, 'nodeCompleted')).find((event) => event.nodeId === 'classify');
    expect(completed?.data).toMatchObject({ port: 'fallback', output: { code: failure.code } });
    expect(fake.requests).toHaveLength(1);

    const failed = await eventsOf(run.id, 'aiAttemptFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ nodeId: 'classify', attempt: 1, data: { code: failure.code, willRetry: false } });
    const data = failed[0].data as { raw?: string | null; usage?: unknown; violations?: string[]; message: string };
    expect(data.message).toMatch(failure.error);
    if (failure.raw !== null) expect(data.raw).toBe(failure.raw);
    if (failure.usage) expect(data.usage).toEqual(failure.usage);
    if (failure.violations) {
      expect(data.violations?.length).toBeGreaterThan(0);
      expect(data.message).toContain(data.violations![0]);
    }
    expect(await eventsOf(run.id, 'aiAnswered')).toEqual([]);
  });

  it('a provider that hangs past the timeout takes `fallback` with TIMEOUT when the clock reaches it', async () => {
    const clock = new FakeClock(Date.UTC(2026, 3, 1));
    const { fake, harness } = await withProvider([{ hang: true }], clock);
    const { versionId } = await harness.publish(classifier({ timeout: '10s', maxAttempts: 1 }));
    const t0 = clock.now();
    const { id } = await harness.engine.startRun({ versionId, input });
    await until(() => fake.requests.length === 1, { what: 'the request to reach the fake provider' });
    expect((await harness.engine.getRun(id)).status).toBe('running');

    clock.advance('10s');
    await harness.worker.drain();

    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(await endReached(id)).toBe('rescue');
    expect(run.output).toEqual({ error: expect.stringMatching(/timed out after 10s/), code: 'TIMEOUT', raw: null });
    const completed = (await eventsOf(id, 'nodeCompleted')).find((event) => event.nodeId === 'classify');
    expect(completed?.at).toBe(t0 + 10_000);
    const failed = await eventsOf(id, 'aiAttemptFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ code: 'TIMEOUT', willRetry: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('a time-out on the first attempt and a valid second answer take `ok`', async () => {
    const clock = new FakeClock();
    const { fake, harness } = await withProvider([{ hang: true }, { content: '{"label":"question"}' }], clock);
    const { versionId } = await harness.publish(classifier({ timeout: '10s' }));
    const { id } = await harness.engine.startRun({ versionId, input });
    await until(() => fake.requests.length === 1, { what: 'the first request' });
    clock.advance('10s');
    await harness.worker.drain();

    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ label: 'question' });
    expect(fake.requests).toHaveLength(2);
    expect(await harness.historyTypes(id)).toEqual(
      expect.arrayContaining(['aiAttemptStarted:classify', 'aiAttemptFailed:classify', 'aiAnswered:classify', 'nodeEntered:done']),
    );
    expect((await eventsOf(id, 'aiAttemptFailed'))[0].data).toMatchObject({ code: 'TIMEOUT', willRetry: true });
  });

  it('an invalid first answer is sent back with its errors (a repair turn); the repaired answer takes `ok`, the repair in history', async () => {
    const { fake, harness } = await withProvider([{ content: '{"label":"feature"}' }, { content: '{"label":"question"}' }]);
    const run = await harness.run(classifier(), input);

    expect(run.status).toBe('completed');
    expect(await endReached(run.id)).toBe('done');
    expect(run.output).toEqual({ label: 'question' });
    expect(fake.requests).toHaveLength(2);
    // At the provider: the second request is the first one plus the previous answer and what was wrong with it.
    expect(fake.requests[0].body.messages).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: PROMPT },
    ]);
    const second = fake.requests[1].body.messages;
    expect(second.slice(0, 2)).toEqual(fake.requests[0].body.messages);
    expect(second[2]).toEqual({ role: 'assistant', content: '{"label":"feature"}' });
    expect(second[3].role).toBe('user');
    expect(second[3].content).toContain('label must be equal to one of the allowed values');
    expect(fake.requests[1].body.model).toBe('gpt-x');

    const ai = (await harness.engine.history(run.id)).filter((event) => event.type.startsWith('ai'));
    expect(ai.map((event) => [event.type, event.attempt])).toEqual([
      ['aiAttemptStarted', 1],
      ['aiAttemptFailed', 1],
      ['aiAttemptStarted', 2],
      ['aiAnswered', 2],
    ]);
    expect(ai[1].data).toMatchObject({ code: 'SCHEMA_VIOLATION', model: 'default', raw: '{"label":"feature"}', willRetry: true, next: 'repair' });
    expect(ai[2].data).toMatchObject({ model: 'default', system: SYSTEM, prompt: PROMPT, repair: { errors: ['label must be equal to one of the allowed values'] } });
    // The prompt hash tells attempts apart: the repair turn sent something else.
    const hashes = [ai[0].data, ai[2].data].map((data) => (data as { promptHash: string }).promptHash);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).not.toBe(hashes[0]);
    expect(ai[3].data).toMatchObject({ raw: '{"label":"question"}', model: 'default' });
  });

  it('invalid answers on every attempt take `fallback` with the last one', async () => {
    const { fake, harness } = await withProvider([{ content: 'no idea' }, { content: '{"label":"feature"}' }, { content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier(), input);
    expect(fake.requests).toHaveLength(2);
    expect(await endReached(run.id)).toBe('rescue');
    expect(run.output).toMatchObject({ code: 'SCHEMA_VIOLATION', raw: '{"label":"feature"}' });
    expect((await eventsOf(run.id, 'aiAttemptFailed')).map((event) => (event.data as { code: string }).code)).toEqual(['MALFORMED_JSON', 'SCHEMA_VIOLATION']);
  });

  it('an unconnected `fallback` fails the run with the AI error', async () => {
    const { harness } = await withProvider([{ content: 'not json' }]);
    const graph = buildGraph(
      [['start', 'start'], ['classify', 'ai', { prompt: 'Classify: {{ input.text }}', outputSchema, maxAttempts: 1 }], ['done', 'end']],
      ['start.next -> classify', 'classify.ok -> done'],
    );
    const run = await harness.run(graph, input);
    expect(run.status).toBe('failed');
    // The run's error is an ErrorInfo naming the node, not the fallback's message string spread into an object.
    expect(run.error).toMatchObject({ code: 'MALFORMED_JSON', nodeId: 'classify', message: expect.stringMatching(/not JSON/) });
    expect(run.error).not.toHaveProperty('0');
  });

  it('with no model configured takes `fallback` with "no model configured" and sends no request', async () => {
    fake = await startFakeOpenAI([{ content: '{"label":"bug"}' }]);
    harness = await createHarness();
    const run = await harness.run(classifier(), input);

    expect(run.status).toBe('completed');
    expect(await endReached(run.id)).toBe('rescue');
    expect(run.output).toEqual({ error: 'no model configured', code: 'NO_MODEL', raw: null });
    expect(fake.requests).toHaveLength(0);
    // No retry for a missing model, whatever maxAttempts says.
    const failed = await eventsOf(run.id, 'aiAttemptFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ code: 'NO_MODEL', willRetry: false });
  });

  it('a model name that is not configured takes `fallback` with UNKNOWN_MODEL and sends no request', async () => {
    const { fake, harness } = await withProvider([{ content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier({ model: 'smart' }), input);
    expect(run.output).toMatchObject({ code: 'UNKNOWN_MODEL', error: expect.stringContaining('"smart"') });
    expect(fake.requests).toHaveLength(0);
    expect(await eventsOf(run.id, 'aiAttemptFailed')).toHaveLength(1);
  });
});
