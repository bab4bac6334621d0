// Decisions by e-mail over the real server and a real SMTP server on 127.0.0.1 (both databases): a
// task's assignees with an address get its e-mail with their own signed links; opening a link (GET)
// decides nothing; confirming (POST) decides as that person through the one rule, counted in the
// quorum and audited "via email"; a used, forged, tampered, expired or self-approving link, or one for
// a task already decided, is refused with a page saying why; names and titles with line breaks add no
// header; a user without an address gets no e-mail; reminders and escalations e-mail whom they name;
// users' addresses are checked when saved.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decisionLinkKey, signDecisionLink } from '../approval-mail/decision-link.js';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { openDatabaseReader } from '../testing/database-reader.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import { startSmtpServer, type ReceivedMail } from '../testing/smtp-server.js';

type Received = ReceivedMail;

const cleanups: (() => Promise<void>)[] = [];
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSmtp(): Promise<{ url: string; received: Received[] }> {
  const smtp = await startSmtpServer();
  cleanups.push(smtp.close);
  return smtp;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The body as text: quoted-printable soft breaks joined and escapes decoded. */
const bodyOf = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const headerOf = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw.split(/\r?\n\r?\n/)[0])?.[1];
const linkIn = (raw: string, label: 'Approve' | 'Reject') => new RegExp(`${label}:\\s+(\\S+)`).exec(bodyOf(raw))![1];
const pathOf = (url: string) => new URL(url).pathname;

const PASSWORD = 'a long enough secret';
const secretKey = randomBytes(32).toString('base64');

const graph = buildGraph(
  [
    ['start', 'start'],
    ['review', 'approval', { title: 'Pay {{ input.employee }} {{ input.amount }} EUR?', details: 'For {{ input.purpose }}', data: '{{ input }}', assignees: { users: ['ann', 'bob', 'cy', 'eve'] }, approvalsNeeded: 2, forbidSelfApproval: true }],
    ['yes', 'end', { output: 'approved' }],
    ['no', 'end', { output: 'rejected' }],
  ],
  ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
);

