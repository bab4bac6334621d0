// The AI node as a contract, against a real OpenAI-compatible HTTP server (server/testing/fake-openai.ts)
// through the real model client, on both databases: answers are normalised before validation; a
// model chain moves on at once from a rate limit, a server error or a time-out; a Retry-After is
// honoured (capped) on a durable timer when no other model is left; schema failures are repaired
// on the same model first; declared inputs are checked on entry; and hostile answers stay bounded.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, wrap, type FakeAnswer, type FakeOpenAI } from '../testing/fake-openai.js';
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
const input = { text: 'the app crashes when I save' };

/** start → classify (ai) → `ok` to done, `fallback` to rescue; both ends output nodes.classify. */
function classifier(config: Record<string, unknown> = {}) {
  return buildGraph(
    [
      ['start', 'start'],
      ['classify', 'ai', { prompt: 'Classify: {{ input.text }}', outputSchema, ...config }],
      ['done', 'end', { output: '{{ nodes.classify }}' }],
      ['rescue', 'end', { output: '{{ nodes.classify }}' }],
    ],
    ['start.next -> classify', 'classify.ok -> done', 'classify.fallback -> rescue'],
  );
}

const MODELS = { default: 'gpt-big', fast: 'gpt-small' };

async function withProvider(script: FakeAnswer[], clock = new FakeClock(Date.UTC(2026, 3, 1))) {
  fake = await startFakeOpenAI(script);
  const models = createModelClient({ baseURL: fake.baseURL, apiKey: 'sk-test', models: MODELS });
  harness = await createHarness({ clock, models });
  return { fake, harness, clock };
}

async function aiEvents(runId: string) {
  return (await harness!.engine.history(runId)).filter((event) => event.type.startsWith('ai'));
}

const modelsAsked = () => fake!.requests.map((request) => request.body.model);

describe('normalisation before validation', () => {
  const valid = '{"label":"bug"}';
  it.each([
    ['a ```json code fence', wrap.fenced(valid), ['fence']],
    ['a bare ``` fence', wrap.fenced(valid, ''), ['fence']],
    ['a single-key envelope', wrap.enveloped(valid), ['envelope']],
    ['an envelope in a fence', wrap.fenced(wrap.enveloped(valid, 'answer')), ['fence', 'envelope']],
    ['trailing prose', wrap.withProse(valid), ['prose']],
    ['prose before and after, braces in strings', 'Here it is: {"label":"bug","note":"a } inside"} — done.', ['prose']],
  ])('%s takes `ok` with the object inside, and history says what was taken off', async (_name, content, applied) => {
    const schema = { ...outputSchema, properties: { ...outputSchema.properties, note: { type: 'string' } } };
    const { harness } = await withProvider([{ content }]);
    const run = await harness.run(classifier({ outputSchema: schema, maxAttempts: 1 }), input);
    expect(run.output).toMatchObject({ label: 'bug' });
    const answered = (await aiEvents(run.id)).find((event) => event.type === 'aiAnswered');
    expect(answered?.data).toMatchObject({ raw: content, normalised: applied });
  });

  it('an envelope is not taken off an answer that matches as it is', async () => {
    const schema = { type: 'object', required: ['result'], properties: { result: { type: 'object' } } };
    const { harness } = await withProvider([{ content: '{"result":{"label":"bug"}}' }]);
    const run = await harness.run(classifier({ outputSchema: schema }), input);
    expect(run.output).toEqual({ result: { label: 'bug' } });
  });
});

