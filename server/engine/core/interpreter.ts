// The pure core: (context, state, event) → new state, history entries and effects. No clock (the
// time is ctx.now), no I/O, no randomness. Async only because JSONata 2 evaluates asynchronously.
import { executors } from './kinds/index.js';
import { resumeAfterBackoff } from './attempts.js';
import { receiveSignal } from './kinds/event.executor.js';
import { applyDecision } from './kinds/approval.executor.js';
import { childFinished, childStarted, childStartFailed } from './kinds/subflow.executor.js';
import { compensationFailed, compensationSucceeded, continueCompensation } from './compensation.js';
import { RunFailure, runError } from './failures.js';
import { Run } from './run.js';
import type { ErrorInfo, RunContext, RunEvent, RunEventMap, RunState, Token, Transition, WaitingOn } from './types.js';

export function initialState(): RunState {
  return { tokens: [], nextTokenNumber: 1, visits: {}, outputs: {}, joins: {}, compensable: [] };
}

const INTERRUPTED: ErrorInfo = {
  name: 'AttemptInterrupted',
  code: 'INTERRUPTED',
  message: 'the attempt was interrupted: its worker stopped before it finished',
  retryable: true,
};

type Handlers = { [K in keyof RunEventMap]: (run: Run, event: { type: K } & RunEventMap[K]) => Promise<void> | void };

const handlers: Handlers = {
  start(run) {
    const { instance } = run.ctx;
    run.record({ type: 'runStarted', data: { workflow: instance.workflow, version: instance.version, input: instance.input } });
    run.newToken(run.ctx.graph.startId);
  },
  async actionSucceeded(run, event) {
    const token = liveToken(run, event.tokenId, event.attempt);
    if (!token) return;
    if (token.compensating) return compensationSucceeded(run, token, event.output);
    const node = run.node(token.nodeId);
    await executors[node.kind].actionSucceeded?.(run, token, node, event.output);
  },
  async actionFailed(run, event) {
    const token = liveToken(run, event.tokenId, event.attempt);
    if (!token) return;
    await failAttempt(run, token, event.error);
  },
  async timerFired(run, event) {
    const token = run.token(event.tokenId);
    if (!token) return;
    // The fired timer's row is deleted with this checkpoint; the token no longer has a timer to cancel.
    if (token.timer === event.purpose) {
      delete token.timer;
      delete token.until;
    }
    const node = run.node(token.nodeId);
    if (token.compensating) {
      if (event.purpose === 'retry') resumeAfterBackoff(run, token);
      return;
    }
    await executors[node.kind].timerFired?.(run, token, node, event.purpose);
  },
  async recover(run) {
    const interruptions = (run.state.interruptions ?? 0) + 1;
    run.state.interruptions = interruptions;
    if (interruptions >= run.ctx.limits.interruptions) return quarantine(run, interruptions);
    for (const token of run.state.tokens.filter((candidate) => candidate.status === 'running')) {
      const node = run.node(token.nodeId);
      const recover = token.compensating ? undefined : executors[node.kind].recover;
      if (recover) recover(run, token, node);
      else await failAttempt(run, token, INTERRUPTED);
    }
  },
  signalReceived: receiveSignal,
  approvalDecided: applyDecision,
  cancelRequested(run, event) {
    if (run.state.compensation) {
      run.record({ type: 'cancelIgnored', data: { by: event.by, reason: 'the run is already compensating a failure' } });
      return;
    }
    run.record({ type: 'cancelRequested', data: { by: event.by, reason: event.reason, compensate: event.compensate } });
    run.cancel(event);
  },
  childStarted,
  childStartFailed,
  childFinished,
  retryRequested(run, event) {
    run.record({ type: 'runRetried', nodeId: event.nodeId, data: { by: event.by } });
    delete run.state.compensation;
    delete run.state.cancelling;
    delete run.state.interruptions;
    run.newToken(event.nodeId);
  },
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

/** The token an action result belongs to, or undefined for a stale result (a superseded attempt). */
function liveToken(run: Run, tokenId: string, attempt: number): Token | undefined {
  const token = run.token(tokenId);
  return token && token.status === 'running' && token.attempt === attempt ? token : undefined;
}

async function failAttempt(run: Run, token: Token, error: ErrorInfo): Promise<void> {
  if (token.compensating) return compensationFailed(run, token, error);
  const node = run.node(token.nodeId);
  await executors[node.kind].actionFailed?.(run, token, node, error);
}

export async function transition(ctx: RunContext, prior: RunState, event: RunEvent): Promise<Transition> {
  const run = new Run(ctx, prior);
  await guard(run, async () => {
    if (ctx.historyCount >= ctx.limits.historyEvents && !prior.compensation) {
      throw new RunFailure(runError('HISTORY_LIMIT', `the run reached the limit of ${ctx.limits.historyEvents.toLocaleString('en')} history events`));
    }
    await (handlers[event.type] as (run: Run, event: RunEvent) => Promise<void> | void)(run, event);
  });
  await settle(run);
  if (provesProgress(run, event)) delete run.state.interruptions;
  return finish(run);
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
    const run = new Run(ctx, prior);
    run.abort(error);
    return finish(run);
  } catch {
    // Even stopping the paths failed: end the run with what is certain.
    return { state: { ...prior, tokens: [], joins: {} }, status: 'failed', error, output: prior.output, history: [{ type: 'runFailed', data: { error } }], effects: [], waitingOn: [] };
  }
}

async function guard(run: Run, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    run.fail(error.info);
  }
}

/** Enter nodes until every token waits on something outside the run, then settle the outcome. */
async function settle(run: Run): Promise<void> {
  for (;;) {
    const entering = run.state.tokens.find((token) => token.status === 'entering');
    if (entering) {
      await guard(run, () => enter(run, entering));
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

async function enter(run: Run, token: Token): Promise<void> {
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
  await executors[node.kind].enter(run, token, node);
}

function finish(run: Run): Transition {
  const { state, history, effects } = run;
  const base = { state, history, effects, output: state.output };
  if (run.terminal?.status === 'completed') return { ...base, status: 'completed', waitingOn: [] };
  if (run.terminal) return { ...base, status: run.terminal.status, error: run.terminal.error, waitingOn: [] };
  const waitingOn = state.tokens.filter((token) => token.status === 'waiting' || token.status === 'backoff').map((token) => describeWait(run, token));
  const running = state.tokens.some((token) => token.status === 'running');
  return { ...base, status: running ? 'running' : 'waiting', waitingOn };
}

const WAIT_KINDS = { wait: 'timer', event: 'signal', approval: 'approval', subflow: 'child' } as const;

function describeWait(run: Run, token: Token): WaitingOn {
  const kind = token.status === 'backoff' ? 'retry' : (WAIT_KINDS[run.node(token.nodeId).kind as keyof typeof WAIT_KINDS] ?? 'timer');
  const on = token.resolved?.event ?? token.resolved?.taskId ?? token.resolved?.childId;
  return {
    nodeId: token.nodeId,
    kind,
    ...(token.until !== undefined ? { until: run.isoTime(token.until) } : {}),
    ...(typeof on === 'string' ? { on } : {}),
  };
}