async function setUp(server: TestServer) {
  const users = [
    { username: 'ann', email: 'ann@example.com', roles: ['approver'] },
    // A display name with a line break and a header after it: it must not become a header.
    { username: 'bob', name: 'Bob\r\nBcc: thief@evil.example', email: 'bob@example.com', roles: ['approver'] },
    { username: 'cy', roles: ['approver'] }, // no address: no e-mail
    { username: 'eve', email: 'eve@example.com', roles: ['editor'] }, // starts the run: never asked
  ];
  for (const user of users) expect((await server.call('POST', '/api/v1/users', { body: { ...user, password: PASSWORD } })).status).toBe(201);
  const login = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'eve', password: PASSWORD } });
  const eve = { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken as string };
  expect((await server.call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph } })).status).toBe(201);
  expect((await server.call('POST', '/api/v1/workflows/expense/publish', { body: {} })).status).toBe(201);
  return async (input: Record<string, unknown>) => {
    const started = await server.call('POST', '/api/v1/workflows/expense/instances', { token: '', cookie: eve.cookie, headers: { 'x-csrf-token': eve.csrf }, body: { input } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await server.worker.drain();
    return { runId: started.body.id as string, taskId: `${started.body.id}:review:1` };
  };
}

async function page(server: TestServer, path: string, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>) {
  const response = await fetch(`${server.server.url}${path}`, {
    method,
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
}

const task = async (server: TestServer, taskId: string) => (await server.call('GET', `/api/v1/approvals/${encodeURIComponent(taskId)}`)).body;

describe('decisions by e-mail', () => {
  it('e-mails the assignees their links; a GET decides nothing, a POST decides once as that person; forged, used and self-approving links are refused', async () => {
    const smtp = await startSmtp();
    t = await startTestServer({ clock: new FakeClock(), secretKey, mail: { url: smtp.url, from: 'cairn@example.com' } });
    const start = await setUp(t);
    const { runId, taskId } = await start({ employee: 'Ada\r\nBcc: thief@evil.example', amount: 420, purpose: 'a conference' });

    await until(() => smtp.received.length >= 2, 'the e-mails to ann and bob');
    // Give a stray third e-mail (to cy without an address, or to eve the starter) room to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.map((mail) => mail.to).sort()).toEqual([['ann@example.com'], ['bob@example.com']]);
    const toAnn = smtp.received.find((mail) => mail.to[0] === 'ann@example.com')!.raw;
    const toBob = smtp.received.find((mail) => mail.to[0] === 'bob@example.com')!.raw;
    for (const raw of [toAnn, toBob]) {
      expect(headerOf(raw, 'Subject')).toBe('Approval needed: Pay Ada Bcc: thief@evil.example 420 EUR?');
      expect(headerOf(raw, 'Bcc')).toBeUndefined();
      expect(headerOf(raw, 'From')).toBe('cairn@example.com');
    }
    expect(headerOf(toBob, 'To')).toBe('"Bob Bcc: thief@evil.example" <bob@example.com>');
    expect(bodyOf(toAnn)).toContain('Workflow: expense, step review');
    expect(bodyOf(toAnn)).toContain('For a conference');
    expect(bodyOf(toAnn)).toContain('Progress: 0 of 2 approved');
    expect(pathOf(linkIn(toAnn, 'Approve'))).toMatch(/^\/decisions\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    // Opening the link (a mail scanner would) shows what it would do, and decides nothing.
    const annApprove = pathOf(linkIn(toAnn, 'Approve'));
    const look = await page(t, annApprove);
    expect(look.status).toBe(200);
    expect(look.type).toContain('text/html');
    expect(look.html).toContain('Nothing has been decided yet');
    expect(look.html).toContain('Pay Ada');
    expect(look.html).not.toContain('<script');
    expect(look.html).toContain('as <strong>ann</strong>');
    expect(await task(t, taskId)).toMatchObject({ status: 'pending', decisions: [] });

    // Confirming decides as ann, counted in the quorum, audited via e-mail.
    const confirmed = await page(t, annApprove, 'POST', { comment: 'fine by me <b>' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('Your decision is recorded');
    expect(confirmed.html).toContain('1 of 2 approved');
    expect(await task(t, taskId)).toMatchObject({ status: 'pending', progress: '1 of 2 approved', decisions: [{ by: 'ann', decision: 'approved', comment: 'fine by me <b>' }] });
    const reader = await openDatabaseReader(t.databaseUrl);
    try {
      const [entry] = await reader.rows<{ actor: string; data: string }>("SELECT actor, data FROM audit_log WHERE kind = 'decided'");
      expect(entry.actor).toBe('ann');
      expect(JSON.parse(entry.data)).toMatchObject({ decision: 'approved', via: 'email', comment: 'fine by me <b>' });
    } finally {
      await reader.close();
    }

    // Used: the same link, or ann's other link, decides nothing more.
    for (const [path, method] of [[annApprove, 'POST'], [annApprove, 'GET'], [pathOf(linkIn(toAnn, 'Reject')), 'POST']] as const) {
      const again = await page(t, path, method);
      expect(again.status, `${method} ${path}`).toBe(409);
      expect(again.html).toContain('this link has been used: ann already approved this task');
    }

    // Forged and tampered links: another signature, a payload changed to bob's, garbage, too long.
    const [payload, signature] = annApprove.slice('/decisions/'.length).split('.');
    const swapped = Buffer.from(JSON.stringify([taskId, 'bob', 'approve', JSON.parse(Buffer.from(payload, 'base64url').toString())[3]])).toString('base64url');
    const forged = [
      `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      `${swapped}.${signature}`,
      'not-a-token',
      `${'x'.repeat(2_000)}.${signature}`,
      `${payload}.${signDecisionLink(randomBytes(32), { taskId, user: 'bob', decision: 'approve', expiresAt: Date.now() + 1e9 }).split('.')[1]}`,
    ];
    for (const token of forged) {
      for (const method of ['GET', 'POST'] as const) {
        const refused = await page(t, `/decisions/${token}`, method);
        expect(refused.status, token.slice(0, 40)).toBe(403);
        expect(refused.html).toContain('this is not a decision link of this server');
      }
    }

    // Self-approval on the e-mail path: a well-signed link for eve (the starter) is still refused.
    const key = decisionLinkKey({ ok: true, key: Buffer.from(secretKey, 'base64'), source: 'test' })!;
    const eveLink = `/decisions/${signDecisionLink(key, { taskId, user: 'eve', decision: 'approve', expiresAt: t.clock.now() + 86_400_000 })}`;
    for (const method of ['GET', 'POST'] as const) {
      const refused = await page(t, eveLink, method);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('eve may not decide approval');
      expect(refused.html).toContain('self-approval is forbidden here');
    }
    expect((await task(t, taskId)).decisions).toHaveLength(1);

    // A comment too long is refused and decides nothing; then bob's confirmation settles the task.
    const bobApprove = pathOf(linkIn(toBob, 'Approve'));
    const tooLong = await page(t, bobApprove, 'POST', { comment: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.html).toContain('comment must be at most 10,000 characters');
    expect((await page(t, bobApprove, 'POST', {})).html).toContain('The task is now approved');
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${runId}`)).body).toMatchObject({ status: 'completed', output: 'approved' });

    // A link for a task already decided: cy (who never decided) is told it is over.
    const cyLink = `/decisions/${signDecisionLink(key, { taskId, user: 'cy', decision: 'reject', expiresAt: t.clock.now() + 86_400_000 })}`;
    const over = await page(t, cyLink, 'POST');
    expect(over.status).toBe(409);
    expect(over.html).toContain('this task is already approved by bob');
  });

  it('refuses an expired link, and a link of a user who was disabled, and decides nothing', async () => {
    const smtp = await startSmtp();
    t = await startTestServer({ clock: new FakeClock(), secretKey, mail: { url: smtp.url, from: 'cairn@example.com' } });
    const start = await setUp(t);
    const { taskId } = await start({ employee: 'Bo', amount: 10, purpose: 'pens' });
    await until(() => smtp.received.length >= 2, 'the e-mails');
    const toAnn = smtp.received.find((mail) => mail.to[0] === 'ann@example.com')!.raw;
    const toBob = smtp.received.find((mail) => mail.to[0] === 'bob@example.com')!.raw;
    expect(bodyOf(toAnn)).toMatch(/expire \d{4}-\d{2}-\d{2}T/);

    const users = (await t.call('GET', '/api/v1/users')).body as { id: string; username: string }[];
    const bobId = users.find((user) => user.username === 'bob')!.id;
    expect((await t.call('PATCH', `/api/v1/users/${bobId}`, { body: { disabled: true } })).status).toBe(200);
    const disabled = await page(t, pathOf(linkIn(toBob, 'Approve')), 'POST');
    expect(disabled.status).toBe(403);
    expect(disabled.html).toContain('whose account is disabled');

    t.clock.advance(8 * 86_400_000);
    const expired = await page(t, pathOf(linkIn(toAnn, 'Approve')), 'POST');
    expect(expired.status).toBe(409);
    expect(expired.html).toContain('this link expired at');
    expect(await task(t, taskId)).toMatchObject({ status: 'pending', decisions: [] });
  });

  it('reminders e-mail those who have not decided, and an escalation e-mails the person it adds, with links that decide', async () => {
    const smtp = await startSmtp();
    t = await startTestServer({ clock: new FakeClock(), secretKey, mail: { url: smtp.url, from: 'cairn@example.com' } });
    for (const username of ['ann', 'bob', 'dee']) {
      expect((await t.call('POST', '/api/v1/users', { body: { username, email: `${username}@example.com`, password: PASSWORD, roles: ['approver'] } })).status).toBe(201);
    }
    const deadlines = buildGraph(
      [
        ['start', 'start'],
        ['review', 'approval', { title: 'Renew the lease?', assignees: { users: ['ann', 'bob'] }, quorum: 'all', remindEvery: '1h', escalateAfter: '150m', escalateTo: { users: ['dee'] } }],
        ['yes', 'end'],
        ['no', 'end'],
      ],
      ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
    );
    expect((await t.call('PUT', '/api/v1/workflows/lease', { body: { name: 'Lease', graph: deadlines } })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/workflows/lease/publish', { body: {} })).status).toBe(201);
    const started = await t.call('POST', '/api/v1/workflows/lease/instances', { body: { input: {} } });
    await t.worker.drain();
    await until(() => smtp.received.length >= 2, 'the first e-mails');
    const toAnn = smtp.received.find((mail) => mail.to[0] === 'ann@example.com')!.raw;
    expect((await page(t, pathOf(linkIn(toAnn, 'Approve')), 'POST')).html).toContain('still waits for others');

    // An hour later: a reminder to bob only, who has not decided.
    t.clock.advance(3_600_000);
    await t.worker.drain();
    await until(() => smtp.received.length >= 3, 'the reminder');
    const reminder = smtp.received[2];
    expect(reminder.to).toEqual(['bob@example.com']);
    expect(headerOf(reminder.raw, 'Subject')).toBe('Reminder: approval needed: Renew the lease?');

    // At 2½ hours the task is escalated to dee, who gets her own links; ann, who decided, gets nothing more.
    t.clock.advance(90 * 60_000);
    await t.worker.drain();
    await until(() => smtp.received.some((mail) => mail.to[0] === 'dee@example.com'), 'the escalation e-mail');
    const toDee = smtp.received.find((mail) => mail.to[0] === 'dee@example.com')!.raw;
    expect(headerOf(toDee, 'Subject')).toBe('Escalated to you: approval needed: Renew the lease?');
    expect(smtp.received.filter((mail) => mail.to[0] === 'ann@example.com')).toHaveLength(1);
    const decided = await page(t, pathOf(linkIn(toDee, 'Reject')), 'POST', { comment: 'not this year' });
    expect(decided.html).toContain('The task is now rejected');
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${started.body.id}`)).body.status).toBe('completed');
  });

  it('users\' e-mail addresses: set, changed and cleared by an admin; line breaks and non-addresses refused naming the field', async () => {
    t = await startTestServer({ clock: new FakeClock() });
    const made = await t.call('POST', '/api/v1/users', { body: { username: 'dee', password: PASSWORD, roles: ['approver'], email: 'dee@example.com' } });
    expect(made).toMatchObject({ status: 201, body: { username: 'dee', email: 'dee@example.com' } });
    const id = made.body.id as string;
    for (const email of ['dee@example.com\r\nBcc: x@evil.example', 'not an address', 'a@b', '<dee@example.com>', 42]) {
      const refused = await t.call('PATCH', `/api/v1/users/${id}`, { body: { email } });
      expect(refused.status, String(email)).toBe(422);
      expect(refused.body.error.message).toMatch(/^email /);
    }
    const refusedAtCreate = await t.call('POST', '/api/v1/users', { body: { username: 'fay', password: PASSWORD, roles: ['approver'], email: 'fay@example.com\nBcc: x@y.z' } });
    expect(refusedAtCreate).toMatchObject({ status: 422, body: { error: { message: 'email must be one line: it contains a line break' } } });
    expect((await t.call('GET', '/api/v1/users')).body.map((user: { username: string }) => user.username)).not.toContain('fay');
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { body: { email: 'dee@work.example' } })).body.email).toBe('dee@work.example');
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { body: { email: null } })).body.email).toBeNull();
  });
});
