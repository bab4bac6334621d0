// What a scenario's expectations look at, read through the engine's public API (the run record and
// its history): status, path, node outputs, attempts, waits and workflow time.
import type { Engine } from '../engine/engine.js';
import type { HistoryRecord, InstanceRecord } from '../engine/store.js';

export interface RunView {
  status: InstanceRecord['status'];
  input: unknown;
  output: unknown;
  error: InstanceRecord['error'];
  /** Every node entered, in order. */
  path: string[];
  /** Each node's last output. */
  nodes: Record<string, unknown>;
  /** Step attempts and model calls per node. */
  attempts: Record<string, number>;
  waitingAt: string[];
  /** Milliseconds of workflow time from the run's start to its end, or to now while it runs. */
  duration: number;
  history: HistoryRecord[];
}

const ATTEMPTS = new Set(['stepAttemptStarted', 'aiAttemptStarted']);

export function viewOf(run: InstanceRecord, history: HistoryRecord[], now: number): RunView {
  const path: string[] = [];
  const nodes: Record<string, unknown> = {};
  const attempts: Record<string, number> = {};
  for (const event of history) {
    if (!event.nodeId) continue;
    if (event.type === 'nodeEntered') path.push(event.nodeId);
    else if (event.type === 'nodeCompleted') nodes[event.nodeId] = (event.data as { output?: unknown } | undefined)?.output ?? null;
    else if (ATTEMPTS.has(event.type)) attempts[event.nodeId] = (attempts[event.nodeId] ?? 0) + 1;
  }
  return {
    status: run.status,
    input: run.input,
    output: run.output,
    error: run.error,
    path,
    nodes,
    attempts,
    waitingAt: [...new Set(run.waitingOn.map((wait) => wait.nodeId))],
    duration: (run.finishedAt ?? now) - run.createdAt,
    history,
  };
}

export async function observe(engine: Engine, runId: string, now: number): Promise<RunView> {
  const [run, history] = await Promise.all([engine.getRun(runId), engine.history(runId)]);
  return viewOf(run, history, now);
}

/** Where a run stands, for failure messages: "waits at converted (signal)", "completed". */
export function describeRun(run: Pick<InstanceRecord, 'status' | 'waitingOn' | 'error'>): string {
  if (run.status === 'waiting') return `the run waits at ${run.waitingOn.map((wait) => `${wait.nodeId} (${wait.kind}${wait.on ? ` ${wait.on}` : ''})`).join(', ')}`;
  if (run.status === 'failed') return `the run failed${run.error ? `: [${run.error.code}] ${run.error.message}` : ''}`;
  return `the run is ${run.status}`;
}
