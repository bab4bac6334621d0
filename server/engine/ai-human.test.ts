// AI → human fallback on the real engine, both databases: when the model gives no usable answer, a
// person gets an inbox task whose form is the output schema, prefilled with the model's best attempt
// and listing its errors; approving makes the form the node's `ok` output and the run continues;
// rejecting takes `fallback`; the engine's rules for decisions hold (assignees, form values, once).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeAnswer, type FakeOpenAI } from '../testing/fake-openai.js';
import { createModelClient } from '../ai/model-client.js';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await fake?.close();
  fake = undefined;
});

const outputSchema = {
  type: 'object',
  required: ['label', 'priority'],
  properties: { label: { type: 'string', enum: ['bug', 'question'] }, priority: { type: 'integer', minimum: 1, maximum: 3 } },
};

function triage(config: Record<string, unknown> = {}) {
  return buildGraph(
    [
      ['start', 'start'],
      ['classify', 'ai', { prompt: 'Classify: {{ input.text }}', outputSchema, humanFallback: { users: ['mia'], roles: ['triage'] }, ...config }],
      ['done', 'end', { output: '{{ { "label": nodes.classify.label, "priority": nodes.classify.priority } }}' }],
      ['rescue', 'end', { output: '{{ nodes.classify }}' }],
    ],
    ['start.next -> classify', 'classify.ok -> done', 'classify.fallback -> rescue'],
  );
}

async function handedOver(script: FakeAnswer[], config: Record<string, unknown> = {}) {
  fake = await startFakeOpenAI(script);
  harness = await createHarness({ clock: new FakeClock(Date.UTC(2026, 3, 1)), models: createModelClient({ baseURL: fake.baseURL, models: { default: 'gpt-x' } }) });
  const { versionId } = await harness.publish(triage(config));
  const { id } = await harness.engine.startRun({ versionId, input: { text: 'the app crashes' } });
  await harness.worker.drain();
  const [task] = await harness.engine.tasksFor({ user: 'mia' });
  return { h: harness, runId: id, task };
}

const twoBadAnswers: FakeAnswer[] = [{ content: '{"label":"feature","priority":9}' }, { content: '{"label":"feature","priority":2}' }];

describe('AI → human fallback', () => {
  it('after the last failed attempt the run waits on a task: the output schema as its form, the best attempt prefilled, the errors shown', async () => {
    const { h, runId, task } = await handedOver(twoBadAnswers);
    const run = await h.engine.getRun(runId);
    expect(run.status).toBe('waiting');
    expect(run.waitingOn).toEqual([{ nodeId: 'classify', kind: 'approval', on: task.id }]);
    // The second answer had one problem, the first two: the second is the best attempt.
    expect(task.form).toEqual({ ...outputSchema, default: { label: 'feature', priority: 2 } });
    expect(task.assignees).toEqual({ users: ['mia'], roles: ['triage'] });
    expect(task.details).toContain('- label must be equal to one of the allowed values');
    expect(task.details).toContain('after 2 attempt(s)');
    expect(task.data).toEqual({ prompt: 'Classify: the app crashes', errors: ['label must be equal to one of the allowed values'] });
    const handed = (await h.engine.history(runId)).filter((event) => event.type === 'aiHandedToHuman');
    expect(handed).toHaveLength(1);
    expect(handed[0].data).toMatchObject({ taskId: task.id, code: 'SCHEMA_VIOLATION' });
    const failed = (await h.engine.history(runId)).filter((event) => event.type === 'aiAttemptFailed');
    expect(failed.map((event) => (event.data as { next: string }).next)).toEqual(['repair', 'human']);
    expect(await h.engine.tasksFor({ user: 'ben', roles: ['triage'] })).toHaveLength(1);
  });

  it('approving makes the form values the node’s `ok` output and the run continues', async () => {
    const { h, runId, task } = await handedOver(twoBadAnswers);
    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { label: 'bug', priority: 2 }, comment: 'it is a crash' });
    await h.worker.drain();
    const run = await h.engine.getRun(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ label: 'bug', priority: 2 });
    const completed = (await h.engine.history(runId)).find((event) => event.type === 'nodeCompleted' && event.nodeId === 'classify');
    expect(completed?.data).toEqual({ port: 'ok', output: { label: 'bug', priority: 2 } });
    const decided = (await h.engine.history(runId)).find((event) => event.type === 'approvalDecided');
    expect(decided?.data).toMatchObject({ decision: 'approved', by: 'mia', form: { label: 'bug', priority: 2 }, comment: 'it is a crash' });
  });

  it('rejecting takes `fallback` with REJECTED and the model’s last raw answer', async () => {
    const { h, runId, task } = await handedOver(twoBadAnswers);
    await h.engine.decide(task.id, { by: { user: 'ben', roles: ['triage'] }, decision: 'reject', comment: 'spam' });
    await h.worker.drain();
    const run = await h.engine.getRun(runId);
    expect(run.output).toEqual({ error: "ben rejected the model's answer: spam", code: 'REJECTED', raw: '{"label":"feature","priority":2}' });
  });

  it('refuses values that do not match the output schema, a non-assignee, and a second decision; the run still waits', async () => {
    const { h, runId, task } = await handedOver(twoBadAnswers);
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { label: 'feature', priority: 2 } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('label must be equal to one of the allowed values'),
    });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { label: 'bug' } })).rejects.toMatchObject({ message: expect.stringContaining('priority is required') });
    await expect(h.engine.decide(task.id, { by: { user: 'eve', roles: ['sales'] }, decision: 'approve', form: { label: 'bug', priority: 1 } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.engine.getRun(runId)).status).toBe('waiting');
    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { label: 'question', priority: 1 } });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'reject' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ label: 'question', priority: 1 });
  });

  it('a provider that never answers usably (500s, garbage) still reaches the person, with nothing prefilled', async () => {
    const { task } = await handedOver([{ status: 500 }, { content: 'I cannot help with that.' }]);
    expect(task.form).toEqual(outputSchema);
    expect(task.details).toContain('the answer is not JSON');
    expect(task.details).toContain('Fill in the answer below');
  });

  it('cancelling the run closes the task', async () => {
    const { h, runId, task } = await handedOver(twoBadAnswers);
    await h.engine.cancel(runId);
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).status).toBe('cancelled');
    expect((await h.engine.task(task.id)).status).toBe('cancelled');
  });

  it('a valid answer never creates a task', async () => {
    const { h, runId, task } = await handedOver([{ content: '{"label":"bug","priority":1}' }]);
    expect(task).toBeUndefined();
    expect((await h.engine.getRun(runId)).output).toEqual({ label: 'bug', priority: 1 });
  });
});
