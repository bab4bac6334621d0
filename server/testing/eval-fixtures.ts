// Test kit: a triage workflow whose ai node has an eval set of four cases, and the fake provider's
// answers for it — all good (one fenced, one malformed then repaired), and a regression in which
// two cases go wrong.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { wrap, type FakeAnswer } from './fake-openai.js';

export function triageGraph(prompt = 'Classify this ticket: {{ vars.text }}'): Graph {
  return {
    format: 'cairn.graph/v2',
    nodes: [
      { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
      {
        id: 'classify',
        kind: 'ai',
        label: 'Classify',
        position: { x: 240, y: 0 },
        config: {
          prompt,
          variables: { text: '{{ input.text }}' },
          inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
          outputSchema: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, urgent: { type: 'boolean' } } },
        },
      },
      { id: 'done', kind: 'end', position: { x: 480, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'classify' },
      { id: 'e2', source: 'classify', sourcePort: 'ok', target: 'done' },
    ],
  };
}

export const triageSet = {
  node: 'classify',
  threshold: 0.75,
  cases: [
    { name: 'crash is a bug', vars: { text: 'the app crashes on start' }, expect: { fields: { label: 'bug' } } },
    { name: 'invoice is billing', vars: { text: 'I was charged twice' }, expect: { assert: "answer.label = 'billing'" } },
    { name: 'outage is urgent', vars: { text: 'everything is down' }, expect: { fields: { label: 'outage' }, assert: 'answer.urgent = true' } },
    { name: 'a known label', vars: { text: 'how do I export?' }, expect: { schema: { properties: { label: { enum: ['bug', 'billing', 'outage', 'question'] } } } } },
  ],
};

export const answer = (value: unknown): FakeAnswer => ({ content: JSON.stringify(value), usage: { prompt_tokens: 50, completion_tokens: 8, total_tokens: 58 } });

/** Four good answers: one fenced, one malformed and then repaired. */
export const good: FakeAnswer[] = [
  { content: wrap.fenced('{"label":"bug"}') },
  { content: 'label: billing' },
  answer({ label: 'billing' }),
  answer({ label: 'outage', urgent: true }),
  answer({ label: 'question' }),
];
/** The regression: billing and the outage's urgency come back wrong. */
export const worse: FakeAnswer[] = [answer({ label: 'bug' }), answer({ label: 'question' }), answer({ label: 'outage', urgent: false }), answer({ label: 'question' })];
