// Team actions in the browser: a project's two TypeScript actions (loaded as `cairn start` loads
// them) appear in the palette under "Team actions"; clicking one adds a step set to it, whose input
// the inspector renders as a form from the action's declared input (zod for one, JSON Schema for the
// other); the versions drawer names the team actions each version needs and marks those this server
// lacks or has changed. Writes screenshots team-actions-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActions } from '../../server/actions/loader.js';
import { createActionProject, type ActionProject } from '../../server/testing/action-project.js';
import { buildGraph } from '../../server/testing/graphs.js';
import { openWorld, screenshot, setUpOwner, type BrowserWorld } from './browser.js';

const WAIT = { timeout: 15_000 };

let world: BrowserWorld;
let page: Page;
let project: ActionProject;
const pageErrors: string[] = [];

beforeAll(async () => {
  project = createActionProject();
  world = await openWorld({ seed: false, teamActions: await loadActions(project.actionsDir) });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  project?.close();
});

const inspector = () => page.getByTestId('inspector');
const waitSaved = () => page.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
const fieldTitles = () => inspector().getByTestId('field-input').locator('[data-testid$="-row"] > .cairn-inspector__field-head .cairn-inspector__field-title').allTextContents();
const draft = async () => (await world.server.services.workflows.get('orders')).draft;

describe('team actions in the editor', () => {
  it('the palette shows them as Team actions; a click adds a step whose form is the action’s input', { timeout: 90_000 }, async () => {
    const graph = buildGraph([['start', 'start'], ['done', 'end']], ['start.next -> done']);
    await world.server.services.workflows.saveDraft('orders', { name: 'Orders', graph });
    await page.goto('/workflows/orders');
    const group = page.getByTestId('palette-team-actions');
    await group.waitFor(WAIT);
    expect(await group.locator('h3').textContent()).toBe('Team actions');
    expect(await group.getByRole('button').allTextContents()).toEqual(['Greet someone', 'Order total']);
    expect(await page.getByRole('button', { name: 'Add Greet someone' }).getAttribute('aria-description')).toBe('Says hello to a person, loudly if asked.');

    await page.getByTestId('palette-action-team.greet').click();
    const form = inspector().getByTestId('field-input');
    await expect.poll(() => form.getAttribute('data-action'), WAIT).toBe('team.greet');
    expect(await fieldTitles()).toEqual(['Person', 'Loud']);
    await inspector().getByTestId('field-input-person-required').waitFor(WAIT);
    await inspector().getByTestId('field-input-person').fill('{{ input.name }}');
    await waitSaved();
    await screenshot(page, 'team-actions-palette-and-form');
    const greet = (await draft()).nodes.find((node) => node.config.action === 'team.greet')!;
    expect(greet).toMatchObject({ kind: 'step', label: 'Greet someone', config: { action: 'team.greet', input: { person: '{{ input.name }}' } } });

    // The JSON Schema one: its titles, and its choice field.
    await page.getByTestId('palette-action-team.total').click();
    await expect.poll(() => form.getAttribute('data-action'), WAIT).toBe('team.total');
    expect(await fieldTitles()).toEqual(['Lines', 'Currency']);
    expect(await inspector().getByTestId('field-input-currency').locator('option').allTextContents()).toEqual(expect.arrayContaining(['EUR', 'USD']));
    await screenshot(page, 'team-actions-json-schema-form');

    // One undo takes the whole addition back, setting and all.
    await waitSaved();
    const before = (await draft()).nodes.length;
    await page.getByTestId('undo').click();
    await waitSaved();
    expect((await draft()).nodes.length).toBe(before - 1);

    // Search finds them by title or name.
    await page.getByRole('searchbox', { name: 'Search node kinds' }).fill('total');
    expect(await page.getByTestId('palette-team-actions').getByRole('button').allTextContents()).toEqual(['Order total']);
  });

  it('the versions drawer names the team actions each version needs, and those this server lacks', { timeout: 90_000 }, async () => {
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['greet', 'step', { action: 'team.greet', input: { person: 'Ada' } }],
        ['sum', 'step', { action: 'team.total', input: { lines: [] } }],
        ['done', 'end'],
      ],
      ['start.next -> greet', 'greet.ok -> sum', 'sum.ok -> done'],
    );
    await world.server.services.workflows.saveDraft('orders', { name: 'Orders', graph });
    await world.server.services.workflows.publish('orders');
    // A version published where another module was loaded (changed since) and one this server has not.
    const [published] = await world.server.services.workflows.versions('orders');
    const recorded = published.actions.map(({ name, file, hash }) => ({ name, file, hash: name === 'team.total' ? 'f'.repeat(64) : hash }));
    recorded.push({ name: 'crm.update', file: 'crm.ts', hash: 'a'.repeat(64) });
    await world.server.prisma.workflowVersion.updateMany({ where: { version: published.version, workflow: { slug: 'orders' } }, data: { actions: JSON.stringify(recorded) } });

    await page.goto('/workflows/orders');
    await page.getByTestId('canvas').waitFor(WAIT);
    await page.getByRole('button', { name: /versions/i }).first().click();
    const needs = page.getByTestId(`version-actions-${published.version}`);
    await needs.waitFor(WAIT);
    expect(await needs.textContent()).toBe('Needs team.greet, team.total (changed since publishing), crm.update (not loaded)');
    expect(await page.getByTestId(`version-${published.version}-action-crm.update`).getAttribute('data-state')).toBe('missing');
    await screenshot(page, 'team-actions-versions');
  });
});
