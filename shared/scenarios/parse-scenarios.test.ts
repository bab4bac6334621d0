// The scenario format's reader on good and hostile input: every problem names the file, the scenario
// and the step, and says what is wrong.
import { describe, expect, it } from 'vitest';
import { graphSchema } from '../graph/graph.schema.js';
import { checkReferences } from './check-references.js';
import { parseScenarios, parseScenariosText } from './parse-scenarios.js';
import { describeStep, SCENARIO_FORMAT } from './scenario.schema.js';

const one = (fields: Record<string, unknown>) => ({ format: SCENARIO_FORMAT, name: 'paid', workflow: { file: 'g.json' }, ...fields });
const problems = (value: unknown) => {
  const read = parseScenarios(value, 'x.scenario.json');
  if (read.ok) throw new Error('expected problems');
  return read.problems;
};

describe('parseScenarios', () => {
  it('reads one scenario and a suite whose scenarios inherit its workflow', () => {
    const single = parseScenarios(one({ steps: [{ advance: '7d' }, { signal: 'converted', data: { plan: 'pro' } }], expect: { status: 'completed' } }));
    expect(single).toMatchObject({ ok: true, scenarios: [{ name: 'paid', workflow: { file: 'g.json' }, steps: [{ advance: '7d' }, { signal: 'converted' }] }] });
    const suite = parseScenarios({ format: SCENARIO_FORMAT, workflow: { file: 'g.json' }, scenarios: [{ name: 'a' }, { name: 'b', workflow: { version: 2 } }] });
    expect(suite).toMatchObject({ ok: true, scenarios: [{ name: 'a', workflow: { file: 'g.json' }, steps: [] }, { name: 'b', workflow: { version: 2 } }] });
  });

  it("expects any run status, an operator's queued and paused included; another word is refused, listing them", () => {
    for (const status of ['queued', 'pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled']) {
      expect(parseScenarios(one({ expect: { status } }))).toMatchObject({ ok: true, scenarios: [{ expect: { status } }] });
    }
    const [problem, ...rest] = problems(one({ expect: { status: 'sleeping' } }));
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^x\.scenario\.json: scenario "paid": expect\.status: .*"queued".*"paused"/);
  });

  it('bad JSON names the file', () => {
    const read = parseScenariosText('{ "format": ', 'broken.scenario.json');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems[0]).toMatch(/^broken\.scenario\.json: not valid JSON: /);
  });

  it('an unknown step names the file, scenario and step, and lists the step kinds', () => {
    expect(problems(one({ steps: [{ advance: '1d' }, { wait: '7d' }] }))).toEqual([
      'x.scenario.json: scenario "paid", step 2: unknown step ("wait"); a step is one of advance, signal, decide, ai, callback, stub',
    ]);
  });

  it('reports every problem, each at its step: two kinds in one step, bad fields, outcomes that are not exactly one', () => {
    const found = problems(
      one({
        steps: [
          { advance: '1d', signal: 'x' },
          { decide: 'manager', decision: 'maybe' },
          { stub: { node: 'charge' } },
          { ai: 'classify', answer: {}, error: 'down' },
          'advance',
        ],
      }),
    );
    expect(found).toEqual([
      'x.scenario.json: scenario "paid", step 1: one step per object, but this one holds advance and signal',
      expect.stringMatching(/^x\.scenario\.json: scenario "paid", step 2 \(decide\): decision: .*"approve"/),
      'x.scenario.json: scenario "paid", step 3 (stub): give exactly one of result, error, sequence',
      'x.scenario.json: scenario "paid", step 4 (ai): give exactly one of answer, raw, error, sequence (it has answer and error)',
      'x.scenario.json: scenario "paid", step 5: a step is an object such as { "advance": "7d" }, not "advance"',
    ]);
  });

  it('huge and malformed durations are refused with the limit, naming the step', () => {
    expect(problems(one({ steps: [{ advance: '100y' }] }))[0]).toBe('x.scenario.json: scenario "paid", step 1 (advance): advance: "100y" is longer than the limit of 1 year ("1y", "P1Y")');
    expect(problems(one({ steps: [{ advance: { untilNode: 'x', within: '1e400d' } }] }))[0]).toMatch(/step 1 \(advance\): advance.within: "1e400d" is not a duration/);
    expect(problems(one({ expect: { duration: 'soon' } }))[0]).toMatch(/scenario "paid": expect.duration: "soon" is not a duration/);
  });

  it('refuses a wrong format, unknown fields, duplicate names, and things that are not scenarios', () => {
    expect(problems({ ...one({}), format: 'cairn.scenario/v9' })).toEqual(['x.scenario.json: "format" must be "cairn.scenario/v1", not "cairn.scenario/v9"']);
    expect(problems(one({ expectations: {} }))[0]).toMatch(/scenario "paid": Unrecognized key: "expectations"/);
    expect(problems({ format: SCENARIO_FORMAT, scenarios: [{ name: 'a' }, { name: 'a' }] })).toEqual(['x.scenario.json: two scenarios are named "a"; names must be unique']);
    expect(problems([1, 2])[0]).toMatch(/not a list/);
    expect(problems({ format: SCENARIO_FORMAT, scenarios: [] })[0]).toMatch(/scenarios must be a list of 1 to 200/);
    expect(problems(one({ steps: Array.from({ length: 1_001 }, () => ({ advance: '1s' })) }))[0]).toMatch(/1001 steps; a scenario has at most 1000/);
    expect(problems(one({ name: '   ' }))[0]).toMatch(/name: /);
  });
});

