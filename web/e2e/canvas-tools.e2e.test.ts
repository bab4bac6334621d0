// The editor's canvas tools (issue 13, list 7), in Debian's Chromium against a real server seeded with
// the examples: palette items added by click and Enter at the view's centre; Ctrl+K finds a node or
// adds one; nodes, ports and palette items have accessible names (and a port connects by keyboard);
// the problems panel never squeezes the canvas; the versions drawer compares any two versions (or one
// with the draft) field by field; the drain view is linked from the editor and the workflows list.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { type BrowserWorld, editDraft, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';
import { canvasGeometry } from './canvas-geometry.js';

const TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 15_000 };

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await openWorld();
  page = world.page;
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

const nodeIds = () => page.locator('.react-flow__node').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id')));
const serverDraft = async (slug: string): Promise<Graph> => (await world.server.services.workflows.get(slug)).draft as Graph;

/** Where a node is drawn, relative to the canvas's centre (in screen px). */
async function offCentre(id: string): Promise<{ dx: number; dy: number }> {
  const canvas = (await page.locator('[data-testid=canvas] .react-flow').boundingBox())!;
  const node = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  return { dx: node.x + node.width / 2 - (canvas.x + canvas.width / 2), dy: node.y + node.height / 2 - (canvas.y + canvas.height / 2) };
}

