// email.send against a real SMTP server on 127.0.0.1 (the smtp-server package): the expense example
// e-mails the manager; without SMTP history says "not sent"; line breaks in the subject or recipients
// (header injection) are refused and nothing is sent; a server that never answers fails the attempt at
// its time-out while other runs go on.
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
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

/** A server that accepts connections and never says a word. */
async function startSilentServer(): Promise<string> {
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1];
const expense = { employee: 'Ada', amount: 420, purpose: 'a conference in Lisbon' };

async function startRun(server: TestServer, slug: string, input: unknown): Promise<string> {
  const started = await server.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id as string;
}

const outputOf = async (server: TestServer, id: string, nodeId: string) =>
  ((await server.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; nodeId?: string; data: any }[]).find((event) => event.type === 'nodeCompleted' && event.nodeId === nodeId)?.data.output;

async function publish(server: TestServer, slug: string, graph: unknown) {
  expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } })).status).toBe(201);
  const published = await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

const mailer = (retry = 3) =>
  buildGraph(
    [
      ['start', 'start'],
      ['mail', 'step', { action: 'email.send', input: { to: '{{ input.to }}', subject: '{{ input.subject }}', text: 'Hello' }, retry: { maxAttempts: retry } }],
      ['end', 'end', { output: '{{ nodes.mail }}' }],
    ],
    ['start.next -> mail', 'mail.ok -> end'],
  );

describe('email.send', () => {
  it('the expense example with SMTP configured e-mails the manager, received by the SMTP server', async () => {
    const smtp = await startSmtp();
    t = await startTestServer({ clock: new FakeClock(), seed: true, mail: { url: smtp.url, from: 'cairn@example.com' } });
    const id = await startRun(t, 'expense-approval', expense);
    await t.worker.drain();
    await until(() => smtp.received.length === 1, 'the manager\'s e-mail');
    const [mail] = smtp.received;
    expect(mail.from).toBe('cairn@example.com');
    expect(mail.to).toEqual(['manager@example.com']);
    expect(header(mail.raw, 'Subject')).toBe('Expense report from Ada: 420 EUR');
    expect(mail.raw).toContain('**Ada** asks to be reimbursed **420 EUR** for a conference in Lisbon.');
    expect(mail.raw).toContain(`${id}:notifyManager:1`);
    expect(await outputOf(t, id, 'notifyManager')).toMatchObject({ sent: true, accepted: ['manager@example.com'], rejected: [] });
    expect((await t.call('GET', `/api/v1/instances/${id}`)).body).toMatchObject({ status: 'waiting', waitingOn: [{ nodeId: 'manager', kind: 'approval' }] });
  });

  it('without SMTP the step succeeds and history says "not sent: no SMTP configured"', async () => {
    t = await startTestServer({ clock: new FakeClock(), seed: true });
    const id = await startRun(t, 'expense-approval', expense);
    await t.worker.drain();
    expect(await outputOf(t, id, 'notifyManager')).toEqual({ sent: false, reason: 'not sent: no SMTP configured' });
    const history = (await t.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; nodeId?: string; data: any }[];
    const logged = history.find((event) => event.type === 'actionLogged' && event.nodeId === 'notifyManager');
    expect(logged?.data.lines).toEqual([{ level: 'info', message: 'not sent: no SMTP configured: "Expense report from Ada: 420 EUR" to manager@example.com' }]);
  });

  it('refuses line breaks in the subject or recipients (header injection) and bad addresses, naming the field; nothing is sent', async () => {
    const smtp = await startSmtp();
    t = await startTestServer({ clock: new FakeClock(), mail: { url: smtp.url, from: 'cairn@example.com' } });
    await publish(t, 'mailer', mailer());
    const hostile: [unknown, RegExp][] = [
      [{ to: 'ada@example.com', subject: 'Hi\r\nBcc: victim@example.com' }, /subject must be one line/],
      [{ to: 'ada@example.com\r\nBcc: victim@example.com', subject: 'Hi' }, /to must be one line/],
      [{ to: ['ada@example.com', 'bob@example.com\nBcc: victim@example.com'], subject: 'Hi' }, /to must be one line/],
      [{ to: 'not an address', subject: 'Hi' }, /to is not an e-mail address/],
      [{ to: 'ada@example.com', subject: '' }, /subject is empty/],
    ];
    for (const [input, message] of hostile) {
      const id = await startRun(t, 'mailer', input);
      await t.worker.drain();
      const run = (await t.call('GET', `/api/v1/instances/${id}`)).body;
      expect(run.status, JSON.stringify(input)).toBe('failed');
      expect(JSON.stringify(run.error), JSON.stringify(input)).toMatch(message);
    }
    expect(smtp.received).toEqual([]);
    // The same workflow with a clean input sends.
    const ok = await startRun(t, 'mailer', { to: ['ada@example.com', 'bob@example.com'], subject: 'Hi' });
    await t.worker.drain();
    await until(() => smtp.received.length === 1, 'the clean e-mail');
    expect(smtp.received[0].to).toEqual(['ada@example.com', 'bob@example.com']);
    expect((await t.call('GET', `/api/v1/instances/${ok}`)).body).toMatchObject({ status: 'completed', output: { sent: true } });
  });

  it('an SMTP server that never answers fails the attempt at its time-out; other runs are unaffected', async () => {
    const url = await startSilentServer();
    t = await startTestServer({ clock: new FakeClock(), mail: { url, from: 'cairn@example.com', timeoutsMs: { connection: 2_000, greeting: 2_000, socket: 2_000 } } });
    await publish(t, 'mailer', mailer(1));
    await publish(t, 'quick', buildGraph([['start', 'start'], ['end', 'end', { output: '{{ { "done": true } }}' }]], ['start.next -> end']));
    const hanging = await startRun(t, 'mailer', { to: 'ada@example.com', subject: 'Hi' });
    const quick = await startRun(t, 'quick', {});
    // The quick run completes while the e-mail attempt is still waiting for a greeting.
    await until(async () => (await t!.call('GET', `/api/v1/instances/${quick}`)).body.status === 'completed', 'the quick run');
    expect((await t.call('GET', `/api/v1/instances/${hanging}`)).body.status).toBe('running');
    await t.worker.drain();
    const failed = (await t.call('GET', `/api/v1/instances/${hanging}`)).body;
    expect(failed.status).toBe('failed');
    expect(JSON.stringify(failed.error)).toMatch(/sending the e-mail failed: .*(Greeting never received|timeout)/i);
  });
});
