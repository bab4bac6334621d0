// Drafts are never lost (issue 13), in Debian's Chromium against a real server: leaving the editor
// for a run and coming back shows the newest draft; the same person's second tab follows a save live;
// a real concurrent save by another person while edits are unsaved is a conflict shown field by
// field, settled without losing either; a kept revision is viewed, compared, restored and undone.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';
import { signIn } from './sessions.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };
const SLUG = 'purchase';
const BOB = { username: 'bob', password: 'bob has a long password' };

let world: BrowserWorld;
let page: Page;
let bobContext: BrowserContext;
let bob: Page;
/** Uncaught errors and console errors in either person's pages: each test expects none it did not cause. */
const pageErrors: string[] = [];

function watch(target: Page): Page {
  target.setDefaultTimeout(15_000);
  target.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  target.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return target;
}

function purchaseGraph(): Graph {
  const graph = buildGraph(
    [
      ['start', 'start'],
      ['review', 'approval', { title: 'Approve the purchase?', assignees: { roles: ['manager'] } }],
      ['done', 'end'],
    ],
    ['start.next -> review', 'review.approved -> done'],
  );
  graph.nodes[1].label = 'Manager review';
  graph.nodes[2].label = 'Bought';
  return graph;
}

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = watch(world.page);
  const { workflows, accounts } = world.server.services;
  await workflows.saveDraft(SLUG, { name: 'Purchase', graph: purchaseGraph() });
  await workflows.publish(SLUG);
  await setUpOwner(page);
  await accounts.createUser({ ...BOB, name: 'Bob', roles: ['editor'] });
  bobContext = await world.browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: world.server.url });
  bob = watch(await bobContext.newPage());
  await signIn(bob, BOB, '/');
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context, 'failed-drafts-');
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

// —— helpers ——

const node = (on: Page, id: string) => on.getByTestId(`node-${id}`);
const serverDraft = async () => world.server.services.workflows.get(SLUG);
const labelOf = (graph: Graph, id: string) => graph.nodes.find((item) => item.id === id)?.label;

async function waitSaved(on: Page): Promise<void> {
  await on.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
}

async function relabel(on: Page, id: string, label: string): Promise<void> {
  await node(on, id).locator('.cairn-node__title').click();
  await on.getByTestId('node-label-input').fill(label);
}

