// A readable canvas (issue 13), in Debian's Chromium against a real server seeded with the five
// examples: at 1440×900 and 1280×720 each example opens legible (zoom ≥ 0.75) with its start node in
// view and no node cut off at an edge or under the controls; Fit view stays legible and shows a
// minimap when the graph does not fit; edge labels sit on their edge and nothing hides them.
// Screenshots of each: test-results/screenshots/canvas-<example>-<size>-{first,fit}.png.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../server/seed/examples.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';
import { canvasGeometry, type CanvasGeometry } from './canvas-geometry.js';

const TEST_TIMEOUT = 90_000;
const LEGIBLE = 0.75;
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
];

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await openWorld();
  page = world.page;
  // esbuild's keepNames wraps functions inside page.evaluate callbacks in __name().
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

/** Wait until the canvas stops moving (a fit animates) and every node drawn is measured. */
async function settled(scope = '[data-testid=canvas]'): Promise<CanvasGeometry> {
  let last = '';
  let geometry: CanvasGeometry | undefined;
  await expect
    .poll(async () => {
      geometry = await canvasGeometry(page, scope);
      const now = JSON.stringify([geometry.zoom, geometry.visible, geometry.cut, geometry.labels.map((label) => label.offEdge)]);
      const same = now === last;
      last = now;
      return same && geometry.rendered.length > 0;
    }, { timeout: 15_000, interval: 150 })
    .toBe(true);
  return geometry!;
}

/** What the first view and Fit view promise, whatever the graph. */
function expectReadable(geometry: CanvasGeometry, nodeCount: number, what: string): void {
  expect(geometry.zoom, `${what}: zoom`).toBeGreaterThanOrEqual(LEGIBLE - 0.001);
  expect(geometry.cut, `${what}: nodes cut off at an edge`).toEqual([]);
  expect(geometry.covered, `${what}: nodes under the controls or minimap`).toEqual([]);
  // Not everything in view: then there is a minimap to steer by.
  if (geometry.visible.length < nodeCount) expect(geometry.minimap, `${what}: a minimap when the graph does not fit`).toBe(true);
  expect(geometry.labels.filter((label) => label.cut).map((label) => label.text), `${what}: edge labels cut at an edge`).toEqual([]);
  for (const label of geometry.labels.filter((item) => item.inView)) {
    expect(label.hidden, `${what}: edge label "${label.text}" (${label.edge}) hidden`).toBe(false);
    expect(label.offEdge, `${what}: edge label "${label.text}" (${label.edge}) away from its edge`).toBeLessThan(4);
  }
}

describe('the canvas of every example, at 1440×900 and 1280×720', () => {
  for (const size of SIZES) {
    for (const example of examples) {
      it(
        `${example.slug} at ${size.width}×${size.height}: legible first view with its start, and Fit view`,
        async () => {
          await page.setViewportSize(size);
          await openEditor(page, example.slug);
          const nodes = example.graph.nodes.length;
          const start = example.graph.nodes.find((node) => node.kind === 'start')!.id;

          const first = await settled();
          await screenshot(page, `canvas-${example.slug}-${size.width}x${size.height}-first`);
          expectReadable(first, nodes, 'first view');
          expect(first.visible, 'the start node is in view').toContain(start);
          // As much as fits: at least the nodes of a row of the canvas width.
          expect(first.visible.length).toBeGreaterThanOrEqual(Math.min(nodes, 4));

          await page.getByRole('button', { name: 'Fit view', exact: true }).first().click();
          const fitted = await settled();
          await screenshot(page, `canvas-${example.slug}-${size.width}x${size.height}-fit`);
          expectReadable(fitted, nodes, 'after Fit view');
          expect(fitted.visible.length).toBeGreaterThanOrEqual(first.visible.length);
        },
        TEST_TIMEOUT,
      );
    }
  }
});
