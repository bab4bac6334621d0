// The pure core: (context, state, event) → new state, history entries and effects. No clock (the
// time is ctx.now), no I/O, no randomness. Async only where JSONata 2 evaluates (asynchronously):
// a transition that evaluates none returns its result at once (maybe-async.ts).
import { executorOf } from './kinds/index.js';
import type { AddressedEventType, EventOf, KindNode, OfferedEventType, RunLevelEventType, TokenEventType } from './kinds/executor.js';
import { resumeAfterBackoff } from './attempts.js';
import { compensationFailed, compensationSucceeded, continueCompensation } from './compensation.js';
import { RunFailure, runError } from './failures.js';
import { recordActionLogs } from './action-logs.js';
import { unclaimed } from './inbox.js';
import { startRerun } from './rerun.js';
import { Run, type StopToken } from './run.js';
import { andThen, type MaybePromise } from './maybe-async.js';
import type { ErrorInfo, RunContext, RunEvent, RunState, Token, Transition, WaitingOn } from './types.js';

export function initialState(): RunState {
  return { tokens: [], nextTokenNumber: 1, visits: {}, outputs: {}, joins: {}, compensable: [] };
}

const INTERRUPTED: ErrorInfo = {
  name: 'AttemptInterrupted',
  code: 'INTERRUPTED',
  message: 'the attempt was interrupted: its worker stopped before it finished',
  retryable: true,
};

/** The events that belong to the run as a whole; every other event goes to a token's kind. */
const runHandlers: { [K in RunLevelEventType]: (run: Run, event: EventOf<K>) => Promise<void> | void } = {
  start(run) {
    if (run.state.rerun) return startRerun(run, run.state.rerun);
    const { instance } = run.ctx;
    run.record({ type: 'runStarted', data: { workflow: instance.workflow, version: instance.version, input: instance.input } });
    run.newToken(run.ctx.graph.startId);
  },
  async recover(run) {
    const interruptions = (run.state.interruptions ?? 0) + 1;
    run.state.interruptions = interruptions;
    if (interruptions >= run.ctx.limits.interruptions) return quarantine(run, interruptions);
    for (const token of run.state.tokens.filter((candidate) => candidate.status === 'running')) {
      const node = run.node(token.nodeId);
      const recover = token.compensating ? undefined : executorOf(node.kind).recover;
      if (recover) recover(run, token, node);
      else await toToken(run, token, { type: 'actionFailed', tokenId: token.id, attempt: token.attempt ?? 0, error: INTERRUPTED });
    }
  },
  cancelRequested(run, event) {
    if (run.state.compensation) {
      run.record({ type: 'cancelIgnored', data: { by: event.by, reason: 'the run is already compensating a failure' } });
      return;
    }
    run.record({ type: 'cancelRequested', data: { by: event.by, reason: event.reason, compensate: event.compensate } });
    run.cancel(event);
  },
  retryRequested(run, event) {
    run.record({ type: 'runRetried', nodeId: event.nodeId, data: { by: event.by } });
    delete run.state.compensation;
    delete run.state.cancelling;
    delete run.state.interruptions;
    run.newToken(event.nodeId);
  },
};

function isRunLevel(event: RunEvent): event is EventOf<RunLevelEventType> {
  return Object.hasOwn(runHandlers, event.type);
}

/**
 * A token event: one that names its token goes to that token; one that does not is offered to the
 * tokens whose kind accepts it, in token order, and the run handles it when none takes it.
 */
function dispatch(run: Run, event: EventOf<TokenEventType>): MaybePromise<void> {
  if ('tokenId' in event) {
    const token = run.token(event.tokenId);
    if (!token || isStale(token, event as EventOf<AddressedEventType>)) return;
    recordActionLogs(run, token, event);
    return toToken(run, token, event as EventOf<AddressedEventType>);
  }
  const offered = event as EventOf<OfferedEventType>;
  for (const token of run.state.tokens) {
    if (token.compensating) continue;
    const accepted = executorOf(run.node(token.nodeId).kind).on?.[offered.type] as OfferedHandler | undefined;
    if (accepted?.takes(run, token, offered)) return accepted.handle(run, token, run.node(token.nodeId), offered);
  }
  (unclaimed[offered.type] as (run: Run, event: RunEvent) => void)(run, offered);
}

