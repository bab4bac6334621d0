// Warnings that do not block publishing: failure ports that lead nowhere, waits for people or signals
// without a timeout, compensations nothing can trigger. Each names its node and its field or port.
import { describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, graphSchema, type Graph } from './graph/graph.schema.js';
import { graphWarnings, type Warning } from './graph-warnings.js';
import { validateGraph } from './validate.js';

type NodeSpec = [id: string, kind: string, config?: Record<string, unknown>];

function graph(nodes: NodeSpec[], edges: string[]): Graph {
  return graphSchema.parse({
    format: GRAPH_FORMAT,
    nodes: nodes.map(([id, kind, config = {}]) => ({ id, kind, config })),
    edges: edges.map((text, index) => {
      const [, source, sourcePort, target] = /^(\S+)\.(\S+) -> (\S+)$/.exec(text)!;
      return { id: `e${index + 1}`, source, sourcePort, target };
    }),
  });
}

const brief = (warnings: Warning[]) => warnings.map(({ code, nodeId, field, port }) => ({ code, nodeId, ...(field ? { field } : {}), ...(port ? { port } : {}) }));
const APPROVAL = { title: 'Ok?', assignees: { roles: ['manager'] } };
const STEP = { action: 'log', input: { message: 'hi' } };

describe('graphWarnings', () => {
  it('warns for each failure port that leads nowhere, saying what taking it does', () => {
    const input = graph(
      [['start', 'start'], ['pay', 'step', STEP], ['ask', 'ai', { prompt: 'x', outputSchema: { type: 'object' } }], ['review', 'approval', { ...APPROVAL, timeout: '2d' }], ['child', 'subflow', { workflow: 'c' }], ['end', 'end']],
      ['start.next -> pay', 'pay.ok -> ask', 'ask.ok -> review', 'review.approved -> child', 'child.ok -> end'],
    );
    const warnings = graphWarnings(input);
    expect(brief(warnings)).toEqual([
      { code: 'PORT_LEADS_NOWHERE', nodeId: 'pay', port: 'error' },
      { code: 'PORT_LEADS_NOWHERE', nodeId: 'ask', port: 'fallback' },
      { code: 'PORT_LEADS_NOWHERE', nodeId: 'review', port: 'rejected' },
      { code: 'PORT_LEADS_NOWHERE', nodeId: 'review', field: 'timeout', port: 'timeout' },
      { code: 'PORT_LEADS_NOWHERE', nodeId: 'child', port: 'error' },
    ]);
    expect(warnings[2].message).toBe('node "review": its rejected port leads nowhere, so a rejection fails the run; connect it to handle that case');
    // Warnings never make a graph invalid.
    expect(validateGraph(input).ok).toBe(true);
  });

  it('warns for an event or approval without a timeout (and then not about its timeout port)', () => {
    const input = graph(
      [['start', 'start'], ['paid', 'event', { event: 'paid' }], ['review', 'approval', APPROVAL], ['end', 'end']],
      ['start.next -> paid', 'paid.received -> review', 'review.approved -> end', 'review.rejected -> end'],
    );
    const warnings = graphWarnings(input);
    expect(brief(warnings)).toEqual([
      { code: 'NO_TIMEOUT', nodeId: 'paid', field: 'timeout' },
      { code: 'NO_TIMEOUT', nodeId: 'review', field: 'timeout' },
    ]);
    expect(warnings[0].message).toBe('node "paid" waits for a signal ("paid") with no timeout: if it never comes, the run waits forever; set a timeout');
  });

  it('is silent for a graph that handles every case', () => {
    const input = graph(
      [['start', 'start'], ['pay', 'step', STEP], ['review', 'approval', { ...APPROVAL, timeout: '1d' }], ['end', 'end'], ['stop', 'fail', { message: 'no' }]],
      ['start.next -> pay', 'pay.ok -> review', 'pay.error -> stop', 'review.approved -> end', 'review.rejected -> stop', 'review.timeout -> stop'],
    );
    expect(graphWarnings(input)).toEqual([]);
  });

  describe('a compensate nothing can trigger', () => {
    const charge = { action: 'charge', input: {}, compensate: { action: 'refund', input: {} } };

    it('warns when no path after the step can fail the run', () => {
      const input = graph([['start', 'start'], ['charge', 'step', charge], ['end', 'end'], ['stop', 'fail', { message: 'x' }]], ['start.next -> charge', 'charge.ok -> end', 'charge.error -> stop']);
      const warnings = graphWarnings(input);
      expect(brief(warnings)).toEqual([{ code: 'COMPENSATION_NEVER_RUNS', nodeId: 'charge', field: 'compensate' }]);
      expect(warnings[0].message).toContain('runs only if someone cancels the run with compensation');
    });

    it.each<[string, NodeSpec[], string[]]>([
      ['a fail node after it', [['review', 'approval', { ...APPROVAL, timeout: '1d' }], ['stop', 'fail', { message: 'x' }]], ['charge.ok -> review', 'review.approved -> end', 'review.rejected -> stop', 'review.timeout -> stop']],
      ['an open error port after it', [['ship', 'step', STEP]], ['charge.ok -> ship', 'ship.ok -> end']],
      ['an open rejected port after it', [['review', 'approval', { ...APPROVAL, timeout: '1d' }], ['stop', 'end']], ['charge.ok -> review', 'review.approved -> end', 'review.timeout -> stop']],
    ])('is silent with %s', (_name, more, edges) => {
      const input = graph([['start', 'start'], ['charge', 'step', charge], ['end', 'end'], ['charged-stop', 'fail', { message: 'x' }], ...more], ['start.next -> charge', 'charge.error -> charged-stop', ...edges]);
      expect(brief(graphWarnings(input)).filter((warning) => warning.code === 'COMPENSATION_NEVER_RUNS')).toEqual([]);
    });

    it('counts a failure on a path running beside the step (after a parallel)', () => {
      const input = graph(
        [['start', 'start'], ['split', 'parallel'], ['charge', 'step', charge], ['ship', 'step', STEP], ['both', 'join'], ['end', 'end'], ['stop', 'fail', { message: 'x' }]],
        ['start.next -> split', 'split.branches -> charge', 'split.branches -> ship', 'charge.ok -> both', 'charge.error -> stop', 'ship.ok -> both', 'ship.error -> stop', 'both.next -> end'],
      );
      expect(graphWarnings(input)).toEqual([]);
    });
  });
});
