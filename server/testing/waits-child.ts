// The process the wait-crash tests kill: an engine on the database at the given URL (SQLite or
// PostgreSQL) with the system clock and short leases. `start` publishes an approval, an event and a parent → child subflow workflow,
// starts one run of each, and prints their ids once all of them wait; `resume` only runs the worker;
// `frozen` serves the engine API with no worker (what it accepts stays in the inbox, undelivered).
// Every mode then answers JSON commands on stdin, one a line, with one JSON reply a line on stdout,
// and exits when stdin closes.
// Usage: waits-child <database-url> <start|resume|frozen>
import { createInterface } from 'node:readline';
import { validateGraph } from '../../shared/validate.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry } from '../actions/registry.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../engine/clock.js';
import { createEngine, type Approver, type DecideRequest } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { createWorker } from '../engine/runner/worker.js';
import { buildGraph } from './graphs.js';

const [databaseUrl, mode] = process.argv.slice(2);
if (!databaseUrl || !['start', 'resume', 'frozen'].includes(mode ?? '')) {
  process.stderr.write('usage: waits-child <database-url> <start|resume|frozen>\n');
  process.exit(2);
}

/** The workflows, by slug. The parent's subflow runs `child` (on its active version). */
const WAIT_GRAPHS = {
  expense: buildGraph(
    [
      ['start', 'start'],
      [
        'approve',
        'approval',
        {
          title: 'Approve {{ input.item }} for {{ input.amount }} EUR',
          details: 'Requested by {{ input.requester }}',
          data: '{{ { "amount": input.amount } }}',
          assignees: { roles: ['manager'] },
        },
      ],
      ['approved', 'end', { output: '{{ { "approved": true, "by": nodes.approve.by, "comment": nodes.approve.comment } }}' }],
      ['refused', 'end', { output: '{{ { "approved": false } }}' }],
    ],
    ['start.next -> approve', 'approve.approved -> approved', 'approve.rejected -> refused'],
  ),
  shipment: buildGraph(
    [['start', 'start'], ['confirm', 'event', { event: 'confirmed' }], ['end', 'end', { output: '{{ { "confirmation": nodes.confirm } }}' }]],
    ['start.next -> confirm', 'confirm.received -> end'],
  ),
  child: buildGraph(
    [['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ { "n": input.n, "go": nodes.go } }}' }]],
    ['start.next -> go', 'go.received -> end'],
  ),
  parent: buildGraph(
    [
      ['start', 'start'],
      ['sub', 'subflow', { workflow: 'child', input: '{{ { "n": input.n } }}' }],
      ['end', 'end', { output: '{{ { "fromChild": nodes.sub } }}' }],
      ['broken', 'fail', { message: 'the child run did not complete' }],
    ],
    ['start.next -> sub', 'sub.ok -> end', 'sub.error -> broken'],
  ),
};

const WAIT_INPUTS = {
  expense: { item: 'laptop', amount: 1250, requester: 'ana' },
  shipment: { order: 'A-17' },
  parent: { n: 7 },
};

const database = await openEngineDatabase(databaseUrl);
const store = database.store;
const actions = new ActionRegistry(builtinActions);
const worker = createWorker({ store, clock: systemClock, actions, logger: createLogger({ level: 'warn' }), leaseMs: 1_000 });
// Built as a variable: the engine's deps are gaining the clock, and an object literal would be
// checked for excess properties against whichever shape is current.
const engineDeps = { store, worker, clock: systemClock };
const engine = createEngine(engineDeps);

const reply = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function startAll(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const [slug, graph] of Object.entries(WAIT_GRAPHS)) {
    const result = validateGraph(graph, { actions: actions.names() });
    if (!result.ok) throw new Error(`invalid graph ${slug}: ${result.problems.map((problem) => problem.message).join('; ')}`);
    versions[slug] = (await database.publishVersion({ slug, graph, now: systemClock.now() })).versionId;
  }
  const [expense, shipment, parent] = await Promise.all(
    (['expense', 'shipment', 'parent'] as const).map((slug) => engine.startRun({ versionId: versions[slug], input: WAIT_INPUTS[slug] })),
  );
  await worker.drain();
  const child = await database.scalar<string | undefined>('SELECT id FROM instances WHERE parent_id = ?', parent.id);
  if (!child) throw new Error('the parent run has no child run after draining');
  return { expense: expense.id, shipment: shipment.id, parent: parent.id, child };
}

type Command =
  | { id: number; op: 'tasks'; who: Approver }
  | { id: number; op: 'decide'; taskId: string; request: DecideRequest }
  | { id: number; op: 'signal'; runId: string; name: string; data?: unknown }
  | { id: number; op: 'run'; runId: string }
  | { id: number; op: 'stop' };

async function perform(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'tasks':
      return engine.tasksFor(command.who);
    case 'decide':
      return engine.decide(command.taskId, command.request);
    case 'signal':
      return engine.signal(command.runId, command.name, command.data);
    case 'run':
      return engine.getRun(command.runId);
    case 'stop':
      await worker.stop({ graceMs: 1_000 });
      await database.close();
      return null;
  }
}

async function main(): Promise<void> {
  if (mode !== 'frozen') await worker.start();
  reply({ ready: mode === 'start' ? await startAll() : true });
  // Commands run one at a time, in order, so a reply always follows the work it names.
  let chain = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  // Whoever drives this process went away (the test runner ended): end with it, never linger.
  lines.on('close', () => void chain.then(() => process.exit(0)));
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const command = JSON.parse(line) as Command;
    chain = chain.then(async () => {
      try {
        reply({ id: command.id, ok: true, result: (await perform(command)) ?? null });
      } catch (error) {
        const code = error instanceof EngineError ? error.code : 'ERROR';
        reply({ id: command.id, ok: false, error: { code, message: String((error as Error).message ?? error) } });
      }
      if (command.op === 'stop') process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`waits-child: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
