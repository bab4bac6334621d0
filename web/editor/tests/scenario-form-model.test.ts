// The scenario form's conversion: every kind of step, and bad values named by field and step.
import { describe, expect, it } from 'vitest';
import { emptyDraft, emptyStep, toScenario } from './scenario-form-model.js';

describe('scenario form', () => {
  it('turns the form into a cairn.scenario/v1 scenario', () => {
    const draft = {
      ...emptyDraft(),
      name: ' happy path ',
      input: '{"amount": 5}',
      steps: [
        { ...emptyStep('ai'), node: 'classify', data: '{"category":"invoice"}' },
        { ...emptyStep('stub'), node: 'charge', data: '{"ok":true}' },
        { ...emptyStep('stub'), node: 'refund', outcome: 'error' as const, data: 'card declined' },
        { ...emptyStep('advance'), text: '7d' },
        { ...emptyStep('advance'), node: 'review' },
        { ...emptyStep('decide'), node: 'review', decision: 'reject' as const, text: 'too much' },
        { ...emptyStep('signal'), text: 'paid', data: '{"amount":5}' },
        emptyStep('advance'),
      ],
      path: 'start, classify review',
      output: '{"category":"invoice"}',
    };
    expect(toScenario(draft)).toEqual({
      scenario: {
        name: 'happy path',
        input: { amount: 5 },
        steps: [
          { ai: 'classify', answer: { category: 'invoice' } },
          { stub: { node: 'charge' }, result: { ok: true } },
          { stub: { node: 'refund' }, error: 'card declined' },
          { advance: '7d' },
          { advance: { untilNode: 'review' } },
          { decide: 'review', decision: 'reject', comment: 'too much' },
          { signal: 'paid', data: { amount: 5 } },
          { advance: { untilWaiting: true } },
        ],
        expect: { status: 'completed', path: ['start', 'classify', 'review'], output: { category: 'invoice' } },
      },
    });
  });

  it('names every bad value by its field and step, and builds nothing', () => {
    const result = toScenario({
      ...emptyDraft(),
      name: '   ',
      input: '{"amount": ',
      steps: [{ ...emptyStep('signal') }, { ...emptyStep('ai'), node: 'classify', data: '' }, { ...emptyStep('stub'), node: 'x', data: '{oops}' }],
      output: 'not json',
    });
    expect(result.scenario).toBeUndefined();
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(['expect.output', 'input', 'name', 'steps.0.text', 'steps.1.data', 'steps.2.data']);
    expect(result.errors?.name).toBe('a scenario needs a name');
    expect(result.errors?.['steps.2.data']).toMatch(/^not JSON/);
  });
});
