// Where the canvas looks: the first view of a graph and what Fit view does. A graph that fits the
// canvas at a legible zoom is shown whole and centred; one that does not is shown at a legible zoom
// with the nodes that must be seen (the start, or the selection) and as many others as fit, placed so
// that every node is either fully in view or fully out of it — never cut at an edge or hidden under
// the controls or the minimap. Pure: boxes and sizes in, a viewport out (tested without a browser).

/** Below this zoom a node's text is too small to read (its 13 px title draws under 10 px). */
export const LEGIBLE_ZOOM = 0.75;
/** A small graph is not blown up beyond its natural size. */
export const MAX_FIT_ZOOM = 1;
/** Space kept between the nodes in view and the canvas's edges, in screen px. */
export const VIEW_PADDING = 28;

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** An edge label: never cut either, but not counted or aligned to. */
  minor?: boolean;
}

/** A rectangle in the canvas's own screen px (0,0 is its top-left corner). */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface ViewPlan {
  viewport: Viewport;
  /** Every node is in view. */
  whole: boolean;
  /** The ids fully in view. */
  visible: string[];
}

export interface PlanOptions {
  /** Ids that must be fully in view (the start node; the selection). Unknown ids are ignored. */
  must?: readonly string[];
  /**
   * How far below the legible zoom the view may go to keep every `must` node in view (a run's path);
   * only when they cannot all be shown legibly. Default: not at all.
   */
  minZoom?: number;
  /** Parts of the canvas covered by its own panels (controls, minimap): no node may be under one. */
  avoid?: readonly ScreenRect[];
  padding?: number;
}

/**
 * The canvas's own panels in its corners, as view-plan.ts avoids them: the controls (bottom left,
 * horizontal) and, when shown, the minimap (bottom right). Canvas.tsx and RunGraph.tsx draw them at
 * these sizes (MINIMAP_SIZE; React Flow's 15 px panel margin).
 */
export const MINIMAP_SIZE = { width: 180, height: 120 } as const;
/** On a small canvas (a 720 px high window) the minimap is smaller, so it covers less of the graph. */
export const SMALL_MINIMAP_SIZE = { width: 140, height: 90 } as const;
export const minimapSize = (size: { width: number; height: number }) => (size.height < 560 || size.width < 760 ? SMALL_MINIMAP_SIZE : MINIMAP_SIZE);
export function panelRects(size: { width: number; height: number }, minimap: boolean): ScreenRect[] {
  const controls = { left: 0, top: size.height - 52, right: 112, bottom: size.height };
  if (!minimap) return [controls];
  const map = minimapSize(size);
  return [controls, { left: size.width - map.width - 24, top: size.height - map.height - 24, right: size.width, bottom: size.height }];
}

