// The editor in a browser (issue 5): a 500-node, 600-edge draft saved through the services, then
// opened in Debian's Chromium (headless, software rendering, 1440×900) against a real server, as
// the browser tests do. Figures: navigation → the first view drawn (the editor opens a big graph at
// a legible zoom, 0.75 or more, at its start, so only the nodes in that view are rendered:
// onlyRenderVisibleElements; web/editor/view-plan.ts); then the
// rAF frame time while the pane is dragged for 3 s at that opening zoom, and at zoom 1.
// `npm run bench` runs it after the engine benchmarks; `npx tsx bench/editor.ts` runs it alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Graph, GraphEdge, GraphNode } from '../shared/graph/graph.schema.js';
import { validateGraph } from '../shared/validate.js';
import { openWorld, setUpOwner } from '../web/e2e/browser.js';
import { median } from './stats.js';

export const EDITOR_TARGETS = {
  /** Navigation to the editor's fitted view drawn, for a 500-node graph. */
  openMs: 2_000,
  /** Median requestAnimationFrame interval while panning. */
  panFrameMs: 20,
} as const;

const NODES = 500;
const EDGES = 600;
const SLUG = 'bench-500';
const OPEN_ROUNDS = 3;
const PAN_SECONDS = 3;
const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = path.join(root, 'bench-results', 'editor.json');

export interface OpenRound {
  /** From navigation start (the page's time origin) to the first frame with a canvas node. */
  firstNodeMs: number;
  /** …to the first frame after every node of the fitted view is measured and visible. */
  drawnMs: number;
  /** …to the first of two frames in a row under 50 ms apart after that: the main thread is free. */
  interactiveMs: number;
  /** Nodes React Flow rendered (onlyRenderVisibleElements: the ones in view). */
  renderedNodes: number;
}

export interface PanResult {
  zoom: number;
  /** Nodes in the DOM when the drag started. */
  renderedNodes: number;
  frames: number;
  seconds: number;
  /** Of the rAF intervals during the drag. */
  frameMs: { median: number; p95: number; max: number };
  /** Pointer moves sent (each one a CDP round trip). */
  moves: number;
}

export interface EditorResult {
  nodes: number;
  edges: number;
  viewport: { width: number; height: number };
  chromium: string;
  /** Untimed first open (cold caches, JIT), then the timed rounds. */
  warmup: OpenRound;
  rounds: OpenRound[];
  openMs: { firstNode: number; drawn: number; interactive: number };
  panFitted: PanResult;
  panZoom1: PanResult;
}

/**
 * 500 nodes, 600 edges, valid: start → 248 steps and 50 parallel blocks (parallel → three steps →
 * join) along one path → end, plus one step's error port to the end. Laid out 25 to a row in
 * path order (zoomed out to 0.1, the editor's minimum, every node shows).
 */
export function benchGraph(): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (kind: string, config: Record<string, unknown> = {}) => {
    const index = nodes.length;
    const id = `${kind}_${index}`;
    nodes.push({ id, kind, position: { x: (index % 25) * 280, y: Math.floor(index / 25) * 200 }, config });
    return id;
  };
  const link = (source: string, sourcePort: string, target: string) => edges.push({ id: `e${edges.length + 1}`, source, sourcePort, target });
  const step = () => add('step', { action: 'log', input: { message: `step ${nodes.length}` } });

  let tail = add('start');
  let tailPort = 'next';
  let firstStep: string | undefined;
  for (let block = 0; block < 50; block++) {
    for (let i = 0; i < (block < 48 ? 5 : 4); i++) {
      const id = step();
      firstStep ??= id;
      link(tail, tailPort, id);
      [tail, tailPort] = [id, 'ok'];
    }
    const split = add('parallel');
    link(tail, tailPort, split);
    const join = add('join');
    for (let branch = 0; branch < 3; branch++) {
      const id = step();
      link(split, 'branches', id);
      link(id, 'ok', join);
    }
    [tail, tailPort] = [join, 'next'];
  }
  while (nodes.length < NODES - 1) {
    const id = step();
    link(tail, tailPort, id);
    [tail, tailPort] = [id, 'ok'];
  }
  const end = add('end');
  link(tail, tailPort, end);
  link(firstStep!, 'error', end);
  // The join is placed before its branches in the list; fine for the grid, which is path order.
  return { format: 'cairn.graph/v2', nodes, edges };
}

