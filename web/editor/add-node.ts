// Adding a node without dragging (a palette click or Enter, Ctrl/Cmd+K): it goes to the centre of
// what the canvas shows, on the grid, moved down and right off any node already there.
import { useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EditorStore } from './editor.store.js';
import type { Position } from './graph-ops.js';
import { nodeSize } from '../canvas/node-size.js';

export const GRID = 20;
export const snap = (value: number) => Math.round(value / GRID) * GRID;

/**
 * Where a new node of `kind` goes when centred on `centre`: on the grid, over no other node — the
 * centre if it is free, else the nearest free place of a grid of node-sized cells around it that is
 * wholly in `view` (flow px), else down and right of the centre until free.
 */
export function freeSpot(graph: Graph, kind: string, centre: Position, view?: { left: number; top: number; right: number; bottom: number }): Position {
  const size = nodeSize({ kind });
  const boxes = graph.nodes.map((node) => ({ ...node.position, ...nodeSize(node) }));
  const gap = GRID;
  const covered = (at: Position) => boxes.some((box) => at.x < box.x + box.width + gap && box.x < at.x + size.width + gap && at.y < box.y + box.height + gap && box.y < at.y + size.height + gap);
  const inView = (at: Position) => !view || (at.x >= view.left && at.y >= view.top && at.x + size.width <= view.right && at.y + size.height <= view.bottom);
  const middle = { x: snap(centre.x - size.width / 2), y: snap(centre.y - size.height / 2) };
  const cells: Position[] = [];
  for (let column = -3; column <= 3; column++) {
    for (let row = -3; row <= 3; row++) cells.push({ x: snap(middle.x + column * (size.width + 2 * gap)), y: snap(middle.y + row * (size.height + 2 * gap)) });
  }
  cells.sort((a, b) => Math.hypot(a.x - middle.x, a.y - middle.y) - Math.hypot(b.x - middle.x, b.y - middle.y));
  const cell = cells.find((at) => !covered(at) && inView(at));
  if (cell) return cell;
  let spot = middle;
  for (let tries = 0; tries < 50 && covered(spot); tries++) spot = { x: spot.x + 2 * GRID, y: spot.y + 2 * GRID };
  return spot;
}

/** Adds a node of a kind at the centre of the canvas's view and selects it; returns its id. */
export function useAddAtCentre(store: EditorStore): (kind: string) => string | undefined {
  const flow = useStoreApi();
  return useCallback(
    (kind: string) => {
      if (store.getState().readOnly) return undefined;
      const { width, height, transform } = flow.getState();
      const [x, y, zoom] = transform;
      const centre = { x: (width / 2 - x) / zoom, y: (height / 2 - y) / zoom };
      const view = { left: -x / zoom, top: -y / zoom, right: (width - x) / zoom, bottom: (height - y) / zoom };
      return store.getState().addNode(kind, freeSpot(store.getState().graph, kind, centre, view));
    },
    [store, flow],
  );
}
