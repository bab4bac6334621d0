// Performs one script step on a scenario's run: moves the virtual clock timer by timer, sends signals
// and decisions through the engine's public API, and sets stubs and model answers. A step that cannot
// be done throws StepFailure with the reason; the runner names the step.
import { durationMs, formatDuration, MAX_DURATION_MS } from '../../shared/durations.js';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { StepOf, Step } from '../../shared/scenarios/scenario.schema.js';
import type { Approver } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { EngineError } from '../engine/errors.js';
import type { ScenarioDoubles } from './doubles.js';
import { describeRun } from './run-view.js';
import type { Sandbox } from './sandbox.js';

export class StepFailure extends Error {}

export interface StepContext {
  sandbox: Sandbox;
  graph: Graph;
  doubles: ScenarioDoubles;
  runId: string;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const OUTSIDE = new Set(['signal', 'approval', 'child']);

/**
 * Move the clock toward `target` one due callback at a time (each at its own due time, then the worker
 * drains), stopping early when `stop` says so. Returns whether it stopped early.
 */
async function advanceTo(sandbox: Sandbox, target: number, stop?: () => Promise<boolean>): Promise<boolean> {
  const { clock, worker } = sandbox;
  for (;;) {
    const next = clock.nextDueAt();
    if (next === undefined || next > target) break;
    clock.moveTo(next);
    await worker.drain();
    if (stop && (await stop())) return true;
  }
  clock.moveTo(target);
  await worker.drain();
  return stop ? stop() : false;
}

async function advanceUntil(ctx: StepContext, step: StepOf<'advance'>): Promise<void> {
  const { sandbox, runId } = ctx;
  const advance = step.advance as Exclude<StepOf<'advance'>['advance'], string>;
  const within = advance.within === undefined ? MAX_DURATION_MS : durationMs(advance.within);
  const target = sandbox.clock.now() + within;
  const entries = async () => (await sandbox.engine.history(runId)).filter((event) => event.type === 'nodeEntered' && 'untilNode' in advance && event.nodeId === advance.untilNode).length;
  const before = 'untilNode' in advance ? await entries() : 0;
  const done = async () => {
    const run = await sandbox.engine.getRun(runId);
    if ('untilNode' in advance) {
      if ((await entries()) > before) return true;
      if (FINISHED.has(run.status)) throw new StepFailure(`node ${advance.untilNode} was not reached: ${describeRun(run)}`);
      return false;
    }
    return FINISHED.has(run.status) || run.waitingOn.some((wait) => OUTSIDE.has(wait.kind));
  };
  if (await done()) return;
  const next = sandbox.clock.nextDueAt();
  if (next === undefined || next > target) {
    const goal = 'untilNode' in advance ? `node ${advance.untilNode} is not reached` : 'the run does not wait';
    throw new StepFailure(`${goal} and no timer is due within ${formatDuration(within)}: ${describeRun(await sandbox.engine.getRun(runId))}`);
  }
  if (!(await advanceTo(sandbox, target, done))) {
    const goal = 'untilNode' in advance ? `node ${advance.untilNode} was not reached` : 'the run did not come to wait for a signal or decision';
    throw new StepFailure(`${goal} within ${formatDuration(within)}: ${describeRun(await sandbox.engine.getRun(runId))}`);
  }
}

function approver(step: StepOf<'decide'>, task: TaskRecord): Approver {
  if (typeof step.as === 'string') return { user: step.as, roles: [] };
  if (step.as) return { user: step.as.user ?? 'scenario', roles: step.as.roles ?? [], admin: step.as.admin };
  // Unnamed: someone the task is assigned to who has not decided yet (a quorum takes several) and may decide.
  const done = new Set(task.decisions.flatMap((vote) => [vote.by, vote.onBehalfOf ?? vote.by]));
  const user = task.assignees.users.find((candidate) => !done.has(candidate) && !task.policy.forbidden.includes(candidate));
  return { user: user ?? (task.decisions.length === 0 ? 'scenario' : `scenario-${task.decisions.length + 1}`), roles: task.assignees.roles };
}

async function decide(ctx: StepContext, step: StepOf<'decide'>): Promise<void> {
  const { engine } = ctx.sandbox;
  const tasks = await engine.tasksFor({ user: 'scenario', admin: true, status: 'pending' });
  const task = tasks.find((candidate) => candidate.instanceId === ctx.runId && candidate.nodeId === step.decide);
  if (!task) throw new StepFailure(`no pending approval at node ${step.decide}: ${describeRun(await engine.getRun(ctx.runId))}`);
  await engine.decide(task.id, { by: approver(step, task), decision: step.decision, comment: step.comment, form: step.form });
}

async function perform(ctx: StepContext, step: Step): Promise<void> {
  const { sandbox, doubles, runId } = ctx;
  if ('advance' in step) {
    if (typeof step.advance === 'string') await advanceTo(sandbox, sandbox.clock.now() + durationMs(step.advance));
    else await advanceUntil(ctx, step);
  } else if ('signal' in step) await sandbox.engine.signal(runId, step.signal, step.data);
  else if ('decide' in step) await decide(ctx, step);
  else if ('callback' in step) {
    // Until the engine issues callback URLs, a callback is its event node's signal, as the URL would deliver it.
    const node = ctx.graph.nodes.find((candidate) => candidate.id === step.callback)!;
    await sandbox.engine.signal(runId, String((node.config as { event?: unknown }).event), step.data);
  } else if ('ai' in step) doubles.answer(step.ai, step.sequence ?? [step.raw !== undefined ? { raw: step.raw } : step.error !== undefined ? { error: step.error } : { answer: step.answer }]);
  else setStub(doubles, step);
  await sandbox.worker.drain();
}

export function setStub(doubles: ScenarioDoubles, step: StepOf<'stub'>): void {
  const outcomes = step.sequence ?? [step.error !== undefined ? { error: step.error } : { result: step.result }];
  if ('node' in step.stub) doubles.stubNode(step.stub.node, outcomes);
  else doubles.stubAction(step.stub.action, outcomes);
}

/** Perform a step; refusals by the engine (a finished run, a wrong approver, bad form values) are step failures. */
export async function performStep(ctx: StepContext, step: Step): Promise<void> {
  try {
    await perform(ctx, step);
  } catch (error) {
    if (error instanceof EngineError) throw new StepFailure(`refused: ${error.message}`);
    throw error;
  }
}
