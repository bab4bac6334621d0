// The working copy of one transition: a draft of the run state plus the history and effects it
// accumulates. Executors change a run only through these operations.
import { resolveString, resolveDeep, isStatic, type EvaluationRoot, ExpressionError } from '../../../shared/expressions.js';
import { NEEDS_JSONATA, resolveSimple } from '../../../shared/simple-paths.js';
import { jsonBytes, formatBytes } from '../../../shared/limits.js';
import { getNodeKind } from '../../../shared/nodes/registry.js';
import { callbackRoot } from './callbacks.js';
import { RunFailure, runError } from './failures.js';
import { takeRerunInput } from './rerun-input.js';
import type { IndexedNode } from './graph-index.js';
import type { MaybePromise } from './maybe-async.js';
import type { Effect, ErrorInfo, HistoryEntry, RunContext, RunError, RunState, TimerPurpose, Token } from './types.js';

/** What the node kind of a token does when its path stops (the interpreter asks the kind's executor). */
export type StopToken = (run: Run, token: Token, how: { compensate: boolean }) => void;

/** An expression's error fails the run naming the node and field; anything else is the engine's. */
function expressionFailure(node: IndexedNode, field: string, error: unknown): unknown {
  if (!(error instanceof ExpressionError)) return error;
  return new RunFailure(runError('EXPRESSION_FAILED', `node "${node.id}" ${field}: ${error.message}`, node.id));
}

export class Run {
  readonly state: RunState;
  readonly history: HistoryEntry[] = [];
  readonly effects: Effect[] = [];
  terminal?: { status: 'completed' } | { status: 'failed' | 'cancelled'; error: RunError };
  private childrenCancelled = false;

  constructor(
    readonly ctx: RunContext,
    prior: RunState,
    private readonly stopToken: StopToken = () => {},
  ) {
    // Shallow copies: a transition replaces what it changes and never mutates the prior state.
    this.state = {
      ...prior,
      tokens: prior.tokens.map((token) => ({ ...token })),
      visits: { ...prior.visits },
      outputs: { ...prior.outputs },
      joins: { ...prior.joins },
      compensable: [...prior.compensable],
      compensation: prior.compensation && {
        ...prior.compensation,
        remaining: [...prior.compensation.remaining],
        failed: [...prior.compensation.failed],
      },
    };
  }

  node(nodeId: string): IndexedNode {
    const node = this.ctx.graph.nodes.get(nodeId);
    if (!node) throw new Error(`invariant: node "${nodeId}" is not in the graph`);
    return node;
  }

  token(tokenId: string): Token | undefined {
    return this.state.tokens.find((token) => token.id === tokenId);
  }

  record(entry: HistoryEntry): void {
    this.history.push(entry);
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  isoTime(ms: number): string {
    return new Date(ms).toISOString();
  }

  /**
   * What expressions read. `instance` and `callbacks` are made when an expression first reads them:
   * most read only `input` and `nodes`, and a root is made for every value resolved.
   */
  evaluationRoot(): EvaluationRoot {
    const run = this;
    const { input } = this.ctx.instance;
    const nodes = this.state.outputs;
    if (!this.ctx.callbackUrl) {
      return {
        input,
        nodes,
        get instance() {
          return run.instanceRoot();
        },
      };
    }
    let callbacks: EvaluationRoot['callbacks'];
    return {
      input,
      nodes,
      get instance() {
        return run.instanceRoot();
      },
      get callbacks() {
        return (callbacks ??= callbackRoot(run));
      },
    };
  }

  private instanceView?: EvaluationRoot['instance'];

  private instanceRoot(): EvaluationRoot['instance'] {
    const { instance } = this.ctx;
    return (this.instanceView ??= { id: instance.id, workflow: instance.workflow, version: instance.version, startedAt: this.isoTime(instance.startedAt) });
  }

  /**
   * Resolve a config value on node entry: `{{ }}` is evaluated, text without it is literal (DESIGN §2).
   * An expression that throws fails the run naming the node. The value comes at once unless JSONata
   * has to evaluate it (a promise then).
   */
  resolve(node: IndexedNode, field: string, value: unknown): MaybePromise<unknown> {
    const changed = takeRerunInput(this.state, node, field);
    if (changed) return changed.value;
    if (value === undefined || isStatic(value)) return value;
    try {
      const root = this.evaluationRoot();
      const simple = resolveSimple(value, root);
      if (simple !== NEEDS_JSONATA) return simple;
      const now = this.ctx.now;
      const evaluated = typeof value === 'string' ? resolveString(value, root, { now }) : resolveDeep(value, root, { now });
      return evaluated.catch((error: unknown) => {
        throw expressionFailure(node, field, error);
      });
    } catch (error) {
      throw expressionFailure(node, field, error);
    }
  }

  idempotencyKey(token: Token): string {
    const key = `${this.ctx.instance.id}:${token.nodeId}:${token.visit}`;
    return token.compensating ? `${key}:compensate` : key;
  }

  newToken(nodeId: string, fields: Partial<Token> = {}): Token {
    // Assigned, not spread: a spread gave every new token a hidden class of its own.
    const token: Token = Object.assign({ id: `t${this.state.nextTokenNumber++}`, nodeId, visit: 0, status: 'entering' as const }, fields);
    this.state.tokens.push(token);
    return token;
  }

  removeToken(token: Token): void {
    this.state.tokens = this.state.tokens.filter((other) => other.id !== token.id);
  }

  timerId(token: Token, purpose: TimerPurpose): string {
    return `${this.ctx.instance.id}:${token.id}:${purpose}`;
  }

