// "Save this run as a scenario": a real run's history becomes a cairn.scenario/v1 scenario. Its input
// and start time; every step's recorded outcomes (errors, then the result) and every AI node's answers
// as stubs in force from the start; its signals and decisions as steps, each after advancing the
// virtual clock to the moment the run received it; and its path, status and output as expectations.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { MAX_DURATION_MS } from '../../shared/durations.js';
import { expectationsSchema, type AiOutcome, type Expectations, type Scenario, type Step, type StubOutcome } from '../../shared/scenarios/scenario.schema.js';
import type { HistoryRecord, InstanceRecord } from '../engine/store.js';

type RunFacts = Pick<InstanceRecord, 'id' | 'status' | 'input' | 'output' | 'error' | 'createdAt' | 'updatedAt' | 'finishedAt'>;

const UNITS: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];

/** A duration as the format writes it: the largest unit that divides it ("7d", "90s", "1500ms"). */
export function durationText(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Advance steps from `from` to `to` (a step moves at most a year). */
function advances(from: number, to: number): Step[] {
  const steps: Step[] = [];
  for (let left = to - from; left > 0; left -= MAX_DURATION_MS) steps.push({ advance: durationText(Math.min(left, MAX_DURATION_MS)) });
  return steps;
}

interface Recorded {
  stubs: Map<string, StubOutcome[]>;
  answers: Map<string, AiOutcome[]>;
  /** Signals and decisions in the order the run received them, with when. */
  inputs: { at: number; step: Step }[];
  path: string[];
}

/** One visit's outcomes per node: a later visit starts the node's list again (the stub repeats per attempt). */
function startVisit<T>(lists: Map<string, T[]>, seen: Set<string>, key: string): T[] {
  if (!seen.has(key)) {
    seen.add(key);
    lists.set(key.split('#')[0], []);
  }
  return lists.get(key.split('#')[0])!;
}

function read(graph: Graph, history: readonly HistoryRecord[]): Recorded {
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  const recorded: Recorded = { stubs: new Map(), answers: new Map(), inputs: [], path: [] };
  const visits = new Set<string>();
  for (const event of history) {
    const nodeId = event.nodeId;
    const data = (event.data ?? {}) as Record<string, any>;
    const visitKey = `${nodeId}#${event.visit ?? 0}`;
    if (event.type === 'nodeEntered' && nodeId) recorded.path.push(nodeId);
    else if (event.type === 'stepAttemptFailed' && nodeId && !String(data.error?.code ?? '').startsWith('INTERRUPTED')) {
      startVisit(recorded.stubs, visits, visitKey).push({ error: { message: String(data.error?.message ?? 'failed'), code: data.error?.code, retryable: data.error?.retryable } });
    } else if (event.type === 'nodeCompleted' && nodeId && kinds.get(nodeId) === 'step' && data.port === 'ok') {
      startVisit(recorded.stubs, visits, visitKey).push({ result: data.output ?? null });
    } else if (event.type === 'aiAnswered' && nodeId) startVisit(recorded.answers, visits, visitKey).push({ raw: String(data.raw) });
    else if (event.type === 'aiAttemptFailed' && nodeId) {
      const outcomes = startVisit(recorded.answers, visits, visitKey);
      outcomes.push(typeof data.raw === 'string' ? { raw: data.raw } : { error: String(data.message ?? 'the model failed') });
    } else if (event.type === 'signalReceived') recorded.inputs.push({ at: event.at, step: { signal: String(data.name), ...(data.data !== undefined && data.data !== null ? { data: data.data } : {}) } });
    else if (event.type === 'approvalDecided' && nodeId) {
      const step: Step = { decide: nodeId, decision: data.decision === 'approved' ? 'approve' : 'reject', as: { user: String(data.by ?? 'scenario'), admin: true } };
      if (data.comment !== undefined) step.comment = data.comment;
      if (data.form !== undefined && data.form !== null) step.form = data.form;
      recorded.inputs.push({ at: event.at, step });
    }
  }
  return recorded;
}

function expectations(run: RunFacts, path: string[]): Expectations {
  const statuses: readonly string[] = expectationsSchema.shape.status.unwrap().options;
  const expect: Expectations = { path, ...(statuses.includes(run.status) ? { status: run.status as Expectations['status'] } : {}) };
  if (run.status === 'completed' && run.output !== undefined) expect.output = run.output;
  if (run.status === 'failed' && run.error) expect.error = { code: run.error.code, ...(run.error.nodeId ? { nodeId: run.error.nodeId } : {}) };
  return expect;
}

/** The scenario a real run's history makes; `name` names it. Runs with child runs are not covered (the runner has no children). */
export function scenarioFromRun(run: RunFacts, graph: Graph, history: readonly HistoryRecord[], name: string): Scenario {
  const recorded = read(graph, history);
  const steps: Step[] = [];
  for (const [node, sequence] of recorded.stubs) steps.push({ stub: { node }, sequence });
  for (const [ai, sequence] of recorded.answers) steps.push({ ai, sequence });
  let now = run.createdAt;
  for (const input of recorded.inputs) {
    steps.push(...advances(now, input.at), input.step);
    now = Math.max(now, input.at);
  }
  const end = run.finishedAt ?? run.updatedAt;
  steps.push(...advances(now, end));
  return {
    name,
    description: `Saved from run ${run.id}`,
    startAt: new Date(run.createdAt).toISOString(),
    input: run.input,
    steps,
    expect: expectations(run, recorded.path),
  };
}