describe('drafts are never lost', () => {
  it(
    'leave the editor for a run page and come back: the newest draft shows, with no conflict',
    async () => {
      await openEditor(page, SLUG, 'review');
      await relabel(page, 'done', 'Bought and filed');
      await waitSaved(page);

      await page.getByTestId('start-run').click();
      await page.getByTestId('dialog-submit').click();
      await page.getByTestId('run-detail').waitFor(WAIT);
      // While the person is away, Bob saves too (over the API, as any other client would).
      const away = await serverDraft();
      const bobs = structuredClone(away.draft);
      bobs.nodes = bobs.nodes.map((item) => (item.id === 'review' ? { ...item, label: 'Manager review (Bob)' } : item));
      await world.server.services.workflows.saveDraft(SLUG, { graph: bobs, expectedRev: away.draftRev, by: 'bob' });

      await page.goBack();
      await node(page, 'done').getByText('Bought and filed').waitFor(WAIT);
      await node(page, 'review').getByText('Manager review (Bob)').waitFor(WAIT);
      await waitSaved(page);
      // The next edit saves over the newest draft: no conflict, nothing of Bob's lost.
      await relabel(page, 'done', 'Bought, filed and paid');
      await waitSaved(page);
      expect(await page.getByTestId('conflict').count()).toBe(0);
      const saved = (await serverDraft()).draft;
      expect([labelOf(saved, 'review'), labelOf(saved, 'done')]).toEqual(['Manager review (Bob)', 'Bought, filed and paid']);
      await screenshot(page, 'drafts-back-from-run');
    },
    TEST_TIMEOUT,
  );

  it(
    'the same person in two tabs: a save in one shows in the other live, both ways',
    async () => {
      const second = watch(await page.context().newPage());
      try {
        await openEditor(second, SLUG, 'review');
        await openEditor(page, SLUG, 'review');
        await relabel(page, 'review', 'Reviewed in tab one');
        await waitSaved(page);
        await node(second, 'review').getByText('Reviewed in tab one').waitFor(WAIT);
        await waitSaved(second);

        await relabel(second, 'done', 'Filed from tab two');
        await waitSaved(second);
        await node(page, 'done').getByText('Filed from tab two').waitFor(WAIT);
        expect(await page.getByTestId('conflict').count()).toBe(0);
        expect(await second.getByTestId('conflict').count()).toBe(0);
        await screenshot(page, 'drafts-first-tab-live');
      } finally {
        await second.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'another person saves while edits here are unsaved: the conflict shows each differing field, and taking theirs keeps mine',
    async () => {
      await openEditor(page, SLUG, 'review');
      await openEditor(bob, SLUG, 'review');
      // Hold this page's next save on its way, so that Bob's save really lands first.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let sent!: () => void;
      const inFlight = new Promise<void>((resolve) => (sent = resolve));
      let continued: Promise<void> | undefined;
      const hold = (route: Route) => {
        sent();
        continued = released.then(() => route.continue());
        return continued;
      };
      const isSave = (url: URL) => url.pathname === '/trpc/workflows.saveDraft';
      await page.route(isSave, hold);

      await relabel(page, 'review', 'Owner’s review');
      await page.getByTestId('field-title').fill('Owner: approve it?');
      await inFlight;
      await relabel(bob, 'review', 'Bob’s review');
      await bob.getByTestId('field-title').fill('Bob: approve it?');
      await waitSaved(bob);
      const theirs = await serverDraft();
      expect(labelOf(theirs.draft, 'review')).toBe('Bob’s review');
      release();
      await continued;
      await page.unroute(isSave, hold);

      const dialog = page.getByTestId('conflict-dialog');
      await dialog.waitFor(WAIT);
      await dialog.getByTestId('conflict-who').getByText(`Bob saved revision ${theirs.draftRev}`).waitFor(WAIT);
      const label = dialog.getByTestId('diff-field-review-label');
      await label.waitFor(WAIT);
      expect(await label.locator('.cairn-difflist__before').innerText()).toBe('“Bob’s review”');
      expect(await label.locator('.cairn-difflist__after').innerText()).toBe('“Owner’s review”');
      const title = dialog.getByTestId('diff-field-review-config.title');
      expect(await title.locator('.cairn-difflist__before').innerText()).toBe('“Bob: approve it?”');
      expect(await title.locator('.cairn-difflist__after').innerText()).toBe('“Owner: approve it?”');
      // Only what differs is listed: the other nodes and the edges are the same on both sides.
      expect(await dialog.locator('tbody[data-testid^="diff-entry-"]').count()).toBe(1);
      // Until a choice is made, the draft on the server is Bob’s.
      expect(labelOf((await serverDraft()).draft, 'review')).toBe('Bob’s review');
      await screenshot(page, 'drafts-conflict-fields');

      await dialog.getByTestId('conflict-theirs').click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      await node(page, 'review').getByText('Bob’s review').waitFor(WAIT);
      await waitSaved(page);
      const { revisions } = await world.server.services.workflows.revisions(SLUG);
      const [current, keptMine] = revisions;
      expect(current).toMatchObject({ kind: 'restore', restoredFrom: theirs.draftRev, savedBy: 'owner' });
      expect(keptMine).toMatchObject({ kind: 'set-aside', savedBy: 'owner' });
      expect(labelOf((await world.server.services.workflows.revision(SLUG, keptMine.rev)).graph, 'review')).toBe('Owner’s review');
      const removed = pageErrors.splice(0).filter((error) => !/status of 409 \(Conflict\)/.test(error));
      expect(removed).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'an older revision is viewed, compared, restored as a new save, and undone',
    async () => {
      await openEditor(page, SLUG, 'review');
      const before = await serverDraft();
      await page.getByTestId('revisions-button').click();
      const drawer = page.getByTestId('revisions-drawer');
      await drawer.getByTestId(`revision-${before.draftRev}`).getByText('current').waitFor(WAIT);
      await drawer.getByTestId('revision-1').getByText('created by someone').waitFor(WAIT);

      await drawer.getByTestId('view-revision-1').click();
      await page.getByTestId('viewing-revision').getByText('Revision 1, read-only').waitFor(WAIT);
      await node(page, 'review').getByText('Manager review').waitFor(WAIT);
      await screenshot(page, 'drafts-revision-view');
      await drawer.getByTestId('diff-revision-1').click();
      const listed = page.getByTestId('revision-diff');
      await listed.getByTestId('diff-field-review-label').waitFor(WAIT);
      expect(await listed.getByTestId('diff-field-review-label').locator('.cairn-difflist__before').innerText()).toBe('“Manager review”');
      await screenshot(page, 'drafts-revision-diff');

      await drawer.getByTestId('restore-revision-1').click();
      await page.getByTestId('notice').getByText('Restored revision 1 as a new save. Undo takes it back.').waitFor(WAIT);
      await page.getByTestId('viewing-revision').waitFor({ state: 'detached', ...WAIT });
      await node(page, 'review').getByText('Manager review').waitFor(WAIT);
      await node(page, 'done').getByText('Bought').waitFor(WAIT);
      await waitSaved(page);
      const restored = await serverDraft();
      expect(restored.draftRev).toBe(before.draftRev + 1);
      expect(restored.draft.nodes.map(({ id, label, config }) => ({ id, label, config }))).toEqual(
        (await world.server.services.workflows.revision(SLUG, 1)).graph.nodes.map(({ id, label, config }) => ({ id, label, config })),
      );
      await drawer.getByTestId(`revision-${restored.draftRev}`).getByText('restored revision 1 by you').waitFor(WAIT);
      await drawer.getByTestId(`revision-${restored.draftRev}`).scrollIntoViewIfNeeded();
      await screenshot(page, 'drafts-restored');

      await page.getByTestId('undo').click();
      await node(page, 'review').getByText(labelOf(before.draft, 'review')!).waitFor(WAIT);
      await waitSaved(page);
      const undone = await serverDraft();
      expect(undone.draftRev).toBe(before.draftRev + 2);
      expect(undone.draft).toEqual(before.draft);
    },
    TEST_TIMEOUT,
  );
});