export function bounds(boxes: readonly Box[]): { x: number; y: number; width: number; height: number } {
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The zoom at which the whole graph fits the canvas with its padding. */
export function fitZoom(boxes: readonly Box[], size: { width: number; height: number }, padding = VIEW_PADDING): number {
  if (boxes.length === 0) return MAX_FIT_ZOOM;
  const box = bounds(boxes);
  return Math.min((size.width - 2 * padding) / Math.max(box.width, 1), (size.height - 2 * padding) / Math.max(box.height, 1));
}

/** Whether the graph fits the canvas at a legible zoom (if not, the canvas shows a minimap). */
export const fitsLegibly = (boxes: readonly Box[], size: { width: number; height: number }) => fitZoom(boxes, size) >= LEGIBLE_ZOOM;

const overlaps = (a: ScreenRect, b: ScreenRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * How a viewport shows the boxes: the nodes fully in view (inside the canvas and under no panel) and
 * how many edge labels it cuts; null when it cuts a node (partly in the canvas, or under a panel).
 */
function assess(boxes: readonly Box[], viewport: Viewport, size: { width: number; height: number }, avoid: readonly ScreenRect[]): { visible: string[]; cutLabels: number } | null {
  const visible: string[] = [];
  let cutLabels = 0;
  const canvas = { left: 0, top: 0, right: size.width, bottom: size.height };
  for (const box of boxes) {
    const rect = {
      left: box.x * viewport.zoom + viewport.x,
      top: box.y * viewport.zoom + viewport.y,
      right: (box.x + box.width) * viewport.zoom + viewport.x,
      bottom: (box.y + box.height) * viewport.zoom + viewport.y,
    };
    if (!overlaps(rect, canvas)) continue;
    const inside = rect.left >= 0 && rect.top >= 0 && rect.right <= size.width && rect.bottom <= size.height;
    const whole = inside && !avoid.some((panel) => overlaps(rect, panel));
    if (box.minor) cutLabels += whole ? 0 : 1;
    else if (!whole) return null;
    else visible.push(box.id);
  }
  return { visible, cutLabels };
}

/**
 * Translations where a best window may begin: some box's near or far side at the padding, or just
 * past the canvas's edge (the box fully out of view, its neighbour as far in as it can be).
 */
function offsets(starts: number[], ends: number[], zoom: number, extent: number, padding: number): number[] {
  const values = new Set<number>();
  // Out of view by a few px more than the box, so its shadow does not show at the edge either.
  for (const start of starts) values.add(Math.round(padding - start * zoom)).add(Math.ceil(extent - start * zoom) + 4);
  for (const end of ends) values.add(Math.round(extent - padding - end * zoom)).add(Math.floor(-end * zoom) - 4);
  return [...values];
}

/** The whole graph, centred, at its fitting zoom (at most MAX_FIT_ZOOM). */
function centred(boxes: readonly Box[], size: { width: number; height: number }, zoom: number): Viewport {
  const box = bounds(boxes);
  return { zoom, x: Math.round((size.width - box.width * zoom) / 2 - box.x * zoom), y: Math.round((size.height - box.height * zoom) / 2 - box.y * zoom) };
}

export function planView(boxes: readonly Box[], size: { width: number; height: number }, options: PlanOptions = {}): ViewPlan {
  const padding = options.padding ?? VIEW_PADDING;
  const avoid = options.avoid ?? [];
  if (boxes.length === 0 || size.width <= 0 || size.height <= 0) return { viewport: { x: padding, y: padding, zoom: MAX_FIT_ZOOM }, whole: boxes.length === 0, visible: [] };

  const fit = fitZoom(boxes, size, padding);
  if (fit >= LEGIBLE_ZOOM) {
    const viewport = centred(boxes, size, Math.min(fit, MAX_FIT_ZOOM));
    const seen = assess(boxes, viewport, size, avoid);
    if (seen && seen.visible.length === boxes.filter((box) => !box.minor).length) return { viewport, whole: true, visible: seen.visible };
  }

  const majors = boxes.filter((box) => !box.minor);
  const ids = new Set(majors.map((box) => box.id));
  const must = (options.must ?? []).filter((id) => ids.has(id));
  const mustBoxes = majors.filter((box) => must.includes(box.id));
  let best: { viewport: Viewport; visible: string[]; cutLabels: number; left: number; balance: number } | undefined;
  // The most nodes in view wins; then the higher zoom; then the fewest edge labels cut at an edge;
  // then the view that starts at the left (a graph flows to the right: what does not fit continues
  // there); then the most centred vertically.
  const legible = [MAX_FIT_ZOOM, 0.9, 0.8, LEGIBLE_ZOOM].filter((value) => value <= Math.max(fit, LEGIBLE_ZOOM) || value === LEGIBLE_ZOOM);
  const smaller = [0.7, 0.65, 0.6, 0.55, 0.5].filter((value) => value >= (options.minZoom ?? LEGIBLE_ZOOM));
  for (const zoom of [...legible, ...smaller]) {
    // Below the legible zoom only to fit what must be seen, and no lower than needed for it.
    if (best && zoom < LEGIBLE_ZOOM) break;
    const keepsMust = (axis: 'x' | 'y', offset: number) => {
      const extent = axis === 'x' ? size.width : size.height;
      return mustBoxes.every((box) => box[axis] * zoom + offset >= 0 && (box[axis] + (axis === 'x' ? box.width : box.height)) * zoom + offset <= extent);
    };
    const xs = offsets(majors.map((box) => box.x), majors.map((box) => box.x + box.width), zoom, size.width, padding).filter((x) => keepsMust('x', x));
    const ys = offsets(majors.map((box) => box.y), majors.map((box) => box.y + box.height), zoom, size.height, padding).filter((y) => keepsMust('y', y));
    for (const x of xs) {
      for (const y of ys) {
        const viewport = { x, y, zoom };
        const seen = assess(boxes, viewport, size, avoid);
        if (!seen || seen.visible.length === 0 || (best && seen.visible.length < best.visible.length)) continue;
        const { visible, cutLabels } = seen;
        const inView = new Set(visible);
        const shown = bounds(majors.filter((box) => inView.has(box.id)));
        const left = Math.abs(shown.x * zoom + x - padding);
        const balance = Math.abs(shown.y * zoom + y - (size.height - (shown.y + shown.height) * zoom - y));
        const order = (other: NonNullable<typeof best>) =>
          other.visible.length - visible.length || other.viewport.zoom - zoom || cutLabels - other.cutLabels || (Math.abs(left - other.left) > 0.5 ? left - other.left : balance - other.balance);
        if (!best || order(best) < 0) best = { viewport, visible, cutLabels, left, balance };
      }
    }
  }
  // Several nodes that must be seen but cannot all be (a big selection, a long path): the last of
  // them (where a run is now) will do.
  if (!best && must.length > 1) return planView(boxes, size, { ...options, must: must.slice(-1) });
  if (!best) {
    // Nothing can be placed uncut (a node larger than the canvas): show the first one that must be seen.
    const anchor = mustBoxes[0] ?? majors[0];
    return { viewport: { x: Math.round(padding - anchor.x * LEGIBLE_ZOOM), y: Math.round(padding - anchor.y * LEGIBLE_ZOOM), zoom: LEGIBLE_ZOOM }, whole: false, visible: [] };
  }
  return { viewport: centreVertically(boxes, size, avoid, best), whole: best.visible.length === majors.length, visible: best.visible };
}

/**
 * Move the nodes in view towards the vertical middle — all the way, or as far as keeps the same
 * nodes in view and none cut (a panel in a corner may be in the way).
 */
function centreVertically(boxes: readonly Box[], size: { width: number; height: number }, avoid: readonly ScreenRect[], chosen: { viewport: Viewport; visible: string[]; cutLabels: number }): Viewport {
  const { viewport, visible } = chosen;
  const inView = new Set(visible);
  const shown = bounds(boxes.filter((box) => !box.minor && inView.has(box.id)));
  const centre = (size.height - shown.height * viewport.zoom) / 2 - shown.y * viewport.zoom;
  for (const share of [1, 0.75, 0.5, 0.25]) {
    const candidate = { ...viewport, y: Math.round(viewport.y + (centre - viewport.y) * share) };
    const now = assess(boxes, candidate, size, avoid);
    if (now && now.cutLabels <= chosen.cutLabels && now.visible.length === visible.length && now.visible.every((id) => inView.has(id))) return candidate;
  }
  return viewport;
}
