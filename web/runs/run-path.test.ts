// The path a run took, read from history: visits, edges taken (by port), current and failed nodes.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { HistoryEntry } from '../../shared/runs/history.js';
import { nodeRunState, runPath } from './run-path.js';

const node = (id: string, kind: string) => ({ id, kind, position: { x: 0, y: 0 }, config: {} });
const graph: Graph = {
  format: 'cairn.graph/v2',
  nodes: [node('start', 'start'), node('review', 'approval'), node('pay', 'step'), node('no', 'end'), node('split', 'parallel'), node('a', 'step'), node('b', 'step')],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'review' },
    { id: 'e2', source: 'review', sourcePort: 'approved', target: 'pay' },
    { id: 'e3', source: 'review', sourcePort: 'rejected', target: 'no' },
    { id: 'e4', source: 'pay', sourcePort: 'ok', target: 'split' },
    { id: 'e5', source: 'split', sourcePort: 'branches', target: 'a' },
    { id: 'e6', source: 'split', sourcePort: 'branches', target: 'b' },
  ],
};

const entered = (nodeId: string): HistoryEntry => ({ type: 'nodeEntered', nodeId });
const completed = (nodeId: string, port?: string): HistoryEntry => ({ type: 'nodeCompleted', nodeId, data: { ...(port ? { port } : {}), output: null } });

describe('runPath', () => {
  it('marks the edges taken by the port each node left by, and where the run waits', () => {
    const path = runPath({
      graph,
      history: [{ type: 'runStarted', data: { workflow: 'w', version: 1, input: {} } }, entered('start'), completed('start', 'next'), entered('review'), completed('review', 'approved'), entered('pay')],
      status: 'running',
      waitingOn: [],
      tokens: [{ nodeId: 'pay' }],
      error: null,
    });
    expect([...path.takenEdges].sort()).toEqual(['e1', 'e2']);
    expect(path.visits).toEqual({ start: 1, review: 1, pay: 1 });
    expect(nodeRunState(path, 'pay')).toBe('current');
    expect(nodeRunState(path, 'review')).toBe('visited');
    expect(nodeRunState(path, 'no')).toBe('unvisited');
  });

  it('takes every edge of a node that completed without a port (parallel), and marks the failed node', () => {
    const path = runPath({
      graph,
      history: [entered('pay'), completed('pay', 'ok'), entered('split'), completed('split'), entered('a'), entered('b'), { type: 'compensationCompleted', nodeId: 'pay', data: { output: null } }],
      status: 'failed',
      waitingOn: [],
      tokens: [{ nodeId: 'a' }],
      error: { nodeId: 'b' },
    });
    expect([...path.takenEdges].sort()).toEqual(['e4', 'e5', 'e6']);
    expect(path.current.size).toBe(0);
    expect(nodeRunState(path, 'b')).toBe('failed');
    expect(path.compensated).toEqual({ pay: 'ok' });
    // The other branch was entered and never left: it stopped when the run failed.
    expect(nodeRunState(path, 'a')).toBe('stopped');
  });
});
