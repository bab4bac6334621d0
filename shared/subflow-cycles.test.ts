// Publish warnings for sub-workflows that can start their own workflow: directly, through other
// workflows, by the shortest chain; never looping on cycles that do not lead back.
import { describe, expect, it } from 'vitest';
import { graphSchema, GRAPH_FORMAT, type Graph } from './graph/graph.schema.js';
import { selfStartWarnings, subflowTargets } from './subflow-cycles.js';

/** A graph whose subflow nodes start the given workflows (node ids are "sub-<slug>"). */
function startsAll(...targets: string[]): Graph {
  return graphSchema.parse({
    format: GRAPH_FORMAT,
    nodes: [
      { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
      ...targets.map((target, index) => ({ id: `sub-${target || index}`, kind: 'subflow', position: { x: 0, y: 0 }, config: { workflow: target } })),
    ],
    edges: [],
  });
}

describe('subflowTargets', () => {
  it('lists each subflow node with its workflow, leaving out nodes that name none', () => {
    expect(subflowTargets(startsAll('a', '', 'b'))).toEqual([
      { nodeId: 'sub-a', workflow: 'a' },
      { nodeId: 'sub-b', workflow: 'b' },
    ]);
  });
});

describe('selfStartWarnings', () => {
  it('warns for a node that starts its own workflow', () => {
    expect(selfStartWarnings(startsAll('me', 'other'), 'me', new Map())).toEqual([
      { code: 'SUBFLOW_SELF_START', nodeId: 'sub-me', field: 'workflow', message: expect.stringContaining('node "sub-me" starts this workflow ("me") itself') },
    ]);
  });

  it('warns through the shortest chain of other workflows that leads back', () => {
    const others = new Map([
      ['a', startsAll('b', 'c')],
      ['b', startsAll('x')],
      ['c', startsAll('me')],
      ['x', startsAll('b', 'me')],
    ]);
    expect(selfStartWarnings(startsAll('a'), 'me', others)).toEqual([
      { code: 'SUBFLOW_SELF_START', nodeId: 'sub-a', field: 'workflow', message: expect.stringContaining('node "sub-a" starts "a" → "c", which starts this workflow ("me") again') },
    ]);
  });

  it('stays quiet when no chain leads back: unknown workflows end it, and cycles among others end too', () => {
    const others = new Map([
      ['a', startsAll('b')],
      ['b', startsAll('a', 'ghost')],
    ]);
    expect(selfStartWarnings(startsAll('a', 'ghost'), 'me', others)).toEqual([]);
    expect(selfStartWarnings(startsAll(), 'me', others)).toEqual([]);
  });

  it('a long chain of workflows is followed without recursion', () => {
    const others = new Map(Array.from({ length: 5_000 }, (_, i) => [`w${i}`, startsAll(i === 4_999 ? 'me' : `w${i + 1}`)] as const));
    const [warning] = selfStartWarnings(startsAll('w0'), 'me', others);
    expect(warning).toMatchObject({ code: 'SUBFLOW_SELF_START', nodeId: 'sub-w0' });
    expect(warning.message).toBe(
      'node "sub-w0" starts "w0" → "w1" → "w2" → … (4,995 more) → "w4998" → "w4999", which starts this workflow ("me") again: runs can nest until the sub-workflow depth limit fails the deepest',
    );
  });
});
