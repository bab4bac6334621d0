// The first view and Fit view, planned without a browser: legible zoom, the start in view, no node
// cut at an edge or under a panel, as many nodes as fit, the whole graph centred when it fits.
import { describe, expect, it } from 'vitest';
import { examples } from '../../server/seed/examples.js';
import { nodeSize } from './node-size.js';
import { fitsLegibly, LEGIBLE_ZOOM, MAX_FIT_ZOOM, planView, type Box, type ScreenRect, type Viewport } from './view-plan.js';

const row = (count: number, gap = 260, y = 0): Box[] => Array.from({ length: count }, (_, index) => ({ id: `n${index}`, x: index * gap, y, width: 200, height: 100 }));

/** Each box fully inside the canvas and clear of the panels, or fully outside the canvas. */
function check(boxes: Box[], viewport: Viewport, size: { width: number; height: number }, avoid: ScreenRect[] = []) {
  const visible: string[] = [];
  const cut: string[] = [];
  for (const box of boxes) {
    const left = box.x * viewport.zoom + viewport.x;
    const top = box.y * viewport.zoom + viewport.y;
    const right = left + box.width * viewport.zoom;
    const bottom = top + box.height * viewport.zoom;
    const inCanvas = left < size.width && right > 0 && top < size.height && bottom > 0;
    if (!inCanvas) continue;
    const inside = left >= 0 && top >= 0 && right <= size.width && bottom <= size.height;
    const underPanel = avoid.some((panel) => left < panel.right && panel.left < right && top < panel.bottom && panel.top < bottom);
    (inside && !underPanel ? visible : cut).push(box.id);
  }
  return { visible, cut };
}

describe('planView', () => {
  it('shows a small graph whole, centred, no larger than its natural size', () => {
    const boxes = row(3);
    const size = { width: 1200, height: 700 };
    const plan = planView(boxes, size);
    expect(plan.whole).toBe(true);
    expect(plan.viewport.zoom).toBe(MAX_FIT_ZOOM);
    expect(check(boxes, plan.viewport, size)).toEqual({ visible: ['n0', 'n1', 'n2'], cut: [] });
    // Centred: as much room left of the first node as right of the last.
    const left = plan.viewport.x;
    const right = size.width - (720 + plan.viewport.x);
    expect(Math.abs(left - right)).toBeLessThanOrEqual(1);
  });

  it('zooms out to fit, but not below the legible zoom', () => {
    const size = { width: 900, height: 600 };
    const four = row(4); // 980 px wide: fits at about 0.86
    const plan = planView(four, size);
    expect(plan.whole).toBe(true);
    expect(plan.viewport.zoom).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
    expect(plan.viewport.zoom).toBeLessThan(1);
    expect(fitsLegibly(four, size)).toBe(true);

    const twelve = row(12);
    expect(fitsLegibly(twelve, size)).toBe(false);
    const long = planView(twelve, size, { must: ['n0'] });
    expect(long.whole).toBe(false);
    expect(long.viewport.zoom).toBe(LEGIBLE_ZOOM);
    const seen = check(twelve, long.viewport, size);
    expect(seen.cut).toEqual([]);
    expect(seen.visible).toEqual(long.visible);
    // The start and as many after it as fit in 900 px at 0.75 (195 px per 150 px node).
    expect(seen.visible[0]).toBe('n0');
    expect(seen.visible.length).toBe(Math.floor((900 - 2 * 28 + 45) / 195));
  });

  it('keeps the nodes that must be seen in view, wherever they are', () => {
    const boxes = row(20);
    const size = { width: 800, height: 500 };
    for (const must of ['n0', 'n9', 'n19']) {
      const plan = planView(boxes, size, { must: [must] });
      const seen = check(boxes, plan.viewport, size);
      expect(seen.cut).toEqual([]);
      expect(seen.visible).toContain(must);
      expect(seen.visible.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('places no node under a panel, and none cut on any side, for every example at both window sizes', () => {
    // The editor's canvas at 1440×900 and 1280×720 (palette, inspector, bars and problems taken off).
    for (const size of [
      { width: 944, height: 757 },
      { width: 784, height: 577 },
    ]) {
      const minimap: ScreenRect = { left: size.width - 195, top: size.height - 135, right: size.width, bottom: size.height };
      const controls: ScreenRect = { left: 0, top: size.height - 50, right: 110, bottom: size.height };
      for (const example of examples) {
        const boxes = example.graph.nodes.map((node) => ({ id: node.id, ...node.position, ...nodeSize(node) }));
        const avoid = fitsLegibly(boxes, size) ? [controls] : [controls, minimap];
        const plan = planView(boxes, size, { must: ['start'], avoid });
        const seen = check(boxes, plan.viewport, size, avoid);
        expect(seen.cut, `${example.slug} at ${size.width}×${size.height}`).toEqual([]);
        expect(seen.visible).toContain('start');
        expect(plan.viewport.zoom).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
        expect(seen.visible.length).toBeGreaterThanOrEqual(Math.min(boxes.length, 4));
      }
    }
  });

  it('shows a grid of 500 nodes from its start at a legible zoom, quickly', () => {
    const boxes: Box[] = Array.from({ length: 500 }, (_, index) => ({ id: `n${index}`, x: (index % 25) * 280, y: Math.floor(index / 25) * 200, width: 200, height: 120 }));
    const size = { width: 1000, height: 780 };
    const began = performance.now();
    const plan = planView(boxes, size, { must: ['n0'] });
    expect(performance.now() - began).toBeLessThan(250);
    const seen = check(boxes, plan.viewport, size);
    expect(seen.cut).toEqual([]);
    expect(seen.visible).toContain('n0');
    expect(seen.visible.length).toBeGreaterThanOrEqual(12);
  });

  it('goes below the legible zoom only to keep a run path in view, and only as far as needed', () => {
    const boxes = row(12);
    const size = { width: 900, height: 600 };
    const path = ['n0', 'n1', 'n2', 'n3', 'n4'];
    // Five nodes need 1,240 px: at 0.75 they do not fit in 900, at 0.7 they do.
    const plan = planView(boxes, size, { must: path, minZoom: 0.6 });
    expect(plan.viewport.zoom).toBe(0.7);
    expect(check(boxes, plan.viewport, size).visible).toEqual(expect.arrayContaining(path));
    // Without the allowance: legible, and the last node of the path (where the run is) in view.
    const legible = planView(boxes, size, { must: path });
    expect(legible.viewport.zoom).toBe(LEGIBLE_ZOOM);
    expect(check(boxes, legible.viewport, size).visible).toContain('n4');
    // A path longer than the allowance can show: its last node, legibly.
    const long = planView(boxes, size, { must: boxes.map((box) => box.id), minZoom: 0.6 });
    expect(long.viewport.zoom).toBe(LEGIBLE_ZOOM);
    expect(check(boxes, long.viewport, size).visible).toContain('n11');
  });

  it('handles an empty graph, an empty canvas and a node larger than the canvas', () => {
    expect(planView([], { width: 800, height: 600 })).toMatchObject({ whole: true, visible: [] });
    expect(planView(row(2), { width: 0, height: 0 }).visible).toEqual([]);
    const huge = planView([{ id: 'big', x: 0, y: 0, width: 5000, height: 5000 }], { width: 800, height: 600 }, { must: ['big'] });
    expect(huge.viewport.zoom).toBe(LEGIBLE_ZOOM);
    expect(huge.whole).toBe(false);
    // An id that must be seen but is not in the graph is ignored.
    expect(planView(row(12), { width: 900, height: 600 }, { must: ['nope'] }).visible.length).toBeGreaterThan(3);
  });
});