  setTimer(token: Token, purpose: TimerPurpose, dueAt: number): void {
    token.until = dueAt;
    token.timer = purpose;
    this.effect({ type: 'setTimer', timerId: this.timerId(token, purpose), tokenId: token.id, purpose, dueAt });
  }

  /** Cancel the token's timer, if it has one (a wait, a retry backoff or a time-out). */
  cancelTimer(token: Token): void {
    if (!token.timer) return;
    this.effect({ type: 'cancelTimer', timerId: this.timerId(token, token.timer) });
    delete token.timer;
    delete token.until;
  }

  /** Ask every unfinished child run of this run to cancel (once per transition, however many paths ask). */
  cancelChildren(compensate: boolean): void {
    if (this.childrenCancelled) return;
    this.childrenCancelled = true;
    this.effect({ type: 'cancelChildren', compensate });
  }

  /** Stop every path: timers go with them, and each kind lets go of what it holds (tasks, child runs). */
  private stopAllTokens(childrenCompensate: boolean): void {
    for (const token of this.state.tokens) {
      this.cancelTimer(token);
      // A compensating token runs a compensation, not its node's own work.
      if (!token.compensating) this.stopToken(this, token, { compensate: childrenCompensate });
    }
    this.state.tokens = [];
    this.state.joins = {};
  }

  /** Record a node's output, enforcing the payload limit (`bytes`: its size, when the caller measured it). */
  setOutput(nodeId: string, output: unknown, bytes = jsonBytes(output)): void {
    if (bytes > this.ctx.limits.payloadBytes) {
      throw new RunFailure(
        runError('PAYLOAD_TOO_LARGE', `node "${nodeId}" output is ${formatBytes(bytes)}, over the ${formatBytes(this.ctx.limits.payloadBytes)} limit`, nodeId),
      );
    }
    this.state.outputs[nodeId] = output;
  }

  /** Leave the token's node on `port`: record the output and move along the port's edges. */
  takePort(token: Token, port: string, output: unknown, bytes?: number): void {
    const node = this.node(token.nodeId);
    this.setOutput(node.id, output, bytes);
    this.record({ type: 'nodeCompleted', nodeId: node.id, visit: token.visit, data: { port, output } });
    const edges = this.ctx.graph.outgoing(node.id, port);
    if (edges.length === 0) {
      this.cancelTimer(token);
      this.fail(unconnectedPortError(node, port, output));
      return;
    }
    this.cancelTimer(token);
    const [first, ...rest] = edges;
    Object.assign(token, { nodeId: first.target, via: first.id, status: 'entering', visit: 0 });
    for (const key of ['attempt', 'resolved'] as const) delete token[key];
    for (const edge of rest) this.newToken(edge.target, { via: edge.id });
  }

  /** Fail the run: stop every path, then compensate completed steps (DESIGN §3, saga). */
  fail(error: ErrorInfo): void {
    if (this.terminal || this.state.compensation) return;
    this.stopAllTokens(false);
    this.compensateOrFinish({ ...error });
  }

  /**
   * End the run failed at once: every path stops, and nothing is compensated — used when the engine
   * itself cannot go on with the run (ENGINE_ERROR, QUARANTINED), so an operator can retry it.
   */
  abort(error: RunError): void {
    if (this.terminal) return;
    this.stopAllTokens(false);
    delete this.state.compensation;
    delete this.state.cancelling;
    this.finish(error);
  }

  /** Cancel the run: stop every path; compensate first only when asked to. */
  cancel(request: { compensate: boolean; by?: string; reason?: string }): void {
    if (this.terminal || this.state.compensation) return;
    this.stopAllTokens(request.compensate);
    const who = request.by ? ` by ${request.by}` : '';
    const cause: RunError = { name: 'Cancelled', code: 'CANCELLED', message: `cancelled${who}${request.reason ? `: ${request.reason}` : ''}`, retryable: false };
    if (!request.compensate) this.state.compensable = [];
    this.state.cancelling = true;
    this.compensateOrFinish(cause);
  }

  private compensateOrFinish(cause: RunError): void {
    if (this.state.compensable.length === 0) {
      this.finish(cause);
      return;
    }
    this.state.compensation = { cause, remaining: [...this.state.compensable].reverse(), failed: [] };
    this.state.compensable = [];
    this.record({ type: 'compensationStarted', data: { error: cause, steps: this.state.compensation.remaining.map((step) => step.nodeId) } });
  }

  /** End the run failed, or cancelled when a cancel request started the ending. */
  finish(error: RunError): void {
    const status = this.state.cancelling ? 'cancelled' : 'failed';
    this.terminal = { status, error };
    this.record({ type: status === 'cancelled' ? 'runCancelled' : 'runFailed', nodeId: error.nodeId, data: { error } });
  }

  complete(): void {
    this.terminal = { status: 'completed' };
    this.record({ type: 'runCompleted', data: { output: this.state.output ?? null } });
  }
}

function unconnectedPortError(node: IndexedNode, port: string, output: unknown): ErrorInfo {
  const isFailurePort = getNodeKind(node.kind)?.failurePorts?.includes(port);
  const { error: cause, code } = (output ?? {}) as { error?: unknown; code?: unknown };
  // A step's error port carries an error record; an AI fallback carries the reason as text.
  if (isFailurePort && cause && typeof cause === 'object' && typeof (cause as ErrorInfo).message === 'string') return { ...(cause as ErrorInfo), nodeId: node.id };
  if (isFailurePort && typeof cause === 'string') return runError(typeof code === 'string' ? code : 'FAILED', `node "${node.id}": ${cause}`, node.id);
  if (isFailurePort && port === 'timeout') return runError('TIMED_OUT', `node "${node.id}" timed out`, node.id);
  return runError('PORT_NOT_CONNECTED', `node "${node.id}" took port "${port}", which has no edge`, node.id);
}
