// Where a node added without dragging goes: the centre of the view when free, else the nearest free
// cell around it in view, never over another node.
import { describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, type Graph } from '../../shared/graph/graph.schema.js';
import { freeSpot } from './add-node.js';
import { nodeSize } from '../canvas/node-size.js';

const graph = (nodes: { id: string; kind: string; x: number; y: number }[]): Graph => ({
  format: GRAPH_FORMAT,
  nodes: nodes.map(({ id, kind, x, y }) => ({ id, kind, position: { x, y }, config: {} })),
  edges: [],
});

const overlaps = (g: Graph, kind: string, at: { x: number; y: number }) => {
  const size = nodeSize({ kind });
  return g.nodes.some((node) => {
    const box = nodeSize(node);
    return at.x < node.position.x + box.width && node.position.x < at.x + size.width && at.y < node.position.y + box.height && node.position.y < at.y + size.height;
  });
};

describe('freeSpot', () => {
  it('centres the node on a free centre, on the grid', () => {
    const spot = freeSpot(graph([]), 'wait', { x: 500, y: 300 });
    const size = nodeSize({ kind: 'wait' });
    expect(spot.x % 20).toBe(0);
    expect(spot.y % 20).toBe(0);
    expect(Math.abs(spot.x + size.width / 2 - 500)).toBeLessThanOrEqual(10);
    expect(Math.abs(spot.y + size.height / 2 - 300)).toBeLessThanOrEqual(10);
  });

  it('takes the nearest free place in view when the centre is taken, again and again', () => {
    let g = graph([{ id: 'start', kind: 'start', x: 400, y: 260 }]);
    const view = { left: 0, top: 0, right: 1200, bottom: 800 };
    for (let index = 0; index < 8; index++) {
      const spot = freeSpot(g, 'step', { x: 500, y: 300 }, view);
      expect(overlaps(g, 'step', spot)).toBe(false);
      expect(spot.x).toBeGreaterThanOrEqual(view.left);
      expect(spot.y + nodeSize({ kind: 'step' }).height).toBeLessThanOrEqual(view.bottom);
      expect(Math.hypot(spot.x - 400, spot.y - 250)).toBeLessThan(700);
      g = { ...g, nodes: [...g.nodes, { id: `step_${index}`, kind: 'step', position: spot, config: {} }] };
    }
  });

  it('goes down and right past a crowd when nothing in view is free', () => {
    const crowd = Array.from({ length: 100 }, (_, index) => ({ id: `n${index}`, kind: 'step', x: (index % 10) * 220, y: Math.floor(index / 10) * 140 }));
    const g = graph(crowd);
    const spot = freeSpot(g, 'step', { x: 1000, y: 700 }, { left: 0, top: 0, right: 2000, bottom: 1400 });
    expect(overlaps(g, 'step', spot)).toBe(false);
  });
});
