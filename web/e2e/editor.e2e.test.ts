// The editor end to end (issue 5), in Debian's Chromium against a real server: build a workflow from
// the palette, connect it, configure it in the inspector, see and fix a problem, undo and redo,
// autosave, publish twice and diff; copy and paste; a conflicting save. Writes the editor screenshots.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { validateGraph } from '../../shared/validate.js';
import { layoutPositions } from '../editor/auto-layout.js';
import { type BrowserWorld, editDraft, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 15_000 };

let world: BrowserWorld;
let page: Page;
/** Uncaught errors and console errors in the page: each test expects none. */
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await openWorld();
  page = world.page;
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

// A failing test leaves a picture of where it stood; an error in the page fails the test.
afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

// —— helpers ——

const node = (id: string) => page.getByTestId(`node-${id}`);
const canvasNodes = () => page.locator('.react-flow__node');
const nodeCount = () => canvasNodes().count();

/** The canvas's zoom, from React Flow's viewport transform. */
const viewportZoom = () => page.locator('.react-flow__viewport').evaluate((element) => new DOMMatrix(getComputedStyle(element).transform).a);

/** The draft as the server has it now. */
const serverDraft = async (slug: string) => (await world.server.services.workflows.get(slug)).draft;

async function waitSaved(): Promise<void> {
  await page.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box (not visible)');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag a kind from the palette onto the canvas, at a point relative to the canvas; returns the new node's id. */
async function dropKind(kind: string, at: { x: number; y: number }): Promise<string> {
  const before = new Set(await page.locator('.cairn-node').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid'))));
  await page.dragAndDrop(`[data-testid=palette-${kind}]`, '[data-testid=canvas]', { targetPosition: at });
  let added: string | undefined;
  await expect
    .poll(async () => {
      const now = await page.locator('.cairn-node').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
      added = now.find((testId): testId is string => testId !== null && !before.has(testId));
      return added;
    }, WAIT)
    .toBeDefined();
  return added!.slice('node-'.length);
}

/** Draw an edge: press on the source's output handle, move to the target's input handle, release. */
async function connect(source: string, port: string, target: string): Promise<void> {
  const from = await center(page.getByTestId(`handle-${source}-${port}`));
  const to = await center(node(target).locator('.react-flow__handle.target'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await edge(source, target).waitFor(WAIT);
}

/** The canvas's edge from one node to another (React Flow labels each edge "Edge from A to B"). */
const edge = (source: string, target: string) => page.locator(`.react-flow__edge[aria-label="Edge from ${source} to ${target}"]`);

/** Select one node by clicking its title (not a handle). */
async function selectNode(id: string, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
  await node(id).locator('.cairn-node__title').click({ modifiers });
}

async function publish(note: string): Promise<void> {
  const button = page.getByTestId('publish');
  await expect.poll(() => button.isEnabled(), WAIT).toBe(true);
  await button.click();
  await page.getByTestId('publish-note').fill(note);
  await page.getByTestId('publish-confirm').click();
  await page.getByTestId('notice').getByText(/Published version \d+/).waitFor(WAIT);
  await page.getByTestId('publish-dialog').waitFor({ state: 'hidden', ...WAIT });
}

/** start → check → branch on the amount → a manager, then finance, or straight on → pay and notify in parallel → join → wait → end. */
function twelveNodeGraph(): Graph {
  const nodes: Graph['nodes'] = [
    { id: 'start', kind: 'start', config: {} },
    { id: 'check', kind: 'step', label: 'Check the claim', config: { action: 'transform', input: { expression: 'amount > 0', data: '{{ input }}' } } },
    { id: 'large', kind: 'branch', label: 'Over 1,000?', config: { condition: '{{ input.amount > 1000 }}' } },
    { id: 'manager', kind: 'approval', label: 'Manager approves', config: { title: 'Expense of {{ input.amount }}', assignees: { roles: ['manager'] }, timeout: '3d' } },
    { id: 'finance', kind: 'approval', label: 'Finance approves', config: { title: 'Large expense of {{ input.amount }}', assignees: { roles: ['finance'] } } },
    { id: 'rejected', kind: 'end', label: 'Rejected', config: { output: '{{ { "paid": false } }}' } },
    { id: 'split', kind: 'parallel', label: 'Pay and notify', config: {} },
    { id: 'pay', kind: 'step', label: 'Pay out', config: { action: 'log', input: { message: 'Paying {{ input.amount }}' } } },
    { id: 'notify', kind: 'step', label: 'Tell the claimant', config: { action: 'log', input: { message: 'Your claim was approved' } } },
    { id: 'both', kind: 'join', config: {} },
    { id: 'settle', kind: 'wait', label: 'Let it settle', config: { duration: '1d' } },
    { id: 'paid', kind: 'end', label: 'Paid', config: { output: '{{ { "paid": true } }}' } },
  ].map((item) => ({ ...item, position: { x: 0, y: 0 } }));
  const links: [string, string, string][] = [
    ['start', 'next', 'check'],
    ['check', 'ok', 'large'],
    ['large', 'true', 'manager'],
    ['large', 'false', 'split'],
    ['manager', 'approved', 'finance'],
    ['manager', 'rejected', 'rejected'],
    ['finance', 'approved', 'split'],
    ['finance', 'rejected', 'rejected'],
    ['split', 'branches', 'pay'],
    ['split', 'branches', 'notify'],
    ['pay', 'ok', 'both'],
    ['notify', 'ok', 'both'],
    ['both', 'next', 'settle'],
    ['settle', 'next', 'paid'],
  ];
  const graph: Graph = { format: 'cairn.graph/v2', nodes, edges: links.map(([source, sourcePort, target], index) => ({ id: `e${index + 1}`, source, sourcePort, target })) };
  const positions = layoutPositions(graph);
  return { ...graph, nodes: graph.nodes.map((item) => ({ ...item, position: positions[item.id] })) };
}

// —— the tests ——

// One browser and server for the file: the tests run in order, and the ones after the first go on
// with the workflow it built ("purchase-request": start → step → approval → end, and end_2).
describe('the workflow editor, in a browser', () => {
  it(
    'builds, configures, validates, undoes, saves, publishes twice and diffs a workflow',
    async () => {
      // Create from the workflows page: the editor opens on a new draft with its start node.
      await page.goto('/');
      await page.getByTestId('new-workflow').click();
      await page.getByTestId('new-workflow-name').fill('Purchase request');
      await expect.poll(() => page.getByTestId('new-workflow-slug').inputValue()).toBe('purchase-request');
      await page.getByTestId('new-workflow-dialog').getByTestId('dialog-submit').click();
      await page.getByTestId('editor').waitFor(WAIT);
      expect(new URL(page.url()).pathname).toBe('/workflows/purchase-request');
      await node('start').waitFor(WAIT);
      await waitSaved();
      await screenshot(page, 'editor-empty');
      const slug = 'purchase-request';

      // The new draft's start node goes (Delete), and the four nodes come from the palette.
      await selectNode('start');
      await page.keyboard.press('Delete');
      await expect.poll(nodeCount).toBe(0);
      await page.getByTestId('problem-NO_START-graph').waitFor(WAIT);
      // Zoomed out twice (from the new draft's natural size, 1), three fit in a row and the end goes below.
      await page.locator('.react-flow__controls-zoomout').click();
      await page.locator('.react-flow__controls-zoomout').click();
      await expect.poll(viewportZoom, WAIT).toBeCloseTo(1 / 1.44, 2);
      const start = await dropKind('start', { x: 110, y: 150 });
      const step = await dropKind('step', { x: 330, y: 150 });
      const approval = await dropKind('approval', { x: 550, y: 150 });
      const end = await dropKind('end', { x: 760, y: 330 });
      expect([start, step, approval, end]).toEqual(['start', 'step', 'approval', 'end']);
      expect(await nodeCount()).toBe(4);

      // Connected port to input handle; each missing edge is a problem until it is drawn.
      await page.getByTestId(`problem-NO_OUTGOING_EDGE-${step}`).waitFor(WAIT);
      await connect(start, 'next', step);
      await connect(step, 'ok', approval);
      await connect(approval, 'approved', end);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);

      // Config through the inspector: the step runs `transform` with an expression and its data…
      await selectNode(step);
      const inspector = page.getByTestId('inspector');
      await inspector.locator('[data-testid=inspector-form][data-kind=step]').waitFor(WAIT);
      // (The input is transform's form: its Expression and Data fields.)
      await inspector.getByTestId('field-action').selectOption('transform');
      await inspector.getByTestId('field-input-expression').fill('amount * 2');
      // Leave the field first: its focused names list collapses on mousedown and the button below moves.
      await inspector.getByTestId('field-input-expression').blur();
      await inspector.getByTestId('field-input-data-mode-expression').click();
      await inspector.getByTestId('field-input-data').fill('{{ input }}');
      await node(step).getByText('transform').waitFor(WAIT);
      // …and the approval gets a title and the role that decides it.
      await selectNode(approval);
      await inspector.locator('[data-testid=inspector-form][data-kind=approval]').waitFor(WAIT);
      await inspector.getByTestId('field-title').fill('Approve {{ input.item }} for {{ input.amount }}');
      await inspector.getByTestId('field-assignees-roles').fill('finance');
      await inspector.getByTestId('node-label-input').fill('Finance approval');
      await node(approval).getByText('Finance approval').waitFor(WAIT);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);

      // A node left unconnected is a problem, in the panel and as a badge on the node.
      const stray = await dropKind('step', { x: 330, y: 420 });
      await page.getByTestId(`problem-UNREACHABLE-${stray}`).waitFor(WAIT);
      await page.getByTestId(`problem-NO_OUTGOING_EDGE-${stray}`).waitFor(WAIT);
      await expect.poll(() => page.getByTestId(`node-problems-${stray}`).textContent(), WAIT).toBe('2');
      expect(await node(stray).getAttribute('class')).toContain('cairn-node--problem');
      expect(await page.getByTestId('publish').isDisabled()).toBe(true);
      await screenshot(page, 'editor-problems');

      // Fixed by deleting it; undo brings it back, redo takes it away again.
      await selectNode(stray);
      await page.keyboard.press('Delete');
      await expect.poll(nodeCount).toBe(4);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);
      await page.getByTestId('undo').click();
      await expect.poll(nodeCount).toBe(5);
      await page.getByTestId(`problem-UNREACHABLE-${stray}`).waitFor(WAIT);
      await page.getByTestId('redo').click();
      await expect.poll(nodeCount).toBe(4);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);

      // Autosaved: the server's draft is the graph on the canvas, with the inspector's config.
      await waitSaved();
      const saved = await serverDraft(slug);
      expect(saved.nodes.map((item) => item.id).sort()).toEqual(['approval', 'end', 'start', 'step']);
      expect(saved.edges.map((item) => `${item.source}.${item.sourcePort}->${item.target}`).sort()).toEqual(['approval.approved->end', 'start.next->step', 'step.ok->approval']);
      expect(saved.nodes.find((item) => item.id === step)?.config).toMatchObject({ action: 'transform', input: { expression: 'amount * 2', data: '{{ input }}' } });
      expect(saved.nodes.find((item) => item.id === approval)).toMatchObject({
        label: 'Finance approval',
        config: { title: 'Approve {{ input.item }} for {{ input.amount }}', assignees: { roles: ['finance'] } },
      });

      // Publish version 1 with a note: the versions drawer lists it.
      await publish('First version');
      const v1 = page.getByTestId('versions-drawer').getByTestId('version-1');
      await v1.waitFor(WAIT);
      await v1.getByText('First version').waitFor(WAIT);
      await v1.getByText('active').waitFor(WAIT);

      // Edit: the step's expression changes, and the approval's rejections get their own end.
      await page.getByTestId('versions-drawer').getByRole('button', { name: 'Close versions' }).click();
      await selectNode(step);
      await inspector.getByTestId('field-input-expression').fill('amount * 3');
      const rejected = await dropKind('end', { x: 760, y: 500 });
      await connect(approval, 'rejected', rejected);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);
      await waitSaved();
      await publish('Triple it; rejections end on their own');
      const v2 = page.getByTestId('versions-drawer').getByTestId('version-2');
      await v2.waitFor(WAIT);
      await v2.getByText('active').waitFor(WAIT);
      await page.getByTestId('versions-drawer').getByTestId('version-1').getByText('retired').waitFor(WAIT);

      // The diff of version 1 with the draft: the step changed, the new end and its edge were added.
      await page.getByTestId('diff-version-1').click();
      await page.getByTestId('viewing-version').getByText('Changes since version 1').waitFor(WAIT);
      await node(rejected).and(page.locator('.cairn-node--added')).waitFor(WAIT);
      await node(step).and(page.locator('.cairn-node--changed')).waitFor(WAIT);
      await node(step).getByText('changed', { exact: true }).waitFor(WAIT);
      await node(rejected).getByText('added', { exact: true }).waitFor(WAIT);
      expect(await node(approval).getAttribute('class')).not.toMatch(/cairn-node--(added|changed|removed)/);
      expect(await edge(approval, rejected).getAttribute('class')).toContain('cairn-edge--added');
      await screenshot(page, 'editor-diff');
      await page.getByTestId('back-to-draft').click();
      await page.getByTestId('viewing-version').waitFor({ state: 'detached', ...WAIT });
      expect(await page.locator('.cairn-node--added, .cairn-node--changed').count()).toBe(0);
      expect(await nodeCount()).toBe(5);
      await page.getByTestId('versions-drawer').getByRole('button', { name: 'Close versions' }).click();
      await selectNode(approval);
      await page.getByTestId('node-label-input').and(page.locator('[value="Finance approval"]')).waitFor(WAIT);
    },
    TEST_TIMEOUT,
  );

  it(
    'selects an edge and deletes it; undo brings it back',
    async () => {
      const rejectedEdge = edge('approval', 'end_2');
      // Its label ("rejected") is drawn above the nodes, outside the edge's own element.
      await page.locator(`.cairn-edge-label[data-edge="${await rejectedEdge.getAttribute('data-id')}"]`).click();
      await expect.poll(() => rejectedEdge.getAttribute('class')).toContain('selected');
      await page.keyboard.press('Delete');
      await rejectedEdge.waitFor({ state: 'detached', ...WAIT });
      await page.getByTestId('problem-UNREACHABLE-end_2').waitFor(WAIT);
      await page.keyboard.press('Control+z');
      await rejectedEdge.waitFor(WAIT);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);
      await waitSaved();
    },
    TEST_TIMEOUT,
  );

  it(
    'copies two connected nodes and pastes them with new ids and the edge between them',
    async () => {
      const slug = 'purchase-request';
      expect(await nodeCount()).toBe(5);
      await selectNode('step');
      await selectNode('approval', ['Control']);
      await page.getByTestId('inspector-hint').getByText('2 nodes are selected').waitFor(WAIT);
      await page.keyboard.press('Control+c');
      await page.keyboard.press('Control+v');
      await expect.poll(nodeCount).toBe(7);
      await node('step_2').waitFor(WAIT);
      await node('approval_2').getByText('Finance approval').waitFor(WAIT);
      await edge('step_2', 'approval_2').waitFor(WAIT);
      // The copies are what is selected now, and the server gets them with the edge between them.
      expect(await node('step_2').getAttribute('class')).toContain('cairn-node--selected');
      expect(await node('step').getAttribute('class')).not.toContain('cairn-node--selected');
      await waitSaved();
      const saved = await serverDraft(slug);
      expect(saved.edges.filter((item) => item.source === 'step_2' || item.target === 'step_2' || item.source === 'approval_2' || item.target === 'approval_2'))
        .toMatchObject([{ source: 'step_2', sourcePort: 'ok', target: 'approval_2' }]);
      expect(saved.nodes.find((item) => item.id === 'step_2')?.config).toEqual(saved.nodes.find((item) => item.id === 'step')?.config);
      // Undo takes the paste away as one step, and with it the selection of the copies.
      await page.getByTestId('undo').click();
      await expect.poll(nodeCount).toBe(5);
      await page.getByTestId('inspector-hint').getByText('Select a node to edit it.').waitFor(WAIT);
      // …and autosave sends the undone draft too.
      await expect.poll(async () => (await serverDraft(slug)).nodes.length, WAIT).toBe(5);
      await waitSaved();
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a draft saved elsewhere live, and saves the next edit on top of it',
    async () => {
      const slug = 'purchase-request';
      const { workflows } = world.server.services;
      await waitSaved();
      // Someone else saves the draft: a wait node added, the step relabelled.
      const current = await workflows.get(slug);
      const theirs: Graph = structuredClone(current.draft);
      const corner = theirs.nodes.find((item) => item.id === 'end_2')!.position; // in view: above the second end
      theirs.nodes.push({ id: 'cool_off', kind: 'wait', label: 'Their cooling-off', position: { x: corner.x + 60, y: corner.y - 240 }, config: { duration: '1d' } });
      theirs.nodes = theirs.nodes.map((item) => (item.id === 'step' ? { ...item, label: 'Their step' } : item));
      await workflows.saveDraft(slug, { graph: theirs, expectedRev: current.draftRev });

      // Nothing here was unsaved: their draft replaces the canvas at once, with no conflict and no
      // undo that could quietly take their save back (drafts.e2e.test.ts has the conflicts).
      await node('cool_off').getByText('Their cooling-off').waitFor(WAIT);
      await node('step').getByText('Their step').waitFor(WAIT);
      expect(await nodeCount()).toBe(6);
      await waitSaved();
      expect(await page.getByTestId('conflict').count()).toBe(0);
      expect(await page.getByTestId('undo').isDisabled()).toBe(true);

      // Our next edit is saved on top of theirs.
      await selectNode('approval');
      await page.getByTestId('node-label-input').fill('Our approval');
      await expect.poll(async () => (await serverDraft(slug)).nodes.find((item) => item.id === 'approval')?.label, WAIT).toBe('Our approval');
      expect((await serverDraft(slug)).nodes.find((item) => item.id === 'cool_off')?.label).toBe('Their cooling-off');
      await waitSaved();
    },
    TEST_TIMEOUT,
  );

  it(
    'opens a 12-node workflow built through the API',
    async () => {
      const graph = twelveNodeGraph();
      expect(validateGraph(graph, { actions: ['log', 'transform', 'http.request'] }).problems).toEqual([]);
      await editDraft(world, 'expense-claim', { name: 'Expense claim', graph });
      // It opens legible (zoom ≥ 0.75) at its start, drawing the nodes in view, with a minimap for
      // the rest; Fit view stays legible (canvas.e2e.test.ts checks the views in detail).
      await node('start').waitFor(WAIT);
      await expect.poll(nodeCount).toBeGreaterThanOrEqual(4);
      expect(await viewportZoom()).toBeGreaterThanOrEqual(0.75 - 0.001);
      await page.locator('.react-flow__minimap').waitFor(WAIT);
      await page.getByTestId('problems').getByText('No problems').waitFor(WAIT);
      await screenshot(page, 'editor-12-nodes');
      await page.getByRole('button', { name: 'Fit view', exact: true }).first().click();
      await expect.poll(viewportZoom, WAIT).toBeGreaterThanOrEqual(0.75 - 0.001);
      await expect.poll(nodeCount).toBeGreaterThanOrEqual(4);
    },
    TEST_TIMEOUT,
  );
});
