// A decision by e-mail in Debian's Chromium (issue 19): a real SMTP server on 127.0.0.1 receives the
// task's e-mail; its Approve link opens a confirmation page (not signed in, under the app's CSP) that
// decides nothing; Confirm with a comment decides; the same link again, and a changed one, are
// refused with a page saying why. Screenshots email-decision-*.
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed } from './browser.js';

const WAIT = { timeout: 15_000 };
let world: BrowserWorld;
let page: Page;
let smtp: SMTPServer;
const received: string[] = [];
const pageErrors: string[] = [];
let runId = '';

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  world = await openWorld({ seed: false, mail: { url, from: 'cairn@example.com' } });
  page = world.page;
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    // The refusals this test provokes answer 403/409, which the browser logs.
    if (message.type() === 'error' && !/status of (403|409)/.test(message.text())) pageErrors.push(message.text());
  });
  const { accounts, workflows, runs } = world.server.services;
  await accounts.createUser({ username: 'ann', name: 'Ann Manager', password: 'decides things', roles: ['approver'], email: 'ann@example.com' });
  const graph = buildGraph(
    [
      ['start', 'start'],
      ['review', 'approval', { title: 'Pay {{ input.employee }} {{ input.amount }} EUR?', details: 'Travel to **{{ input.city }}**', data: '{{ input }}', assignees: { users: ['ann'] } }],
      ['yes', 'end', { output: 'approved' }],
      ['no', 'end', { output: 'rejected' }],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );
  await workflows.saveDraft('expense', { name: 'Expense', graph });
  await workflows.publish('expense', 'e2e');
  runId = (await runs.start('expense', { employee: 'Zoe', amount: 640, city: 'Porto' })).id;
  const deadline = Date.now() + WAIT.timeout;
  while (received.length === 0) {
    if (Date.now() > deadline) throw new Error('no e-mail arrived');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

const bodyOf = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('a decision by e-mail', () => {
  it('opens a confirmation page that decides nothing; confirming decides; the link is then used, and a changed one refused', async () => {
    const link = /Approve:\s+(\S+)/.exec(bodyOf(received[0]))![1];
    await page.goto(link);
    await page.getByTestId('decision-pending').waitFor(WAIT);
    expect(await page.getByTestId('decision-title').textContent()).toBe('Pay Zoe 640 EUR?');
    expect(await page.getByTestId('decision-details').textContent()).toBe('Travel to **Porto**');
    expect(await page.getByTestId('decision-pending').textContent()).toContain('approve this task as ann');
    await screenshot(page, 'email-decision-confirm');
    expect((await world.server.services.runs.get(runId)).status).toBe('waiting');

    await page.getByTestId('decision-comment').fill('Fine — booked through the travel desk.');
    await page.getByTestId('decision-confirm').click();
    await page.getByTestId('decision-done').waitFor(WAIT);
    expect(await page.getByTestId('decision-done').textContent()).toContain('The task is now approved');
    await screenshot(page, 'email-decision-done');
    await expect.poll(async () => (await world.server.services.runs.get(runId)).status, WAIT).toBe('completed');
    expect((await world.server.engine.task(`${runId}:review:1`)).decisions).toMatchObject([{ by: 'ann', comment: 'Fine — booked through the travel desk.' }]);

    await page.goto(link);
    await page.getByTestId('decision-refused').waitFor(WAIT);
    expect(await page.getByTestId('decision-refused').textContent()).toContain('this link has been used: ann already approved this task');
    expect(await page.getByTestId('decision-confirm').count()).toBe(0);
    await screenshot(page, 'email-decision-used');

    const changed = link.replace(/.(?=\.[^.]+$)/, (c) => (c === 'A' ? 'B' : 'A'));
    await page.goto(changed);
    await page.getByTestId('decision-refused').waitFor(WAIT);
    expect(await page.getByTestId('decision-refused').textContent()).toContain('not a decision link of this server');
  });
});
