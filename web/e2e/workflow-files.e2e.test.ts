// The workflows page's Export and Import carry a workflow's scenarios and eval sets (issues 17, 20),
// and the editor's credential pickers (issue 15), in Chromium against a real server: a draft with a
// scenario and an eval set is downloaded as { slug, name, graph, scenarios, evals }; that file imports
// as a new workflow with both (the dialog says what it holds); a file with a bad eval set is refused
// in the dialog, naming it, and nothing is created. A team action's declared credential is chosen in
// the inspector from the stored ones and saved with the draft. Screenshots workflow-files-*.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActions } from '../../server/actions/loader.js';
import { lineOfSteps } from '../../server/testing/graphs.js';
import { triageGraph, triageSet } from '../../server/testing/eval-fixtures.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const WAIT = { timeout: 15_000 };
let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
const { threshold: _threshold, ...informing } = triageSet;
const scenario = { name: 'no model: fallback', input: { text: 'hi' }, steps: [], expect: { status: 'failed', visited: ['classify'] } };

beforeAll(async () => {
  const examples = fileURLToPath(new URL('../../examples/actions', import.meta.url));
  world = await openWorld({ seed: false, teamActions: await loadActions(examples) });
  page = world.page;
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  // A refusal the page shows (422) is logged by Chromium as a failed resource; anything else is an error.
  expect(pageErrors.splice(0).filter((error) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(error)), 'errors in the page').toEqual([]);
});

afterAll(() => world?.close());

const services = () => world.server.services;

async function importFile(name: string, content: unknown) {
  await page.getByTestId('import-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(content)) });
  await page.getByTestId('import-workflow-dialog').waitFor(WAIT);
}

describe('export and import on the workflows page', () => {
  it('export a draft with its scenario and eval set; the file imports as a new workflow with both', async () => {
    await services().workflows.saveDraft('triage', { name: 'Triage', graph: triageGraph() });
    await services().scenarios!.put('triage', scenario.name, scenario);
    await services().evals!.put('triage', informing);
    await page.goto('/');
    await page.getByTestId('workflow-row-triage').waitFor(WAIT);

    await page.getByTestId('workflow-actions-triage').click();
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('export-workflow').click()]);
    expect(download.suggestedFilename()).toBe('triage.json');
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file).toMatchObject({ slug: 'triage', name: 'Triage', graph: { format: 'cairn.graph/v2' }, scenarios: [{ name: scenario.name }], evals: [informing] });

    // The same file back: its slug is taken, so the dialog asks for another.
    await importFile('triage.json', file);
    const dialog = page.getByTestId('import-workflow-dialog');
    expect(await dialog.getByTestId('import-summary').textContent()).toBe('3 nodes, 2 edges, 1 scenario, 1 eval set');
    await dialog.getByTestId('import-workflow-slug').fill('triage-copy');
    await dialog.getByTestId('import-workflow-name').fill('Triage (copy)');
    await screenshot(page, 'workflow-files-import');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('workflow-row-triage-copy').waitFor(WAIT);
    expect((await services().scenarios!.list('triage-copy')).scenarios.map((stored) => stored.name)).toEqual([scenario.name]);
    expect((await services().evals!.list('triage-copy')).sets).toEqual([informing]);
    await screenshot(page, 'workflow-files-imported');
  });

  it('a file with an eval set for a node the graph lacks is refused in the dialog, naming it; nothing is created', async () => {
    await page.goto('/');
    await page.getByTestId('workflows-page').waitFor(WAIT);
    await importFile('broken.json', { slug: 'broken', name: 'Broken', graph: triageGraph(), scenarios: [scenario], evals: [{ ...informing, node: 'sort' }] });
    const dialog = page.getByTestId('import-workflow-dialog');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText('eval set "sort": the graph has no node "sort"').first().waitFor(WAIT);
    await screenshot(page, 'workflow-files-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await services().workflows.list()).map((workflow) => workflow.slug)).not.toContain('broken');
  });
});

describe("a team action's declared credential in the inspector", () => {
  it('is chosen from the stored credentials and saved with the draft; publish then accepts the step', async () => {
    await services().credentials!.create({ name: 'team-slack', description: 'The #orders channel', value: { kind: 'fields', fields: { url: 'https://hooks.example/T0/B0/secret-part' } } }, 'owner');
    await services().credentials!.create({ name: 'stripe', value: { kind: 'bearer', token: 'sk_test_never_shown_1234' } }, 'owner');
    await services().workflows.saveDraft('notify', { name: 'Notify', graph: lineOfSteps([{ id: 'post', action: 'slack.post', input: { text: 'Paid' } }]) });
    await openEditor(page, 'notify', 'post');
    await page.getByTestId('node-post').locator('.cairn-node__title').click();
    const picker = page.getByTestId('field-credentials-webhook');
    await picker.waitFor(WAIT);
    expect(await page.getByTestId('field-credentials-webhook-problem').textContent()).toBe('Required: choose a stored credential.');
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a credential…', 'stripe (bearer; needs fields)', 'team-slack (fields) — The #orders channel']);
    // The editor's problems say it too, as publish would.
    await page.getByText('node "post" credentials.webhook: slack.post needs a credential for "webhook"', { exact: false }).first().waitFor(WAIT);
    await picker.scrollIntoViewIfNeeded();
    await screenshot(page, 'workflow-files-credential-required');
    await picker.selectOption('team-slack');
    await expect.poll(async () => (await services().workflows.get('notify')).draft.nodes.find((node) => node.id === 'post')?.config.credentials, WAIT).toEqual({ webhook: 'team-slack' });
    expect(await page.getByTestId('field-credentials-webhook-problem').count()).toBe(0);
    await screenshot(page, 'workflow-files-credential-picker');
    expect(await page.content()).not.toMatch(/secret-part|sk_test_never_shown/);
    expect((await services().workflows.publish('notify')).version).toBe(1);
  });
});