type OfferedHandler = { takes(run: Run, token: Token, event: RunEvent): boolean; handle(run: Run, token: Token, node: KindNode<unknown>, event: RunEvent): Promise<void> | void };
type AddressedHandler = (run: Run, token: Token, node: KindNode<unknown>, event: RunEvent) => Promise<void> | void;

/** A result for a superseded attempt (or for a token that moved on) changes nothing. */
function isStale(token: Token, event: EventOf<AddressedEventType>): boolean {
  if (event.type !== 'actionSucceeded' && event.type !== 'actionFailed') return false;
  return token.status !== 'running' || token.attempt !== event.attempt;
}

/** An event for this token: a compensating token's go to the saga, the rest to the token's kind. */
function toToken(run: Run, token: Token, event: EventOf<AddressedEventType>): MaybePromise<void> {
  if (event.type === 'timerFired' && token.timer === event.purpose) {
    // The fired timer's row is deleted with this checkpoint; the token no longer has a timer to cancel.
    delete token.timer;
    delete token.until;
  }
  if (token.compensating) return compensationEvent(run, token, event);
  const node = run.node(token.nodeId);
  const handle = executorOf(node.kind).on?.[event.type] as AddressedHandler | undefined;
  return handle?.(run, token, node, event);
}

/** A compensating token runs its step's compensation action: its events are handled by the saga. */
function compensationEvent(run: Run, token: Token, event: EventOf<AddressedEventType>): void {
  if (event.type === 'actionSucceeded') compensationSucceeded(run, token, event.output);
  else if (event.type === 'actionFailed') compensationFailed(run, token, event.error);
  else if (event.type === 'timerFired' && event.purpose === 'retry') resumeAfterBackoff(run, token);
}

/** Each kind lets go of what its token holds outside the run when the token's path stops. */
const stopToken: StopToken = (run, token, how) => {
  const node = run.node(token.nodeId);
  executorOf(node.kind).stop?.(run, token, node, how);
};

/**
 * Processing this run keeps being interrupted — most likely it is what kills or stalls the process —
 * so it stops here instead of interrupting every other run again, until an operator retries it.
 */
function quarantine(run: Run, interruptions: number): void {
  const token = run.state.tokens.find((candidate) => candidate.status === 'running') ?? run.state.tokens[0];
  const message =
    `processing of this run was interrupted ${interruptions} times in a row (its process died or stalled` +
    `${token ? ` at node "${token.nodeId}"` : ''}); it is quarantined so that it cannot interrupt other runs again: fix the cause, then retry it`;
  run.abort(runError('QUARANTINED', message, token?.nodeId));
}

export function transition(ctx: RunContext, prior: RunState, event: RunEvent): MaybePromise<Transition> {
  const run = new Run(ctx, prior, stopToken);
  const handled = guard(run, () => handle(run, event));
  return andThen(handled, () =>
    andThen(settle(run), () => {
      if (provesProgress(run, event)) delete run.state.interruptions;
      return finish(run);
    }),
  );
}

function handle(run: Run, event: RunEvent): MaybePromise<void> {
  const { ctx } = run;
  if (ctx.historyCount >= ctx.limits.historyEvents && !run.state.compensation) {
    throw new RunFailure(runError('HISTORY_LIMIT', `the run reached the limit of ${ctx.limits.historyEvents.toLocaleString('en')} history events`));
  }
  if (isRunLevel(event)) return (runHandlers[event.type] as (run: Run, event: RunEvent) => Promise<void> | void)(run, event);
  return dispatch(run, event);
}

/**
 * Interruptions count "in a row": the count ends when an attempt comes back (it did not kill the
 * process), or when an event other than a recovery leaves nothing in flight. A checkpoint that
 * only starts an attempt proves nothing: that attempt may be what kills the process.
 */
function provesProgress(run: Run, event: RunEvent): boolean {
  if (run.state.interruptions === undefined || event.type === 'recover') return false;
  if (event.type === 'actionSucceeded' || event.type === 'actionFailed') return true;
  return !run.state.tokens.some((token) => token.status === 'running');
}