describe('a model chain', () => {
  it('a 429 on the first model moves to the second at once (no wait, even with a Retry-After)', async () => {
    const { fake, harness, clock } = await withProvider([{ status: 429, retryAfter: '30' }, { content: '{"label":"bug"}' }]);
    const t0 = clock.now();
    const run = await harness.run(classifier({ models: ['fast', 'default'] }), input);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ label: 'bug' });
    expect(modelsAsked()).toEqual(['gpt-small', 'gpt-big']);
    expect(clock.now()).toBe(t0);
    const ai = await aiEvents(run.id);
    expect(ai.map((event) => [event.type, event.attempt, (event.data as { model?: string }).model])).toEqual([
      ['aiAttemptStarted', 1, 'fast'],
      ['aiAttemptFailed', 1, 'fast'],
      ['aiAttemptStarted', 2, 'default'],
      ['aiAnswered', 2, 'default'],
    ]);
    expect(ai[1].data).toMatchObject({ code: 'RATE_LIMITED', next: 'nextModel', willRetry: true });
    expect(ai[1].data).not.toHaveProperty('retryAt');
    expect(fake.requests).toHaveLength(2);
  });

  it('a 500 on the first model moves to the second at once', async () => {
    const { harness } = await withProvider([{ status: 500 }, { content: '{"label":"question"}' }]);
    const run = await harness.run(classifier({ models: ['fast', 'default'] }), input);
    expect(run.output).toEqual({ label: 'question' });
    expect(modelsAsked()).toEqual(['gpt-small', 'gpt-big']);
    expect((await aiEvents(run.id))[1].data).toMatchObject({ code: 'PROVIDER_ERROR', next: 'nextModel' });
  });

  it('a hang on the first model times out and moves to the second', async () => {
    const { fake, harness, clock } = await withProvider([{ hang: true }, { content: '{"label":"bug"}' }]);
    const { versionId } = await harness.publish(classifier({ models: ['fast', 'default'], timeout: '20s' }));
    const { id } = await harness.engine.startRun({ versionId, input });
    await until(() => fake.requests.length === 1, { what: 'the first model to be asked' });
    clock.advance('20s');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.output).toEqual({ label: 'bug' });
    expect(modelsAsked()).toEqual(['gpt-small', 'gpt-big']);
    expect((await aiEvents(id))[1].data).toMatchObject({ code: 'TIMEOUT', next: 'nextModel' });
  });

  it('schema failures are repaired on the same model first, then the next model gets its turn', async () => {
    const { harness } = await withProvider([
      { content: '{"label":"feature"}' },
      { content: 'still no idea' },
      { content: '{"label":"bug"}' },
    ]);
    const run = await harness.run(classifier({ models: ['fast', 'default'] }), input);
    expect(run.output).toEqual({ label: 'bug' });
    expect(modelsAsked()).toEqual(['gpt-small', 'gpt-small', 'gpt-big']);
    // The repair turn carried the first answer; the next model starts from the prompt alone.
    expect(fake!.requests[1].body.messages).toHaveLength(3);
    expect(fake!.requests[2].body.messages).toHaveLength(1);
    const failed = (await aiEvents(run.id)).filter((event) => event.type === 'aiAttemptFailed');
    expect(failed.map((event) => (event.data as { next: string }).next)).toEqual(['repair', 'nextModel']);
  });

  it('the last failure of the last model takes `fallback` with { error, code, raw }', async () => {
    const { harness } = await withProvider([{ status: 503 }, { content: '{"label":"feature"}' }, { content: '{"label":"nope"}' }]);
    const run = await harness.run(classifier({ models: ['fast', 'default'] }), input);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ error: expect.stringContaining('does not match the output schema'), code: 'SCHEMA_VIOLATION', raw: '{"label":"nope"}' });
    expect(modelsAsked()).toEqual(['gpt-small', 'gpt-big', 'gpt-big']);
    const failed = (await aiEvents(run.id)).filter((event) => event.type === 'aiAttemptFailed');
    expect(failed.map((event) => (event.data as { next: string }).next)).toEqual(['nextModel', 'repair', 'fallback']);
  });

  it('a model the server does not configure is skipped for the next', async () => {
    const { harness } = await withProvider([{ content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier({ models: ['smart', 'default'] }), input);
    expect(run.output).toEqual({ label: 'bug' });
    expect((await aiEvents(run.id))[1].data).toMatchObject({ code: 'UNKNOWN_MODEL', next: 'nextModel' });
  });

  it('the single `model` keeps working: one model, its own attempts', async () => {
    const { harness } = await withProvider([{ content: '{"label":"question"}' }]);
    const run = await harness.run(classifier({ model: 'fast' }), input);
    expect(run.output).toEqual({ label: 'question' });
    expect(modelsAsked()).toEqual(['gpt-small']);
  });
});

