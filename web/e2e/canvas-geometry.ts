// What a person sees of a React Flow canvas, measured in the page: the zoom, which nodes are fully
// in view, cut off at an edge or covered by the controls or minimap, and whether each edge label is
// on its edge and not hidden. Browser specs assert on it (canvas.e2e.test.ts).
import type { Page } from 'playwright-core';

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface CanvasGeometry {
  zoom: number;
  pane: Rect;
  /** Node ids in the DOM (React Flow renders those in view, and a few it has not culled). */
  rendered: string[];
  /** Fully inside the pane and under no overlay. */
  visible: string[];
  /** Partly inside the pane: cut off at an edge. */
  cut: string[];
  /** Inside the pane but partly under the controls or the minimap. */
  covered: string[];
  minimap: boolean;
  labels: { text: string; edge: string; inView: boolean; cut: boolean; hidden: boolean; offEdge: number }[];
}

/** Measure the canvas inside `scope` (a CSS selector for the element holding one React Flow). */
export async function canvasGeometry(page: Page, scope = '[data-testid=canvas]'): Promise<CanvasGeometry> {
  return page.evaluate((scopeSelector) => {
    const root = document.querySelector(scopeSelector);
    const flow = root?.querySelector<HTMLElement>('.react-flow');
    if (!root || !flow) throw new Error(`no canvas in ${scopeSelector}`);
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    };
    const inside = (inner: Rect, outer: Rect, slack = 0.5) => inner.left >= outer.left - slack && inner.top >= outer.top - slack && inner.right <= outer.right + slack && inner.bottom <= outer.bottom + slack;
    const overlaps = (a: Rect, b: Rect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const pane = box(flow);
    const viewport = flow.querySelector<HTMLElement>('.react-flow__viewport');
    const zoom = viewport ? new DOMMatrix(getComputedStyle(viewport).transform).a : 1;
    const overlays = [...flow.querySelectorAll('.react-flow__controls, .react-flow__minimap, .react-flow__panel.cairn-overlay')].map(box);
    const minimap = flow.querySelector('.react-flow__minimap') !== null;

    const rendered: string[] = [];
    const visible: string[] = [];
    const cut: string[] = [];
    const covered: string[] = [];
    for (const node of flow.querySelectorAll<HTMLElement>('.react-flow__node')) {
      if (node.style.visibility === 'hidden') continue;
      const id = node.dataset.id ?? '?';
      const rect = box(node);
      rendered.push(id);
      if (!overlaps(rect, pane)) continue;
      if (!inside(rect, pane)) cut.push(id);
      else if (overlays.some((overlay) => overlaps(rect, overlay))) covered.push(id);
      else visible.push(id);
    }

    const labels = [...flow.querySelectorAll<Element>('.cairn-edge-label, .react-flow__edge-textwrapper')].map((label) => {
      const rect = box(label);
      const edgeElement = label.closest('.react-flow__edge') ?? flow.querySelector(`.react-flow__edge[data-id="${label.getAttribute('data-edge') ?? ''}"]`);
      const edge = edgeElement?.getAttribute('data-id') ?? '?';
      const inView = inside(rect, pane);
      const cut = !inView && overlaps(rect, pane);
      // Hidden: at some inner point of the label, something else (a node) is on top.
      const points: [number, number][] = [
        [(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2],
        [rect.left + 3, rect.top + 3],
        [rect.right - 3, rect.top + 3],
        [rect.left + 3, rect.bottom - 3],
        [rect.right - 3, rect.bottom - 3],
      ];
      const hidden = inView && points.some(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return !hit || !(label === hit || label.contains(hit));
      });
      // On its edge: the distance from the label's centre to the nearest point of the edge's path.
      let offEdge = Number.POSITIVE_INFINITY;
      const path = edgeElement?.querySelector<SVGPathElement>('path.react-flow__edge-path');
      const matrix = path?.getScreenCTM();
      if (path && matrix) {
        const [cx, cy] = points[0];
        const length = path.getTotalLength();
        for (let step = 0; step <= 200; step++) {
          const point = path.getPointAtLength((length * step) / 200).matrixTransform(matrix);
          offEdge = Math.min(offEdge, Math.hypot(point.x - cx, point.y - cy));
        }
      }
      return { text: label.textContent ?? '', edge, inView, cut, hidden, offEdge };
    });
    return { zoom, pane, rendered, visible, cut, covered, minimap, labels };
  }, scope);
}
