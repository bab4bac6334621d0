// The seeded examples: each is a valid graph over the built-in actions, laid out for the canvas, and
// runs end to end in the real engine (SQLite, FakeClock) along its paths: approvals and escalation,
// retries against a real HTTP server, timers, signals, saga compensation and the AI fallback.
import { afterEach, describe, expect, it } from 'vitest';
import { validateGraph } from '../../shared/validate.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry } from '../actions/registry.js';
import { validateOptions } from '../services/graph-checks.js';
import { EXAMPLE_SLUGS, examples } from './examples.js';
import { DAY, HOUR, launch, type Play, type PlayOptions } from '../testing/example-play.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('seed examples', () => {
  it('are the five examples, in order, each read from the file named by its slug', () => {
    expect(examples.map((example) => example.slug)).toEqual([...EXAMPLE_SLUGS]);
    for (const example of examples) {
      expect(example.name).not.toBe('');
      expect(example.description.length).toBeGreaterThan(40);
    }
  });

  it.each(examples)('$slug is a valid graph using only the built-in actions, each step given the input its action declares', ({ graph }) => {
    const result = validateGraph(graph, validateOptions(new ActionRegistry(builtinActions)));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(examples)('$slug is laid out for the canvas: labelled nodes on a grid, left to right, none on top of another', ({ graph }) => {
    const at = new Map(graph.nodes.map((node) => [node.id, node.position]));
    for (const node of graph.nodes) {
      expect(node.label, node.id).toMatch(/\S/);
      expect([Number.isInteger(node.position.x / 260), Number.isInteger(node.position.y / 160)], node.id).toEqual([true, true]);
    }
    expect(new Set(graph.nodes.map(({ position }) => `${position.x},${position.y}`)).size).toBe(graph.nodes.length);
    for (const edge of graph.edges) expect(at.get(edge.target)!.x, edge.id).toBeGreaterThan(at.get(edge.source)!.x);
  });
});

interface Scenario extends PlayOptions {
  name: string;
  slug: (typeof EXAMPLE_SLUGS)[number];
  input: Record<string, unknown>;
  play(p: Play): Promise<void>;
}

const expense = { employee: 'Ada', amount: 420, purpose: 'a conference in Lisbon' };
const subscription = { subscription: 'sub_42', amount: 19.9 };
/** A 14-day trial started at the scenarios' T0 (2026-03-02T09:00Z). */
const trial = { user: 'ada@example.com', trialEndsAt: '2026-03-16T09:00:00.000Z' };
const order = { orderId: 'A-1001', items: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'TEE-M', quantity: 1 }], total: 54.5 };
const ticket = { subject: 'App crashes on save', body: 'Every time I save, the app closes and I lose my work.', customer: 'ada@example.com' };
const classified = { category: 'bug', priority: 'high', summary: 'Saving a document crashes the app.' };

/** Walks a trial to its end: the emails go out at day 0, 7 and 11, then the run waits for "converted". */
async function walkTrial(p: Play) {
  expect(await p.waitingOn()).toEqual([{ nodeId: 'firstWeek', kind: 'timer', until: p.iso(7 * DAY) }]);
  await p.advance('7d');
  expect(await p.waitingOn()).toEqual([{ nodeId: 'beforeTrialEnd', kind: 'timer', until: p.iso(11 * DAY) }]);
  await p.advance(4 * DAY - 1);
  expect(p.sentBy()).toEqual([['welcome', 0], ['tips', 7 * DAY]]);
  await p.advance(1);
  await p.advance('3d');
  expect(p.sentBy()).toEqual([['welcome', 0], ['tips', 7 * DAY], ['reminder', 11 * DAY]]);
  expect(p.sent.find((mail) => mail.nodeId === 'reminder')?.message).toBe('not sent: no SMTP configured: "Your trial ends on 2026-03-16" to ada@example.com');
}