describe('Retry-After when no other model is left', () => {
  it('is honoured on a durable timer: nothing is asked before it, the retry comes when it is due', async () => {
    const { fake, harness, clock } = await withProvider([{ status: 429, retryAfter: '30' }, { content: '{"label":"bug"}' }]);
    const { versionId } = await harness.publish(classifier());
    const t0 = clock.now();
    const { id } = await harness.engine.startRun({ versionId, input });
    await harness.worker.drain();

    expect(fake.requests).toHaveLength(1);
    let run = await harness.engine.getRun(id);
    expect(run.status).toBe('waiting');
    const failed = (await aiEvents(id)).find((event) => event.type === 'aiAttemptFailed');
    expect(failed?.data).toMatchObject({ code: 'RATE_LIMITED', next: 'retry', retryAt: new Date(t0 + 30_000).toISOString() });
    expect(await harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(1);

    clock.advance('29s');
    await harness.worker.drain();
    expect(fake.requests).toHaveLength(1);

    clock.advance('1s');
    await harness.worker.drain();
    run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ label: 'bug' });
    expect(fake.requests).toHaveLength(2);
    const retried = (await aiEvents(id)).filter((event) => event.type === 'aiAttemptStarted')[1];
    expect(retried.at).toBe(t0 + 30_000);
  });

  it('is capped at maxRetryWait; an HTTP-date is read on the engine clock', async () => {
    const clock = new FakeClock(Date.UTC(2026, 3, 1));
    const inAnHour = new Date(clock.now() + 3_600_000).toUTCString();
    const { harness } = await withProvider([{ status: 429, retryAfter: inAnHour }, { status: 429, retryAfter: '999999' }, { content: '{"label":"bug"}' }], clock);
    const { versionId } = await harness.publish(classifier({ maxRetryWait: '1m', maxAttempts: 3 }));
    const { id } = await harness.engine.startRun({ versionId, input });
    await harness.worker.drain();
    const retryAts = async () => (await aiEvents(id)).filter((event) => event.type === 'aiAttemptFailed').map((event) => (event.data as { retryAt?: string }).retryAt);
    expect(await retryAts()).toEqual([new Date(clock.now() + 60_000).toISOString()]);
    clock.advance('1m');
    await harness.worker.drain();
    expect(await retryAts()).toHaveLength(2);
    clock.advance('1m');
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).output).toEqual({ label: 'bug' });
  });

  it('a 500 without Retry-After on the only model is retried at once, and its attempts are bounded', async () => {
    const { harness } = await withProvider([{ status: 500 }, { status: 502 }, { content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier(), input);
    expect(run.output).toMatchObject({ code: 'PROVIDER_ERROR', error: expect.stringContaining('HTTP 502') });
    expect(fake!.requests).toHaveLength(2);
  });

  it('cancelling a run that waits on a Retry-After takes its timer', async () => {
    const { harness } = await withProvider([{ status: 429, retryAfter: '60' }]);
    const { versionId } = await harness.publish(classifier());
    const { id } = await harness.engine.startRun({ versionId, input });
    await harness.worker.drain();
    await harness.engine.cancel(id);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('cancelled');
    expect(await harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(0);
  });
});

describe('declared inputs', () => {
  const inputSchema = { type: 'object', required: ['subject'], properties: { subject: { type: 'string', maxLength: 40 } } };

  it('the prompts read the variables as vars.<name>, checked against the input schema on entry', async () => {
    const { fake, harness } = await withProvider([{ content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier({ variables: { subject: '{{ input.text }}' }, inputSchema, prompt: 'Classify: {{ vars.subject }}', system: 'Subject has {{ $length(vars.subject) }} characters.' }), input);
    expect(run.output).toEqual({ label: 'bug' });
    expect(fake.requests[0].body.messages).toEqual([
      { role: 'system', content: 'Subject has 27 characters.' },
      { role: 'user', content: 'Classify: the app crashes when I save' },
    ]);
  });

  it.each([
    ['a wrong type', { subject: '{{ 42 }}' }, /vars\.subject must be string/],
    ['a missing value', { subject: '{{ input.missing }}' }, /vars\.subject is required/],
    ['a value over its maxLength', { subject: '{{ $pad("", 41, "x") }}' }, /vars\.subject must NOT have more than 40 characters/],
  ])('%s takes `fallback` with INPUT_INVALID naming the field, without asking any model', async (_name, variables, message) => {
    const { fake, harness } = await withProvider([{ content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier({ variables, inputSchema, prompt: 'Classify: {{ vars.subject }}', maxAttempts: 3 }), input);
    expect(run.output).toEqual({ error: expect.stringMatching(message), code: 'INPUT_INVALID', raw: null });
    expect(fake.requests).toHaveLength(0);
    expect(await aiEvents(run.id)).toEqual([]);
  });

  it('with `fallback` unconnected, an input violation fails the run naming node and field', async () => {
    const { harness } = await withProvider([]);
    const graph = buildGraph(
      [['start', 'start'], ['classify', 'ai', { variables: { subject: '{{ 42 }}' }, inputSchema, prompt: '{{ vars.subject }}', outputSchema }], ['done', 'end']],
      ['start.next -> classify', 'classify.ok -> done'],
    );
    const run = await harness.run(graph, input);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'INPUT_INVALID', nodeId: 'classify', message: expect.stringContaining('vars.subject must be string') });
  });

  it.each([
    ['an input schema that is not a valid schema', { variables: { subject: 'x' }, inputSchema: { type: 'strang' } }, /inputSchema/],
    ['an input schema with nothing to check', { inputSchema }, /declares none/],
    ['an input schema requiring an undeclared variable', { variables: { body: 'x' }, inputSchema }, /requires "subject", which the variables do not declare/],
    ['a prompt reading an undeclared variable', { variables: { subject: 'x' }, prompt: '{{ vars.body }}' }, /vars\.body: the node's variables declare no "body" \(it declares "subject"\)/],
    ['vars outside an AI prompt', { outputSchema, prompt: 'p', system: 'x' }, null],
    ['a human fallback with an output schema no form can be made of', { humanFallback: { roles: ['triage'] }, outputSchema: { type: 'string' } }, /humanFallback: a person answers in a form/],
    ['a human fallback naming nobody', { humanFallback: {} }, /humanFallback.*name at least one user or role/],
    ['an empty model chain', { models: [] }, /models.*at least one model/],
    ['a maxRetryWait over a year', { maxRetryWait: '2y' }, /maxRetryWait/],
  ])('publish refuses %s, naming node and field', async (_name, config, message) => {
    const { harness } = await withProvider([]);
    if (message === null) {
      // `vars` read where no variables exist (an end's output) is an unknown name as before.
      const graph = buildGraph([['start', 'start'], ['done', 'end', { output: '{{ vars.x }}' }]], ['start.next -> done']);
      await expect(harness.publish(graph)).rejects.toThrow(/"vars" is not a name expressions can read/);
      return;
    }
    await expect(harness.publish(classifier(config))).rejects.toThrow(message);
    await expect(harness.publish(classifier(config))).rejects.toThrow(/node "classify"/);
  });
});

describe('hostile answers', () => {
  it('a 10 MB answer is cut off at 1 MB (RESPONSE_TOO_LARGE), not retried on that model; the next run is unaffected', async () => {
    const huge = `{"label":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    const { fake, harness } = await withProvider([{ content: huge }, { content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier({ maxAttempts: 3 }), input);
    expect(run.output).toEqual({ error: expect.stringContaining('larger than 1024 KB'), code: 'RESPONSE_TOO_LARGE', raw: null });
    expect(fake.requests).toHaveLength(1);
    const history = JSON.stringify(await harness.engine.history(run.id));
    expect(history.length).toBeLessThan(20_000);

    const next = await harness.run(classifier(), input);
    expect(next.output).toEqual({ label: 'bug' });
  });

  it('a valid answer over the 256 KB output limit is an answer problem sent back for repair, kept bounded in history', async () => {
    const big = JSON.stringify({ label: 'bug', padding: 'y'.repeat(300 * 1024) });
    const { fake, harness } = await withProvider([{ content: big }, { content: '{"label":"bug"}' }]);
    const run = await harness.run(classifier(), input);
    expect(run.output).toEqual({ label: 'bug' });
    const failed = (await aiEvents(run.id)).find((event) => event.type === 'aiAttemptFailed')!.data as { code: string; raw: string; rawBytes: number; next: string };
    expect(failed).toMatchObject({ code: 'ANSWER_TOO_LARGE', next: 'repair', rawBytes: big.length });
    expect(failed.raw.length).toBeLessThanOrEqual(16 * 1024 + 1);
    // The repair turn sends back the bounded answer, not 300 KB.
    expect(JSON.stringify(fake.requests[1].body).length).toBeLessThan(40_000);
  });

  it.each([
    ['garbage', '\u0000\u0001}{][ not json at all \uFFFD'],
    ['an unclosed object', '{"label": "bug"'],
    ['JSON of the wrong type', '"bug"'],
    ['nothing', ''],
    ['deeply nested arrays', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ['a deeply nested object in the envelope', `{"label":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`],
  ])('%s is a failed attempt (repaired, then `fallback`), never a crash', async (_name, content) => {
    const { harness } = await withProvider([{ content }, { content }]);
    const run = await harness.run(classifier(), input);
    expect(run.status).toBe('completed');
    expect(run.output).toMatchObject({ code: expect.stringMatching(/^(MALFORMED_JSON|SCHEMA_VIOLATION)$/) });
    const failed = (await aiEvents(run.id)).filter((event) => event.type === 'aiAttemptFailed');
    expect(failed.map((event) => (event.data as { next: string }).next)).toEqual(['repair', 'fallback']);
  });
});