describe('the canvas tools, in a browser', () => {
  it(
    'adds palette kinds by click and by Enter at the centre of the view, and names nodes, ports and palette items',
    async () => {
      // A start on the left and an end on the right: the middle of the first view is free.
      const nodes = [
        { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'end', kind: 'end', position: { x: 640, y: 0 }, config: {} },
      ];
      await editDraft(world, 'tools', { name: 'Tools', graph: { format: 'cairn.graph/v1', nodes, edges: [] } });

      // A click on the palette item adds the kind in the middle of what the canvas shows, selected.
      await page.getByRole('button', { name: 'Add Wait', exact: true }).click();
      await expect.poll(nodeIds, WAIT).toContain('wait');
      const wait = await offCentre('wait');
      expect(Math.abs(wait.dx)).toBeLessThan(25);
      expect(Math.abs(wait.dy)).toBeLessThan(25);
      await expect.poll(() => page.getByTestId('node-wait').getAttribute('class')).toContain('cairn-node--selected');

      // Enter on a focused palette item adds too; the second goes next to the first, not over it.
      await page.getByRole('button', { name: 'Add Step', exact: true }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(nodeIds, WAIT).toContain('step');
      const [waitBox, stepBox] = await Promise.all(['wait', 'step'].map((id) => page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox()));
      const apart = stepBox!.x >= waitBox!.x + waitBox!.width || waitBox!.x >= stepBox!.x + stepBox!.width || stepBox!.y >= waitBox!.y + waitBox!.height || waitBox!.y >= stepBox!.y + stepBox!.height;
      expect(apart).toBe(true);
      await expect.poll(async () => (await serverDraft('tools')).nodes.map((node) => node.id).sort(), WAIT).toEqual(['end', 'start', 'step', 'wait']);

      // Names: every palette item, each node (label and kind), its input and each output port.
      for (const label of ['Start', 'Branch', 'Parallel', 'Join', 'Sub-workflow', 'End', 'Fail', 'Step', 'Wait', 'Wait for event', 'Approval', 'AI']) {
        await page.getByRole('button', { name: `Add ${label}`, exact: true }).waitFor(WAIT);
      }
      await page.getByRole('group', { name: 'Start, start node' }).waitFor(WAIT);
      await page.getByRole('group', { name: 'Step, step node' }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Output next of Start', exact: true }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Output ok of Step', exact: true }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Output error of Step', exact: true }).waitFor(WAIT);
      await page.getByRole('button', { name: 'Input of Wait', exact: true }).waitFor(WAIT);
      expect(await page.getByRole('button', { name: 'Input of Start' }).count()).toBe(0);

      // A port connects by keyboard: Enter on an output, then Enter on an input.
      await page.getByRole('button', { name: 'Output next of Start', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Input of Step', exact: true }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await serverDraft('tools')).edges.map((edge) => `${edge.source}.${edge.sourcePort}->${edge.target}`), WAIT).toEqual(['start.next->step']);
      await screenshot(page, 'canvas-tools-palette');
    },
    TEST_TIMEOUT,
  );

  it(
    'finds a node with Ctrl+K and goes to it, and adds a kind from the same box',
    async () => {
      await openEditor(page, 'order-fulfilment');
      // "Fulfilled" (the end, far right) is out of view at first.
      expect(await nodeIds()).not.toContain('fulfilled');
      await page.keyboard.press('Control+k');
      const box = page.getByRole('combobox', { name: 'Find a node or add one' });
      await box.waitFor(WAIT);
      await box.fill('fulfil');
      await page.getByRole('option', { name: /Go to Fulfilled/ }).waitFor(WAIT);
      await screenshot(page, 'canvas-tools-find');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Find or add a node' }).waitFor({ state: 'detached', ...WAIT });
      await expect.poll(async () => (await canvasGeometry(page)).visible, WAIT).toContain('fulfilled');
      await expect.poll(() => page.getByTestId('node-fulfilled').getAttribute('class')).toContain('cairn-node--selected');
      // Once the move has ended (it zooms out in flight), at a legible zoom.
      await expect.poll(async () => (await canvasGeometry(page)).zoom, WAIT).toBeGreaterThanOrEqual(0.75 - 0.001);

      // Typing a kind offers to add it; arrows move, Enter adds at the view's centre.
      await page.keyboard.press('Meta+k');
      await box.fill('branch');
      const add = page.getByRole('option', { name: /Add Branch/ });
      await add.waitFor(WAIT);
      for (let moves = 0; moves < 20 && (await add.getAttribute('aria-selected')) !== 'true'; moves++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(nodeIds, WAIT).toContain('branch');
      // The middle holds "Fulfilled" now: the new node goes just below and right of it, over no node, in view.
      const branch = await offCentre('branch');
      expect(Math.hypot(branch.dx, branch.dy)).toBeLessThan(200);
      const boxes = await page.locator('.react-flow__node').evaluateAll((elements) => elements.map((element) => ({ id: element.getAttribute('data-id'), ...element.getBoundingClientRect().toJSON() })));
      const added = boxes.find((item) => item.id === 'branch')!;
      const overlapping = boxes.filter((item) => item.id !== 'branch' && item.left < added.right && added.left < item.right && item.top < added.bottom && added.top < item.bottom);
      expect(overlapping).toEqual([]);
      expect((await canvasGeometry(page)).visible).toContain('branch');

      // Escape closes without doing anything; nothing matching says so.
      await page.keyboard.press('Control+k');
      await box.fill('no such thing');
      await page.getByRole('dialog').getByText('Nothing matches').waitFor(WAIT);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Find or add a node' }).waitFor({ state: 'detached', ...WAIT });
      await page.getByTestId('undo').click();
      await expect.poll(nodeIds, WAIT).not.toContain('branch');
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps the canvas the same size with one problem or many',
    async () => {
      await openEditor(page, 'tools');
      // The draft from the first test has problems (the wait leads nowhere, nothing leads to it).
      await page.getByTestId('problems').locator('li').first().waitFor(WAIT);
      const before = (await page.getByTestId('canvas').boundingBox())!;
      for (let added = 0; added < 12; added++) await page.getByRole('button', { name: 'Add Fail', exact: true }).click();
      await expect.poll(() => page.getByTestId('problems').locator('li').count(), WAIT).toBeGreaterThanOrEqual(12);
      const after = (await page.getByTestId('canvas').boundingBox())!;
      expect(after).toEqual(before);
      // The list scrolls inside its own fixed height.
      const list = await page.getByTestId('problems').locator('ul').evaluate((element) => ({ client: element.clientHeight, scroll: element.scrollHeight }));
      expect(list.scroll).toBeGreaterThan(list.client);
      await screenshot(page, 'canvas-tools-many-problems');
      // The list folds away when the author wants the room, and comes back.
      const toggle = page.getByRole('button', { name: 'Hide list' });
      await toggle.click();
      await expect.poll(async () => (await page.getByTestId('canvas').boundingBox())!.height, WAIT).toBeGreaterThan(before.height + 60);
      await page.getByRole('button', { name: 'Show list' }).click();
      await expect.poll(async () => (await page.getByTestId('canvas').boundingBox())!.height, WAIT).toBe(before.height);
    },
    TEST_TIMEOUT,
  );

  it(
    'compares two versions, or a version with the draft, field by field; the drain view is a click away',
    async () => {
      const { workflows } = world.server.services;
      const slug = 'expense-approval';
      // Version 2: the manager gets 5 days and the role "managers"; the draft then renames the step.
      const v1 = (await workflows.version(slug, 1)).graph as Graph;
      const v2: Graph = structuredClone(v1);
      const manager = v2.nodes.find((node) => node.id === 'manager')!;
      manager.config = { ...manager.config, timeout: '5d', assignees: { roles: ['managers'] } };
      await workflows.saveDraft(slug, { graph: v2 });
      await workflows.publish(slug, 'five days');
      const draft: Graph = structuredClone(v2);
      draft.nodes.find((node) => node.id === 'notifyManager')!.label = 'Tell the manager';
      await workflows.saveDraft(slug, { graph: draft });

      await openEditor(page, slug);
      await page.getByTestId('versions-button').click();
      const drawer = page.getByTestId('versions-drawer');
      await drawer.getByTestId('compare-from').selectOption('1');
      await drawer.getByTestId('compare-to').selectOption('2');
      await drawer.getByTestId('compare').click();
      await page.getByTestId('viewing-version').getByText('Changes from version 1 to version 2').waitFor(WAIT);
      const timeout = drawer.getByTestId('diff-field-manager-timeout');
      await timeout.waitFor(WAIT);
      expect(await timeout.textContent()).toBe('timeout “7d” → “5d”');
      expect(await drawer.getByTestId('diff-field-manager-assignees.roles').textContent()).toBe('assignees.roles ["manager"] → ["managers"]');
      // On the canvas the changed node says which fields changed; nothing else is marked.
      await page.getByTestId('node-changes-manager').getByText('assignees.roles, timeout').waitFor(WAIT);
      expect(await page.locator('.cairn-node--changed, .cairn-node--added, .cairn-node--removed').count()).toBe(1);
      await screenshot(page, 'canvas-tools-diff-versions');

      // Version 2 with the draft: only the label.
      await drawer.getByTestId('compare-from').selectOption('2');
      await drawer.getByTestId('compare-to').selectOption('draft');
      await drawer.getByTestId('compare').click();
      await page.getByTestId('viewing-version').getByText('Changes since version 2').waitFor(WAIT);
      expect(await drawer.getByTestId('diff-field-notifyManager-label').textContent()).toBe('label “Notify the manager” → “Tell the manager”');
      expect(await drawer.getByTestId('diff-changes').locator('[data-testid^=diff-field-]').count()).toBe(1);

      // The drain view: from the drawer, and from the workflows list.
      await drawer.getByRole('link', { name: 'Runs in flight' }).click();
      await page.getByTestId('versions-drain').waitFor(WAIT);
      expect(new URL(page.url()).pathname).toBe(`/workflows/${slug}/drain`);
      await page.goto('/');
      await page.getByRole('link', { name: 'Versions of Expense approval and their runs in flight' }).click();
      await page.getByTestId('versions-drain').waitFor(WAIT);
      await page.getByTestId('drain-version-2').waitFor(WAIT);
      expect(new URL(page.url()).pathname).toBe(`/workflows/${slug}/drain`);
      await page.getByTestId('drain-graph-2').locator('.react-flow__node').first().waitFor(WAIT);
      await page.getByTestId('drain-none-2').getByText('no run waits on it').waitFor(WAIT);
      await screenshot(page, 'canvas-tools-drain');
    },
    TEST_TIMEOUT,
  );
});