/**
 * The transition threw (a bug, or a value the engine cannot handle): the run fails with
 * ENGINE_ERROR instead of taking the process down, and can be retried once the cause is fixed.
 */
export function engineFailure(ctx: RunContext, prior: RunState, message: string): Transition {
  // Named after where the run was, so that a retry resumes there.
  const at = prior.tokens.find((token) => token.status === 'running') ?? prior.tokens[0];
  const error = runError('ENGINE_ERROR', message, at?.nodeId);
  try {
    const run = new Run(ctx, prior, stopToken);
    run.abort(error);
    return finish(run);
  } catch {
    // Even stopping the paths failed: end the run with what is certain.
    return { state: { ...prior, tokens: [], joins: {} }, status: 'failed', error, output: prior.output, history: [{ type: 'runFailed', data: { error } }], effects: [], waitingOn: [] };
  }
}

/** Run `work`; a RunFailure it throws, at once or later, fails the run instead. */
function guard(run: Run, work: () => MaybePromise<void>): MaybePromise<void> {
  try {
    const pending = work();
    if (pending instanceof Promise) return pending.catch((error: unknown) => failRun(run, error));
  } catch (error) {
    failRun(run, error);
  }
}

function failRun(run: Run, error: unknown): void {
  if (!(error instanceof RunFailure)) throw error;
  run.fail(error.info);
}

/** Enter nodes until every token waits on something outside the run, then settle the outcome. */
function settle(run: Run): MaybePromise<void> {
  for (;;) {
    const entering = run.state.tokens.find((token) => token.status === 'entering');
    if (entering) {
      const pending = guard(run, () => enter(run, entering));
      if (pending instanceof Promise) return pending.then(() => settle(run));
      continue;
    }
    if (run.terminal) return;
    if (run.state.compensation) return continueCompensation(run);
    if (run.state.tokens.length > 0) return;
    const stuck = Object.entries(run.state.joins).filter(([, arrivals]) => arrivals.length > 0);
    if (stuck.length > 0) {
      const [joinId] = stuck[0];
      run.fail(runError('JOIN_UNREACHABLE', `join "${joinId}" waits for paths that can no longer arrive`, joinId));
      continue;
    }
    return run.complete();
  }
}

function enter(run: Run, token: Token): MaybePromise<void> {
  const node = run.node(token.nodeId);
  const visit = (run.state.visits[node.id] ?? 0) + 1;
  if (visit > run.ctx.limits.nodeVisits) {
    throw new RunFailure(
      runError('VISIT_LIMIT', `node "${node.id}" was visited more than ${run.ctx.limits.nodeVisits.toLocaleString('en')} times; is the loop endless?`, node.id),
    );
  }
  run.state.visits[node.id] = visit;
  token.visit = visit;
  token.status = 'running';
  return executorOf(node.kind).enter(run, token, node);
}

/**
 * The transition, every field named in one literal. Not `{ ...base, status }`: V8 gave each object
 * spread here a hidden class of its own (checked with %HaveSameMap: 13,188 of 13,199 consecutive
 * transitions differed), so every read of a transition downstream was a slow lookup.
 */
function finish(run: Run): Transition {
  const { state, history, effects, terminal } = run;
  if (terminal) return { state, history, effects, output: state.output, status: terminal.status, error: terminal.status === 'completed' ? undefined : terminal.error, waitingOn: [] };
  const waitingOn = state.tokens.filter((token) => token.status === 'waiting' || token.status === 'backoff').map((token) => describeWait(run, token));
  const running = state.tokens.some((token) => token.status === 'running');
  return { state, history, effects, output: state.output, status: running ? 'running' : 'waiting', error: undefined, waitingOn };
}

function describeWait(run: Run, token: Token): WaitingOn {
  const waits = token.status === 'backoff' ? { kind: 'retry' as const } : (executorOf(run.node(token.nodeId).kind).waitsOn?.(token) ?? { kind: 'timer' as const });
  return {
    nodeId: token.nodeId,
    kind: waits.kind,
    ...(token.until !== undefined ? { until: run.isoTime(token.until) } : {}),
    ...(typeof waits.on === 'string' ? { on: waits.on } : {}),
  };
}
