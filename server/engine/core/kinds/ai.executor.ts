// ai: the model call as a contract. On entry the variables are resolved and checked against the
// input schema, then the prompts rendered once. Each answer is normalised and checked against the
// output schema (ai-answer.ts); what follows a failure — a repair turn, the next model, a wait, or
// giving up — is ai-chain.ts; giving up takes `fallback` with { error, code, raw } or asks a person
// (ai-human.ts). Every attempt is in history: model, prompt hash, tokens, latency, cost, raw answer.
import { createHash } from 'node:crypto';
import { durationMs } from '../../../../shared/durations.js';
import { ExpressionError, resolveString, type EvaluationRoot } from '../../../../shared/expressions.js';
import { schemaViolations } from '../../../../shared/json-schema.js';
import { formatBytes, jsonBytes, utf8Bytes } from '../../../../shared/limits.js';
import type { AiConfig } from '../../../../shared/nodes/ai.node.js';
import type { AiUsage } from '../../../../shared/runs/history.js';
import { RunFailure, runError } from '../failures.js';
import type { Run } from '../run.js';
import type { Token } from '../types.js';
import { checkAnswer } from './ai-answer.js';
import { advancePlan, better, nextStep, type AiPlan } from './ai-chain.js';
import { handToHuman, humanDecided, takesDecision } from './ai-human.js';
import { decisionAudit } from '../inbox.js';
import type { KindNode, NodeExecutor } from './executor.js';
import { entered } from './executor.js';

/** What the runner reports for one model call (server/ai/model-client.ts ModelResult, plus latency and Retry-After in ms). */
type ModelAnswer = { latencyMs?: number } & (
  | { ok: true; text: string; modelId?: string; usage?: AiUsage; costUsd?: number }
  | { ok: false; error: { code: string; message: string; status?: number; retryAfterMs?: number }; text?: string; modelId?: string }
);

/** How much of an answer history and repair turns keep: enough to read and fix, not megabytes. */
export const MAX_RAW_CHARS = 16 * 1024;

function bounded(raw: string): { raw: string; rawBytes?: number } {
  return raw.length <= MAX_RAW_CHARS ? { raw } : { raw: `${raw.slice(0, MAX_RAW_CHARS)}…`, rawBytes: utf8Bytes(raw) };
}

const planOf = (token: Token) => token.resolved as unknown as AiPlan;
const setPlan = (token: Token, plan: AiPlan) => void (token.resolved = plan as unknown as Record<string, unknown>);

function askModel(run: Run, token: Token): void {
  const plan = planOf(token);
  const model = plan.chain[plan.modelIndex];
  const { system, prompt, repair } = plan;
  token.status = 'running';
  delete token.until;
  delete token.timer;
  const promptHash = createHash('sha256').update(JSON.stringify([model, system ?? null, prompt, repair ?? null])).digest('hex');
  run.record({
    type: 'aiAttemptStarted',
    nodeId: token.nodeId,
    visit: token.visit,
    attempt: token.attempt,
    data: { model, system, prompt, promptHash, ...(repair && { repair: { errors: repair.errors } }) },
  });
  run.effect({
    type: 'callModel',
    tokenId: token.id,
    nodeId: token.nodeId,
    visit: token.visit,
    attempt: token.attempt ?? 1,
    model,
    ...(system !== undefined ? { system } : {}),
    prompt,
    ...(repair && { repair }),
    outputSchema: run.node(token.nodeId).config.outputSchema as Record<string, unknown>,
    timeoutMs: durationMs((run.node(token.nodeId).config as AiConfig).timeout),
  });
}

interface Failure {
  code: string;
  message: string;
  raw?: string | null;
  status?: number;
  retryAfterMs?: number;
  errors?: string[];
  /** The parsed answer, when there was one: a candidate for the person's prefill. */
  value?: unknown;
  measured?: { modelId?: string; usage?: AiUsage; costUsd?: number; latencyMs?: number };
}

function attemptFailed(run: Run, token: Token, node: KindNode<AiConfig>, failure: Failure): void {
  const plan = { ...planOf(token) };
  const errors = failure.errors ?? [failure.message];
  const raw = failure.raw ?? null;
  plan.last = { code: failure.code, message: failure.message, raw: raw === null ? null : bounded(raw).raw, errors };
  // Only an object can prefill a person's form (the human fallback's output schema is an object).
  const candidate = failure.value;
  if (candidate !== null && typeof candidate === 'object' && !Array.isArray(candidate) && better(plan.best, { value: candidate, errors })) plan.best = { value: candidate, errors };
  const step = nextStep(plan, node.config, failure);
  const next = step.kind === 'giveUp' ? (node.config.humanFallback ? 'human' : 'fallback') : step.kind;
  const retryAt = step.kind === 'retry' && step.delayMs > 0 ? run.ctx.now + step.delayMs : undefined;
  run.record({
    type: 'aiAttemptFailed',
    nodeId: node.id,
    visit: token.visit,
    attempt: token.attempt,
    data: {
      code: failure.code,
      message: failure.message,
      model: plan.chain[plan.modelIndex],
      ...(raw !== null ? bounded(raw) : { raw: null }),
      ...failure.measured,
      ...(failure.errors && { violations: failure.errors }),
      willRetry: step.kind !== 'giveUp',
      next,
      ...(retryAt !== undefined && { retryAt: run.isoTime(retryAt) }),
    },
  });
  if (step.kind === 'giveUp') {
    setPlan(token, plan);
    if (node.config.humanFallback) return handToHuman(run, token, node, plan);
    return run.takePort(token, 'fallback', { error: failure.message, code: failure.code, raw: plan.last.raw });
  }
  token.attempt = (token.attempt ?? 1) + 1;
  advancePlan(plan, step, { answer: raw === null ? '' : bounded(raw).raw, errors });
  setPlan(token, plan);
  if (retryAt === undefined) return askModel(run, token);
  token.status = 'backoff';
  run.setTimer(token, 'retry', retryAt);
}