/** Navigate to the editor and time it in the page, against the page's own time origin. */
async function openOnce(page: Page): Promise<OpenRound> {
  await page.goto(`/workflows/${SLUG}`, { waitUntil: 'commit' });
  return page.evaluate(
    (expected) =>
      new Promise<OpenRound>((resolve, reject) => {
        let firstNodeMs: number | undefined;
        let drawnMs: number | undefined;
        let renderedNodes = 0;
        let last = 0;
        let quietFrames = 0;
        let stableFrames = 0;
        let lastCount = -1;
        const deadline = performance.now() + 30_000;
        const frame = (now: number) => {
          if (now > deadline) return reject(new Error(`the editor did not draw ${expected} nodes in 30 s (${renderedNodes} drawn)`));
          const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
          if (firstNodeMs === undefined && nodes.length > 0) firstNodeMs = now;
          // The first view is drawn when its nodes (only those in view are rendered) stop changing.
          const visible = nodes.length > 0 && [...nodes].every((node) => node.style.visibility !== 'hidden');
          stableFrames = visible && nodes.length === lastCount ? stableFrames + 1 : 0;
          lastCount = nodes.length;
          if (drawnMs === undefined && stableFrames >= 3 && nodes.length <= expected) {
            drawnMs = now;
            renderedNodes = nodes.length;
          } else if (drawnMs !== undefined) {
            quietFrames = now - last < 50 ? quietFrames + 1 : 0;
            if (quietFrames === 2) return resolve({ firstNodeMs: firstNodeMs!, drawnMs, interactiveMs: now, renderedNodes });
          }
          last = now;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    NODES,
  );
}

const zoomOf = (page: Page) => page.locator('.react-flow__viewport').evaluate((element) => new DOMMatrix(getComputedStyle(element).transform).a);

/** A point on the empty pane near the canvas's top-left corner, to start a drag from. */
async function panePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.getByTestId('canvas').evaluate((canvas) => {
    const box = canvas.getBoundingClientRect();
    for (let y = box.top + 15; y < box.bottom - 15; y += 7) {
      for (let x = box.left + 15; x < box.right - 15; x += 7) {
        const hit = document.elementFromPoint(x, y);
        if (hit?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty pane to drag');
  return point;
}

/** Drag the pane back and forth for PAN_SECONDS while the page records every rAF interval. */
async function pan(page: Page): Promise<PanResult> {
  const zoom = await zoomOf(page);
  const renderedNodes = await page.locator('.react-flow__node').count();
  const start = await panePoint(page);
  await page.evaluate(() => {
    const state = window as unknown as { benchFrames: number[]; benchStop: boolean };
    state.benchFrames = [];
    state.benchStop = false;
    let last: number | undefined;
    const tick = (now: number) => {
      if (last !== undefined) state.benchFrames.push(now - last);
      last = now;
      if (!state.benchStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const began = Date.now();
  let moves = 0;
  // A slow loop of 300 px right and down and back, 10 px per move.
  for (let i = 0; Date.now() - began < PAN_SECONDS * 1000; i++) {
    const phase = i % 60;
    const offset = (phase < 30 ? phase : 60 - phase) * 10;
    await page.mouse.move(start.x + offset, start.y + offset / 2);
    moves++;
  }
  await page.mouse.up();
  const seconds = (Date.now() - began) / 1000;
  const frames = await page.evaluate(() => {
    const state = window as unknown as { benchFrames: number[]; benchStop: boolean };
    state.benchStop = true;
    return state.benchFrames;
  });
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    zoom,
    renderedNodes,
    frames: frames.length,
    seconds,
    frameMs: { median: median(frames), p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))], max: sorted.at(-1) ?? 0 },
    moves,
  };
}

export async function measureEditor(progress: (message: string) => void = () => undefined): Promise<EditorResult> {
  // A build of its own, in a temp folder: the one measured is the code as it is, and dist/web (which
  // browser tests may be serving meanwhile) is left alone.
  progress('editor: building the web app (vite build)');
  const webRoot = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-web-'));
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', webRoot, '--emptyOutDir'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('vite build failed');

  const graph = benchGraph();
  if (graph.nodes.length !== NODES || graph.edges.length !== EDGES) throw new Error(`bench graph has ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  const validation = validateGraph(graph, { actions: ['log'] });
  if (!validation.ok) throw new Error(`bench graph is not valid: ${validation.problems[0].message}`);

  const viewport = { width: 1440, height: 900 };
  const world = await openWorld({ seed: false, viewport, webRoot });
  try {
    const { page } = world;
    // tsx (esbuild, keepNames) wraps the named functions inside page.evaluate callbacks in __name().
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await setUpOwner(page);
    await world.server.services.workflows.saveDraft(SLUG, { name: 'Bench: 500 nodes', graph });

    progress(`editor: opening ${NODES} nodes, ${EDGES} edges (1 untimed + ${OPEN_ROUNDS} rounds)`);
    const warmup = await openOnce(page);
    const rounds: OpenRound[] = [];
    for (let round = 0; round < OPEN_ROUNDS; round++) rounds.push(await openOnce(page));

    progress(`editor: panning ${PAN_SECONDS} s at the fitted zoom, then at zoom 1`);
    const panFitted = await pan(page);
    // Zoom in with the canvas's + button (×1.2 a click) to about 1.
    for (let clicks = 0; clicks < 30 && (await zoomOf(page)) < 0.95; clicks++) {
      const before = await zoomOf(page);
      await page.locator('.react-flow__controls-zoomin').click();
      for (let wait = 0; wait < 50 && (await zoomOf(page)) === before; wait++) await page.waitForTimeout(20);
    }
    const panZoom1 = await pan(page);

    return {
      nodes: NODES,
      edges: EDGES,
      viewport,
      chromium: world.browser.version(),
      warmup,
      rounds,
      openMs: {
        firstNode: median(rounds.map((round) => round.firstNodeMs)),
        drawn: median(rounds.map((round) => round.drawnMs)),
        interactive: median(rounds.map((round) => round.interactiveMs)),
      },
      panFitted,
      panZoom1,
    };
  } finally {
    await world.close();
    rmSync(webRoot, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

export function formatEditorTable(result: EditorResult): string {
  const open = result.openMs;
  const rows: [string, string, string, string][] = [
    [`open ${result.nodes} nodes / ${result.edges} edges: navigation → view drawn (median of ${result.rounds.length})`, ms(open.drawn), `< ${ms(EDITOR_TARGETS.openMs)}`, verdict(open.drawn < EDITOR_TARGETS.openMs)],
    ['  rounds (drawn)', result.rounds.map((round) => Math.round(round.drawnMs)).join(' / '), '', ''],
    ['  first node drawn / main thread free', `${ms(open.firstNode)} / ${ms(open.interactive)}`, '', ''],
    ['  nodes drawn in the first view / untimed first open', `${result.rounds[0].renderedNodes} / ${ms(result.warmup.drawnMs)}`, '', ''],
  ];
  for (const [name, panned] of [
    ['fitted view', result.panFitted],
    ['zoom 1', result.panZoom1],
  ] as const) {
    rows.push(
      [`pan ${panned.seconds.toFixed(1)} s at ${name} (zoom ${panned.zoom.toFixed(2)}, ${panned.renderedNodes} nodes drawn): median frame`, ms(panned.frameMs.median), `< ${ms(EDITOR_TARGETS.panFrameMs)}`, verdict(panned.frameMs.median < EDITOR_TARGETS.panFrameMs)],
      ['  frames / p95 / max', `${panned.frames} / ${ms(panned.frameMs.p95)} / ${ms(panned.frameMs.max)}`, '', ''],
    );
  }
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => [row[0].padEnd(widths[0]), row[1].padStart(widths[1]), row[2].padEnd(widths[2]), row[3]].join('  ').trimEnd());
  const rule = '-'.repeat(Math.max(...lines.map((line) => line.length)));
  return [`Editor in Chromium ${result.chromium} (headless, no GPU, ${result.viewport.width}×${result.viewport.height})`, rule, ...lines, rule].join('\n');
}

export function writeEditorJson(result: EditorResult, file = RESULTS_FILE): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const document = {
    benchmark: 'cairn editor',
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
    targets: EDITOR_TARGETS,
    result,
    verdicts: {
      open: verdict(result.openMs.drawn < EDITOR_TARGETS.openMs),
      panFitted: verdict(result.panFitted.frameMs.median < EDITOR_TARGETS.panFrameMs),
      panZoom1: verdict(result.panZoom1.frameMs.median < EDITOR_TARGETS.panFrameMs),
    },
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  measureEditor((message) => process.stderr.write(`${message}\n`))
    .then((result) => {
      console.log(`\n${formatEditorTable(result)}`);
      console.log(`\nfigures written to ${writeEditorJson(result)}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
