// `cairn run <graph.json> --input '<json>'`: runs a graph locally until it ends or first waits, and
// prints its history. Uses a throw-away SQLite file unless --db names one. The actions are those of
// `cairn start`: the built-ins and the team's actions folder (CAIRN_ACTIONS_DIR, default ./actions).
import { setExpressionBudget } from '../../shared/expressions.js';
import { setCodeBudget } from '../sandbox/code-sandbox.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateGraph } from '../../shared/validate.js';
import { validateOptions } from '../services/graph-checks.js';
import { parseAllowList } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import { createActionRegistry, loadTeamActions } from '../actions/team-actions.js';
import { openSqliteEngineDatabase } from '../db/sqlite/engine-database.js';
import { systemClock } from '../engine/clock.js';
import { createEngine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import type { HistoryRecord, InstanceRecord } from '../engine/store.js';
import { createWorker } from '../engine/runner/worker.js';
import { createLogger } from '../logger.js';
import { CliError } from './cli-error.js';
import { createModelClient } from '../ai/model-client.js';
import { loadConfig } from '../config.js';

export interface RunCommandOptions {
  graphFile: string;
  input?: string;
  db?: string;
  out: (line: string) => void;
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function loadGraph(file: string, actions: ActionRegistry) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const result = validateGraph(readJson(text, file), validateOptions(actions));
  if (!result.ok) {
    throw new CliError(`${file} is not a valid graph:\n${result.problems.map((problem) => `  - [${problem.code}] ${problem.message}`).join('\n')}`);
  }
  return result.graph;
}

/** Returns the process exit code: 0 when the run completed or waits, 1 when it failed. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const config = loadConfig();
  // A module that cannot load stops the command naming its file, as it stops `cairn start`.
  const actions = createActionRegistry({
    team: await loadTeamActions(config),
    mail: config.CAIRN_SMTP_URL ? { url: config.CAIRN_SMTP_URL, from: config.CAIRN_MAIL_FROM } : undefined,
  });
  const graph = loadGraph(options.graphFile, actions);
  const input = options.input === undefined ? {} : readJson(options.input, '--input');
  const scratch = options.db ? undefined : mkdtempSync(path.join(os.tmpdir(), 'cairn-run-'));
  const database = openSqliteEngineDatabase(options.db ?? path.join(scratch!, 'run.db'));
  const { store } = database;
  const models = createModelClient(config.ai);
  const egress = parseAllowList(config.CAIRN_HTTP_ALLOW);
  setExpressionBudget({ timeoutMs: config.CAIRN_EXPRESSION_TIMEOUT_MS });
  setCodeBudget({ timeoutMs: config.CAIRN_CODE_TIMEOUT_MS, memoryMb: config.CAIRN_CODE_MEMORY_MB });
  const worker = createWorker({ store, clock: systemClock, actions, models, egress, logger: createLogger({ level: 'warn' }) });
  const engine = createEngine({ store, worker, clock: systemClock });
  try {
    await worker.start();
    const slug = path.basename(options.graphFile).replace(/\.json$/i, '');
    const { versionId } = await database.publishVersion({ slug, graph, now: Date.now() });
    // Other runs may share a --db file: wait for this run's own first pause or end.
    let runId: string | undefined;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    worker.onCheckpoint((notice) => notice.instanceId === runId && notice.status !== 'running' && settle());
    const started = await engine.startRun({ versionId, input }).catch((error: unknown) => {
      throw error instanceof EngineError ? new CliError(error.message) : error;
    });
    runId = started.id;
    if ((await engine.getRun(runId)).status === 'running') await settled;
    const id = started.id;
    const run = await engine.getRun(id);
    printRun(run, await engine.history(id), options.out);
    return run.status === 'failed' ? 1 : 0;
  } finally {
    await worker.stop({ graceMs: 0 });
    await database.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function printRun(run: InstanceRecord, history: HistoryRecord[], out: (line: string) => void): void {
  out(`run ${run.id} of ${run.workflowSlug} v${run.version}`);
  const start = history[0]?.at ?? run.createdAt;
  for (const event of history) {
    const where = event.nodeId ? ` ${event.nodeId}${event.attempt ? `#${event.attempt}` : ''}` : '';
    const data = event.data === undefined ? '' : ` ${truncate(JSON.stringify(event.data), 160)}`;
    out(`  ${String(event.seq).padStart(3)}  +${String(event.at - start).padStart(5)}ms  ${event.type}${where}${data}`);
  }
  out(`status: ${run.status}`);
  if (run.status === 'completed') out(`output: ${JSON.stringify(run.output)}`);
  if (run.status === 'failed') out(`error: [${run.error?.code}] ${run.error?.message}`);
  for (const wait of run.waitingOn) {
    out(`waiting on: ${wait.nodeId} (${wait.kind === 'retry' ? 'retry' : 'timer'})${wait.until ? ` until ${wait.until}` : ''}`);
  }
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