const scenarios: Scenario[] = [
  {
    name: 'expense-approval: a manager approves and the expense is reimbursed',
    slug: 'expense-approval',
    input: expense,
    async play(p) {
      const task = await p.onlyTask('manager');
      expect(task).toMatchObject({ nodeId: 'manager', title: 'Approve 420 EUR for Ada?', data: expense, dueAt: p.t0 + 7 * DAY, assignees: { roles: ['manager'] } });
      expect(task.details).toContain('**Ada** submitted an expense report.');
      await p.advance('2h');
      await p.decide(task.id, { user: 'mia', roles: ['manager'] }, 'approve', { form: { costCentre: 'CC-7' } });
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'reimbursed', amount: 420, approvedBy: 'mia' } });
      expect(p.sentBy()).toEqual([['notifyManager', 0], ['reimburse', 2 * HOUR]]);
      expect(p.sent[1].data).toEqual({ employee: 'Ada', amount: 420, approvedBy: 'mia', costCentre: 'CC-7' });
    },
  },
  {
    name: 'expense-approval: with no decision in 7 days it escalates to a director, who approves',
    slug: 'expense-approval',
    input: expense,
    async play(p) {
      const managerTask = await p.onlyTask('manager');
      await p.advance(7 * DAY - 1);
      expect((await p.run()).status).toBe('waiting');
      await p.advance(1);
      expect(await p.h.engine.task(managerTask.id)).toMatchObject({ status: 'timed_out' });
      expect(await p.tasks('manager')).toEqual([]);
      const escalated = await p.onlyTask('director');
      expect(escalated).toMatchObject({ nodeId: 'director', title: 'Escalated: approve 420 EUR for Ada?', dueAt: null });
      await p.decide(escalated.id, { user: 'dora', roles: ['director'] }, 'approve');
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'reimbursed', amount: 420, approvedBy: 'dora' } });
      expect(p.sentBy()).toEqual([['notifyManager', 0], ['reimburse', 7 * DAY]]);
    },
  },
  {
    name: 'expense-approval: a manager rejects and the employee is told why',
    slug: 'expense-approval',
    input: expense,
    async play(p) {
      const task = await p.onlyTask('manager');
      await p.decide(task.id, { user: 'mia', roles: ['manager'] }, 'reject', { comment: 'Not in this quarter’s budget' });
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'rejected', rejectedBy: 'mia' } });
      expect(p.sentBy()).toEqual([['notifyManager', 0], ['notifyEmployee', 0]]);
      expect(p.sent[1].message).toBe('not sent: no SMTP configured: "Your expense report of 420 EUR was not approved" to expenses@example.com');
    },
  },
  {
    name: 'payment-retry: the payment failed; the gateway answers 503 at +1 h and +1 d 1 h, then 200 at +4 d 1 h',
    slug: 'payment-retry',
    input: subscription,
    gateway: (request) => (request <= 2 ? 503 : 200),
    async play(p) {
      const gateway = p.gateway!;
      // Seed 000: "Wait 1 hour and retry; if still failing, wait 1 day …; wait 3 days …" — no charge at once.
      expect(gateway.requests).toHaveLength(0);
      expect(await p.waitingOn()).toEqual([{ nodeId: 'firstRetry', kind: 'timer', until: p.iso(HOUR) }]);
      const calls: number[] = [];
      for (const [by, expected] of [[HOUR - 1, 0], [1, 1], [DAY - 1, 1], [1, 2], [3 * DAY - 1, 2], [1, 3]] as const) {
        await p.advance(by);
        expect(gateway.requests).toHaveLength(expected);
        if (calls.length < expected) calls.push(p.clock.now() - p.t0);
      }
      expect(calls).toEqual([HOUR, DAY + HOUR, 4 * DAY + HOUR]);
      const run = await p.run();
      expect(run).toMatchObject({ status: 'completed', output: { status: 'paid', subscription: 'sub_42', gateway: { chargeId: 'ch_3' } } });
      expect(run.finishedAt).toBe(p.t0 + HOUR + 4 * DAY);
      // Every attempt carries the same Idempotency-Key, so the gateway can dedupe a charge that did go through.
      expect(new Set(gateway.requests.map((request) => request.headers['idempotency-key']))).toEqual(new Set([`${p.runId}:charge:1`]));
      expect(gateway.requests[2]).toMatchObject({ method: 'POST', body: { subscription: 'sub_42', amount: 19.9, currency: 'EUR' } });
      expect(p.sentBy()).toEqual([['receipt', HOUR + 4 * DAY]]);
    },
  },
  {
    name: 'payment-retry: the gateway keeps answering 503; the subscription is suspended and the customer told',
    slug: 'payment-retry',
    input: subscription,
    gateway: () => 503,
    async play(p) {
      for (const wait of ['1h', '1d', '3d']) await p.advance(wait);
      expect(p.gateway!.requests).toHaveLength(3);
      expect(await p.run()).toMatchObject({
        status: 'completed',
        output: { status: 'suspended', subscription: 'sub_42', reason: `POST ${p.gateway!.url} answered 503` },
      });
      expect(p.sentBy()).toEqual([['suspend', HOUR + 4 * DAY], ['notifyUser', HOUR + 4 * DAY]]);
    },
  },
  {
    name: 'subscription-lifecycle: the user converts when the trial ends',
    slug: 'subscription-lifecycle',
    input: trial,
    async play(p) {
      await walkTrial(p);
      expect(await p.waitingOn()).toEqual([{ nodeId: 'converted', kind: 'signal', on: 'converted', until: p.iso(14 * DAY + HOUR) }]);
      await p.advance('20m');
      await p.signal('converted', { plan: 'pro' });
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'converted', user: trial.user, conversion: { plan: 'pro' } } });
      expect(p.sentBy().map(([nodeId]) => nodeId)).not.toContain('winback');
    },
  },
  {
    name: 'subscription-lifecycle: a conversion signalled during the trial is kept until the trial ends',
    slug: 'subscription-lifecycle',
    input: trial,
    async play(p) {
      await p.advance('9d');
      await p.signal('converted', { plan: 'team' });
      expect((await p.run()).status).toBe('waiting');
      await p.advance(5 * DAY);
      const run = await p.run();
      expect(run).toMatchObject({ status: 'completed', output: { status: 'converted', conversion: { plan: 'team' } } });
      expect(run.finishedAt).toBe(p.t0 + 14 * DAY);
    },
  },
  {
    name: 'subscription-lifecycle: not converted; a win-back email an hour after the trial ends',
    slug: 'subscription-lifecycle',
    input: trial,
    async play(p) {
      await walkTrial(p);
      await p.advance('1h');
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'not-converted', user: trial.user } });
      expect(p.sentBy().at(-1)).toEqual(['winback', 14 * DAY + HOUR]);
    },
  },
  {
    name: 'order-fulfilment: confirmed by the warehouse, delivered, and a review asked for 3 days later',
    slug: 'order-fulfilment',
    input: order,
    async play(p) {
      const waiting = await p.run();
      expect(waiting.state.outputs.reserve).toEqual({ reservationId: 'res-A-1001', skus: ['MUG-01', 'TEE-M'], units: 3 });
      expect(waiting.waitingOn).toEqual([{ nodeId: 'warehouse', kind: 'signal', on: 'warehouse-confirmed', until: p.iso(24 * HOUR) }]);
      await p.advance('5h');
      await p.signal('warehouse-confirmed', { trackingNumber: 'TRK-9' });
      expect(await p.waitingOn()).toEqual([{ nodeId: 'delivered', kind: 'signal', on: 'delivered', until: p.iso(5 * HOUR + 30 * DAY) }]);
      await p.advance('2d');
      await p.signal('delivered', { at: 'front door' });
      await p.advance(3 * DAY - 1);
      expect((await p.run()).status).toBe('waiting');
      await p.advance(1);
      expect(await p.run()).toMatchObject({
        status: 'completed',
        output: { status: 'fulfilled', orderId: 'A-1001', reservationId: 'res-A-1001', trackingNumber: 'TRK-9' },
      });
      expect(p.sentBy()).toEqual([['charge', 0], ['shipped', 5 * HOUR], ['review', 5 * HOUR + 5 * DAY]]);
      expect(p.sent[1].message).toBe('not sent: no SMTP configured: "Your order A-1001 is on its way" to orders@example.com');
      expect((await p.h.historyTypes(p.runId)).filter((type) => type.startsWith('compensation'))).toEqual([]);
    },
  },
  {
    name: 'order-fulfilment: no warehouse confirmation in 24 hours fails the order, refunding and releasing the stock',
    slug: 'order-fulfilment',
    input: order,
    async play(p) {
      await p.advance(24 * HOUR - 1);
      expect((await p.run()).status).toBe('waiting');
      await p.advance(1);
      expect((await p.run()).error).toMatchObject({
        code: 'FAILED_BY_NODE',
        nodeId: 'notConfirmed',
        message: 'Warehouse did not confirm order A-1001 within 24 hours',
        compensated: true,
      });
      expect((await p.run()).status).toBe('failed');
      const types = await p.h.historyTypes(p.runId);
      expect(types.slice(types.indexOf('compensationStarted'))).toEqual([
        'compensationStarted',
        'compensationAttemptStarted:charge',
        'compensationCompleted:charge',
        'compensationAttemptStarted:reserve',
        'compensationCompleted:reserve',
        'runFailed:notConfirmed',
      ]);
      expect(p.sent.map((mail) => [mail.nodeId, mail.at, mail.message])).toEqual([
        ['charge', 0, 'Charge 54.5 EUR for order A-1001'],
        ['charge', 24 * HOUR, 'Refund 54.5 EUR for order A-1001'],
        ['reserve', 24 * HOUR, 'Release inventory reservation res-A-1001 for order A-1001'],
      ]);
    },
  },
  {
    name: 'ticket-triage: the model classifies a high-priority bug; on-call is paged and the ticket queued',
    slug: 'ticket-triage',
    input: ticket,
    model: [{ content: JSON.stringify(classified) }],
    async play(p) {
      expect(await p.run()).toMatchObject({ status: 'completed', output: { ...classified, classifiedBy: 'ai', status: 'routed' } });
      expect(p.sentBy()).toEqual([['oncall', 0], ['queue', 0]]);
      expect(p.sent[1].message).toBe('Ticket "App crashes on save" goes to the bug queue (high priority)');
      const [request] = p.model!.requests;
      expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: `Customer: ${ticket.customer}\nSubject: ${ticket.subject}\n\n${ticket.body}` });
      expect(request.body.messages[0].content).toMatch(/^You triage customer support tickets/);
    },
  },
  {
    name: 'ticket-triage: malformed model answers fall back to a support lead, who classifies the ticket',
    slug: 'ticket-triage',
    input: { ...ticket, subject: 'Charged twice' },
    model: [{ content: 'Sure! {"category": "billing"' }, { content: 'billing, I think' }],
    async play(p) {
      expect(p.model!.requests).toHaveLength(2);
      const task = await p.onlyTask('support-lead');
      expect(task).toMatchObject({ nodeId: 'review', title: 'Classify ticket: Charged twice', data: { customer: ticket.customer, subject: 'Charged twice' } });
      expect(task.details).toMatch(/could not classify this ticket \(\*.*not JSON.*\*\)/);
      await p.advance('15m');
      await p.decide(task.id, { user: 'lee', roles: ['support-lead'] }, 'approve', { form: { category: 'billing', priority: 'normal' } });
      expect(await p.run()).toMatchObject({
        status: 'completed',
        output: { category: 'billing', priority: 'normal', summary: 'Charged twice', classifiedBy: 'lee', status: 'routed' },
      });
      expect(p.sentBy()).toEqual([['queue', 15 * 60_000]]);
    },
  },
  {
    name: 'ticket-triage: with no model configured a support lead decides, and rejecting closes the ticket',
    slug: 'ticket-triage',
    input: ticket,
    async play(p) {
      const task = await p.onlyTask('support-lead');
      expect(task.details).toContain('(*no model configured*)');
      await p.decide(task.id, { user: 'lee', roles: ['support-lead'] }, 'reject', { comment: 'duplicate of #12' });
      expect(await p.run()).toMatchObject({ status: 'completed', output: { status: 'closed', closedBy: 'lee' } });
      expect(p.sentBy()).toEqual([['close', 0]]);
    },
  },
];

describe('seed examples run end to end', () => {
  it('every example has a scenario', () => {
    expect(new Set(scenarios.map((scenario) => scenario.slug))).toEqual(new Set(EXAMPLE_SLUGS));
  });

  it.each(scenarios)('$name', async ({ slug, input, play, ...options }) => {
    const p = await launch(slug, input, options, cleanups);
    await play(p);
    expect(p.engineErrors).toEqual([]);
  });
});