const graph = graphSchema.parse({
  format: 'cairn.graph/v2',
  nodes: [
    { id: 'start', kind: 'start', config: {} },
    { id: 'charge', kind: 'step', config: { action: 'log', input: { message: 'x' } } },
    { id: 'review', kind: 'approval', config: { title: 't', assignees: { roles: ['manager'] } } },
    { id: 'done', kind: 'end', config: {} },
  ],
  edges: [],
});

describe('checkReferences', () => {
  it('names unknown node ids and nodes of the wrong kind, at their step or expectation', () => {
    const read = parseScenarios(
      one({
        steps: [{ decide: 'manager', decision: 'approve' }, { decide: 'charge', decision: 'approve' }, { stub: { node: 'review' }, result: 1 }, { advance: { untilNode: 'nowhere' } }, { advance: '1d', expect: { visited: ['ghost'] } }],
        expect: { nodes: { phantom: {} }, path: ['start', 'done'] },
      }),
    );
    if (!read.ok) throw new Error(read.problems.join('\n'));
    expect(checkReferences(read.scenarios[0], graph, 'x.json: scenario "paid"')).toEqual([
      'x.json: scenario "paid", step 1 (decide manager approve): no node "manager" in the workflow; its approval nodes are review',
      'x.json: scenario "paid", step 2 (decide charge approve): node "charge" is a step node, not an approval node',
      'x.json: scenario "paid", step 3 (stub node review): node "review" is an approval node, not a step node',
      'x.json: scenario "paid", step 4 (advance until node nowhere): no node "nowhere" in the workflow; its nodes are start, charge, review, done',
      'x.json: scenario "paid", step 5 (advance 1d): expect.visited: no node "ghost" in the workflow; its nodes are start, charge, review, done',
      'x.json: scenario "paid", expect: expect.nodes: no node "phantom" in the workflow; its nodes are start, charge, review, done',
    ]);
  });

  it('describes every step kind in words', () => {
    expect(['7d', { untilNode: 'x' }, { untilWaiting: true }].map((advance) => describeStep({ advance } as never))).toEqual(['advance 7d', 'advance until node x', 'advance until the run waits']);
    expect(describeStep({ stub: { action: 'http.request' }, result: 1 } as never)).toBe('stub action http.request');
  });
});