function answered(run: Run, token: Token, node: KindNode<AiConfig>, answer: Extract<ModelAnswer, { ok: true }>): void {
  const measured = { modelId: answer.modelId, usage: answer.usage, costUsd: answer.costUsd, latencyMs: answer.latencyMs };
  const checked = checkAnswer(answer.text, node.config.outputSchema);
  if (!checked.ok) return attemptFailed(run, token, node, { ...checked, raw: answer.text, measured });
  const bytes = jsonBytes(checked.value);
  if (bytes > run.ctx.limits.payloadBytes) {
    const message = `the answer is ${formatBytes(bytes)}, over the ${formatBytes(run.ctx.limits.payloadBytes)} limit of a node's output`;
    return attemptFailed(run, token, node, { code: 'ANSWER_TOO_LARGE', message, raw: answer.text, errors: [message], measured });
  }
  run.record({
    type: 'aiAnswered',
    nodeId: node.id,
    visit: token.visit,
    attempt: token.attempt,
    data: { ...bounded(answer.text), model: planOf(token).chain[planOf(token).modelIndex], ...measured, modelId: answer.modelId ?? '', ...(checked.applied.length > 0 && { normalised: checked.applied }) },
  });
  run.takePort(token, 'ok', checked.value);
}

/** Prompts see the variables as `vars`, beside the evaluation root. */
async function render(run: Run, node: KindNode<AiConfig>, field: 'prompt' | 'system', text: string, vars: unknown): Promise<string> {
  const root: EvaluationRoot & { vars: unknown } = { ...run.evaluationRoot(), vars };
  try {
    return String(await resolveString(text, root, { now: run.ctx.now }));
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new RunFailure(runError('EXPRESSION_FAILED', `node "${node.id}" ${field}: ${error.message}`, node.id));
  }
}

export const aiExecutor: NodeExecutor<AiConfig> = {
  async enter(run, token, node) {
    const { config } = node;
    const vars = config.variables === undefined ? undefined : await run.resolve(node, 'variables', config.variables);
    if (config.inputSchema) {
      // "subject must be string" names the field as the prompts read it: "vars.subject must be string".
      const violations = schemaViolations(config.inputSchema, vars ?? {}).map(({ path, message }) => (path ? `vars.${message}` : message.replace(/^value\b/, 'vars')));
      if (violations.length > 0) {
        entered(run, token, { variables: vars });
        const message = `node "${node.id}": the variables do not match the input schema: ${violations.join('; ')}`;
        return run.takePort(token, 'fallback', { error: message, code: 'INPUT_INVALID', raw: null });
      }
    }
    const prompt = await render(run, node, 'prompt', config.prompt, vars);
    const system = config.system === undefined ? undefined : await render(run, node, 'system', config.system, vars);
    const chain = config.models && config.models.length > 0 ? config.models : [config.model];
    setPlan(token, { prompt, ...(system !== undefined ? { system } : {}), chain, modelIndex: 0, modelAttempt: 1 });
    token.attempt = 1;
    entered(run, token, { model: chain[0], ...(chain.length > 1 && { models: chain }), system, prompt, ...(vars !== undefined && { variables: vars }) });
    askModel(run, token);
  },

  on: {
    actionSucceeded(run, token, node, { output }) {
      const answer = output as ModelAnswer;
      if (answer.ok) return answered(run, token, node, answer);
      const { code, message, status, retryAfterMs } = answer.error;
      attemptFailed(run, token, node, { code, message, status, retryAfterMs, raw: answer.text, measured: { modelId: answer.modelId, latencyMs: answer.latencyMs } });
    },

    /** A time-out or an interrupted call (the runner's own failures, not the model's). */
    actionFailed(run, token, node, { error }) {
      attemptFailed(run, token, node, { code: error.code, message: error.message });
    },

    timerFired(run, token, _node, { purpose }) {
      if (purpose === 'retry' && token.status === 'backoff') askModel(run, token);
    },

    /** The person's decision on the task the node handed to them. */
    approvalDecided: {
      takes: (_run, token, decision) => takesDecision(token, decision),
      handle(run, token, _node, decision) {
        const audit = decisionAudit(run, decision);
        run.record({ type: 'approvalDecided', nodeId: token.nodeId, visit: token.visit, data: audit });
        humanDecided(run, token, audit);
      },
    },
  },

  waitsOn: (token) => ({ kind: 'approval', on: token.resolved?.taskId as string }),

  stop(run, token) {
    const taskId = token.resolved?.taskId;
    if (typeof taskId === 'string') run.effect({ type: 'closeTask', taskId, status: 'cancelled' });
  },
};
