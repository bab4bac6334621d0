// The scenario runner on the real engine: the virtual clock (a trial and a year-long trial in well
// under a second of wall time, timers firing in order at their due times), stubs and real actions,
// steps the engine refuses, and an action that never answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { checkReferences } from '../../shared/scenarios/check-references.js';
import { parseScenarios } from '../../shared/scenarios/parse-scenarios.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { parseAllowList } from '../actions/egress.js';
import { ActionRegistry, defineAction } from '../actions/registry.js';
import { loadExample } from '../seed/examples.js';
import { buildGraph } from '../testing/graphs.js';
import { scratchRoot } from '../testing/sqlite-template.js';
import { testDialect } from '../testing/test-database.js';
import { runScenarios } from './run-all.js';

const DAY = 86_400_000;
const calls: string[] = [];
const countAction = defineAction({
  name: 'count',
  description: 'records that it ran',
  input: z.object({ tag: z.string() }),
  run: ({ tag }) => (calls.push(tag), { ran: tag }),
});
const hangAction = defineAction({ name: 'hang', description: 'never answers', input: z.object({}), run: () => new Promise(() => {}) });
const actions = new ActionRegistry([...builtinActions, countAction, hangAction]);

let server: Server;
let serverUrl: string;
let requests = 0;
beforeAll(async () => {
  server = createServer((_, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ chargeId: `ch_${requests}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charges`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

async function run(graph: Graph, fields: Record<string, unknown>, options: { timeoutMs?: number } = {}) {
  const read = parseScenarios({ format: 'cairn.scenario/v1', name: 'case', ...fields }, 'case');
  if (!read.ok) throw new Error(read.problems.join('\n'));
  const [scenario] = read.scenarios;
  expect(checkReferences(scenario, graph, 'case')).toEqual([]);
  const suite = await runScenarios([{ scenario, graph, slug: 'case', source: 'case', workflowSource: 'case' }], { actions, egress: parseAllowList(['127.0.0.1']), timeoutMs: options.timeoutMs, scratch: scratchRoot() });
  return suite.results[0];
}

const subscription = loadExample('subscription-lifecycle').graph;
const expense = loadExample('expense-approval').graph;

/** JSONata: when `node` completed, in ms after the start. */
const doneAt = (node: string) => `history[type = 'nodeCompleted' and nodeId = '${node}'].at - history[0].at`;

describe.runIf(testDialect() === 'sqlite')('scenario runner', () => {
  it('a 14-day trial in one 30-day advance: each timer fires at its own due time, in order, in well under a second', async () => {
    const result = await run(subscription, {
      startAt: '2026-03-02T09:00:00Z',
      input: { user: 'ada@example.com', trialEndsAt: '2026-03-16T09:00:00.000Z' },
      steps: [{ advance: '30d' }],
      expect: {
        status: 'completed',
        path: ['start', 'welcome', 'firstWeek', 'tips', 'beforeTrialEnd', 'reminder', 'trialEnd', 'converted', 'winback', 'lapsed'],
        duration: 'P14DT1H',
        assert: [`${doneAt('firstWeek')} = ${7 * DAY}`, `${doneAt('beforeTrialEnd')} = ${11 * DAY}`, `${doneAt('trialEnd')} = ${14 * DAY}`, `${doneAt('converted')} = ${14 * DAY + 3_600_000}`],
      },
    });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.wallMs).toBeLessThan(1_000);
  });

  it('a year-long trial (the emails at day 7 and 362, the end at day 365) also runs in well under a second', async () => {
    const began = performance.now();
    const result = await run(subscription, {
      startAt: '2026-01-01T00:00:00Z',
      input: { user: 'ada@example.com', trialEndsAt: '2027-01-01T00:00:00.000Z' },
      steps: [{ advance: '1y', expect: { waitingAt: ['converted'], visited: ['reminder'] } }, { signal: 'converted', data: { plan: 'yearly' } }],
      expect: { status: 'completed', output: { status: 'converted', conversion: { plan: 'yearly' } }, duration: '365d', assert: [`${doneAt('beforeTrialEnd')} = ${362 * DAY}`, `${doneAt('firstWeek')} < ${doneAt('beforeTrialEnd')}`] },
    });
    expect(result.failures).toEqual([]);
    expect(performance.now() - began).toBeLessThan(1_000);
  });

  it('actions not stubbed run for real; stubs of an action, of a node (winning over its action), one outcome per attempt', async () => {
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['a', 'step', { action: 'count', input: { tag: 'a' }, retry: { maxAttempts: 3, initialInterval: '1m', jitter: 0 } }],
        ['b', 'step', { action: 'count', input: { tag: 'b' } }],
        ['pay', 'step', { action: 'http.request', input: { method: 'POST', url: '{{ input.url }}' } }],
        ['end', 'end', { output: '{{ { "a": nodes.a, "b": nodes.b, "pay": nodes.pay.body } }}' }],
      ],
      ['start.next -> a', 'a.ok -> b', 'b.ok -> pay', 'pay.ok -> end'],
    );
    calls.length = 0;
    const before = requests;
    const real = await run(graph, { input: { url: serverUrl }, expect: { status: 'completed', output: { a: { ran: 'a' }, b: { ran: 'b' }, pay: { chargeId: `ch_${before + 1}` } } } });
    expect(real.failures).toEqual([]);
    expect([calls, requests - before]).toEqual([['a', 'b'], 1]);

    calls.length = 0;
    const stubbed = await run(graph, {
      input: { url: serverUrl },
      steps: [
        { stub: { action: 'count' }, result: { stubbed: true } },
        { stub: { node: 'a' }, sequence: [{ error: 'busy' }, { error: { message: 'still busy', code: 'BUSY' } }, { result: { third: true } }] },
        { stub: { node: 'pay' }, result: { status: 200, headers: {}, body: { chargeId: 'ch_stub' } } },
        { advance: '1m', expect: { attempts: { a: 2 }, status: 'waiting' } },
        { advance: '2m' },
      ],
      expect: { status: 'completed', attempts: { a: 3, b: 1, pay: 1 }, output: { a: { third: true }, b: { stubbed: true }, pay: { chargeId: 'ch_stub' } }, duration: '3m' },
    });
    expect(stubbed.failures).toEqual([]);
    expect([calls, requests - before]).toEqual([[], 1]);

    const refused = await run(graph, { input: { url: serverUrl }, steps: [{ stub: { node: 'a' }, error: { message: 'card declined', code: 'DECLINED', retryable: false } }], expect: { status: 'failed', attempts: { a: 1 }, error: { code: 'DECLINED', nodeId: 'a', message: 'card declined' }, notVisited: ['b'] } });
    expect(refused.failures).toEqual([]);
  });

  it('a stub may stand in for an action this machine does not have', async () => {
    const graph = buildGraph([['start', 'start'], ['crm', 'step', { action: 'crm.update', input: { id: 1 } }], ['end', 'end', { output: '{{ nodes.crm }}' }]], ['start.next -> crm', 'crm.ok -> end']);
    const result = await run(graph, { steps: [{ stub: { action: 'crm.update' }, result: { updated: 1 } }], expect: { status: 'completed', output: { updated: 1 } } });
    expect(result.failures).toEqual([]);
  });

  it('steps the engine refuses fail the scenario at that step, with its reason, and the script stops there', async () => {
    const input = { employee: 'Ada', amount: 420, purpose: 'Lisbon' };
    const noTask = await run(expense, { input, steps: [{ decide: 'director', decision: 'approve' }, { decide: 'manager', decision: 'approve' }] });
    expect(noTask.failures).toEqual([expect.stringMatching(/^step 1 \(decide director approve\): no pending approval at node director: the run waits at manager \(approval \S+\)$/)]);

    const stranger = await run(expense, { input, steps: [{ decide: 'manager', decision: 'approve', as: 'eve' }] });
    expect(stranger.failures).toEqual([expect.stringMatching(/^step 1 \(decide manager approve\): refused: eve is not an assignee of approval "\S+"$/)]);

    const badForm = await run(expense, { input, steps: [{ decide: 'manager', decision: 'approve', form: { costCentre: 'nope' } }] });
    expect(badForm.failures[0]).toMatch(/^step 1 \(decide manager approve\): refused: the form values are invalid: .*costCentre/);

    const late = await run(expense, { input, steps: [{ decide: 'manager', decision: 'reject' }, { signal: 'late' }] });
    expect(late.failures).toEqual([expect.stringMatching(/^step 2 \(signal late\): refused: run "\S+" has already completed; it takes no more signals$/)]);

    const passed = await run(subscription, { input: { user: 'a@b.c', trialEndsAt: '2026-01-10T00:00:00Z' }, steps: [{ advance: { untilWaiting: true } }, { advance: { untilNode: 'subscribed' } }] });
    expect(passed.failures).toEqual(['step 2 (advance until node subscribed): node subscribed was not reached: the run is completed']);

    const stuck = await run(expense, { input, steps: [{ advance: '7d' }, { advance: { untilNode: 'reimburse' } }] });
    expect(stuck.failures).toEqual([expect.stringMatching(/^step 2 \(advance until node reimburse\): node reimburse is not reached and no timer is due within 365d: the run waits at director \(approval \S+\)$/)]);
  });

  it('an action that never answers fails its scenario after the wall-time limit; the next scenario is unaffected', async () => {
    const graph = buildGraph([['start', 'start'], ['stall', 'step', { action: 'hang', input: {} }], ['end', 'end']], ['start.next -> stall', 'stall.ok -> end']);
    const hung = await run(graph, { steps: [{ advance: '1d' }] }, { timeoutMs: 300 });
    expect(hung.failures).toEqual(['the start of the run: timed out after 300 ms of wall time (an action that does not answer?)']);
    const next = await run(expense, { input: { employee: 'Ada', amount: 1, purpose: 'x' }, steps: [{ decide: 'manager', decision: 'approve' }], expect: { status: 'completed' } });
    expect(next.failures).toEqual([]);
  });
});
