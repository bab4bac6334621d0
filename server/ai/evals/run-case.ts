// One eval case against the configured models, the way the `ai` node would ask them: variables
// checked against the input schema, prompts rendered with `vars`, the node's model chain, repair
// turns with the previous answer and its errors (engine/core/kinds/ai-chain.ts decides what follows a
// failure), answers normalised and validated (ai-answer.ts). A rate-limit wait is not honoured here:
// an eval retries at once, within the node's attempts. Then the case's checks score the answer.
import { durationMs } from '../../../shared/durations.js';
import { ExpressionError, resolveString } from '../../../shared/expressions.js';
import type { EvalCase } from '../../../shared/evals/eval-set.schema.js';
import type { EvalCaseResult } from '../../../shared/evals/eval-report.js';
import { checkExpectations } from '../../../shared/evals/expectations.js';
import { schemaViolations } from '../../../shared/json-schema.js';
import type { AiConfig } from '../../../shared/nodes/ai.node.js';
import { checkAnswer } from '../../engine/core/kinds/ai-answer.js';
import { advancePlan, nextStep, type AiPlan } from '../../engine/core/kinds/ai-chain.js';
import type { ModelClient } from '../model-client.js';

export interface CaseContext {
  models: ModelClient;
  nodeId: string;
  config: AiConfig;
  workflow: string;
  now: () => number;
}

type Attempted = { ok: true; value: unknown } | { ok: false; error: string };

async function render(text: string, evalCase: EvalCase, context: CaseContext): Promise<string> {
  const root = {
    input: evalCase.input ?? {},
    nodes: evalCase.nodes ?? {},
    instance: { id: 'eval', workflow: context.workflow, version: 0, startedAt: new Date(context.now()).toISOString() },
    vars: evalCase.vars,
  };
  return String(await resolveString(text, root, { now: context.now() }));
}

function failed(evalCase: EvalCase, message: string, measured: Pick<EvalCaseResult, 'attempts' | 'repairs' | 'latencyMs' | 'model'>): EvalCaseResult {
  return { name: evalCase.name, score: 0, passed: false, checks: [{ check: 'answer', passed: false, message }], ...measured };
}

export async function runCase(evalCase: EvalCase, context: CaseContext): Promise<EvalCaseResult> {
  const { config } = context;
  const began = performance.now();
  const zero = { attempts: 0, repairs: 0, latencyMs: 0 };
  if (config.inputSchema) {
    const violations = schemaViolations(config.inputSchema, evalCase.vars).map((violation) => `vars.${violation.message}`);
    if (violations.length) return failed(evalCase, `the case's vars do not match the node's input schema: ${violations.join('; ')}`, zero);
  }
  let prompt: string;
  let system: string | undefined;
  try {
    prompt = await render(config.prompt, evalCase, context);
    system = config.system === undefined ? undefined : await render(config.system, evalCase, context);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return failed(evalCase, `the prompt cannot be rendered for this case: ${error.message}`, zero);
  }
  const chain = config.models && config.models.length > 0 ? config.models : [config.model];
  const plan: AiPlan = { prompt, ...(system !== undefined && { system }), chain, modelIndex: 0, modelAttempt: 1 };
  const tokens = { input: 0, output: 0 };
  let attempts = 0;
  let repairs = 0;
  let outcome: Attempted = { ok: false, error: 'no attempt was made' };
  for (;;) {
    attempts += 1;
    const model = plan.chain[plan.modelIndex];
    const result = await context.models.complete({ model, system, prompt, outputSchema: config.outputSchema, ...(plan.repair && { repair: plan.repair }), signal: AbortSignal.timeout(durationMs(config.timeout)) });
    let failure: { code: string; message: string; status?: number; errors?: string[]; raw?: string };
    if (result.ok) {
      tokens.input += result.usage?.inputTokens ?? 0;
      tokens.output += result.usage?.outputTokens ?? 0;
      const checked = checkAnswer(result.text, config.outputSchema);
      if (checked.ok) {
        outcome = { ok: true, value: checked.value };
        break;
      }
      failure = { code: checked.code, message: checked.message, errors: checked.errors, raw: result.text };
    } else {
      failure = { code: result.error.code, message: result.error.message, status: result.error.status };
    }
    outcome = { ok: false, error: `${model}: ${failure.message}` };
    const step = nextStep(plan, config, failure);
    if (step.kind === 'giveUp') break;
    if (step.kind === 'repair') repairs += 1;
    advancePlan(plan, step, { answer: (failure.raw ?? '').slice(0, 16 * 1024), errors: failure.errors ?? [failure.message] });
  }
  const measured = {
    model: plan.chain[plan.modelIndex],
    attempts,
    repairs,
    latencyMs: Math.round(performance.now() - began),
    ...(tokens.input + tokens.output > 0 && { tokens }),
  };
  if (!outcome.ok) return failed(evalCase, `no usable answer: ${outcome.error}`, measured);
  const checks = await checkExpectations(evalCase, outcome.value);
  const passedChecks = checks.filter((check) => check.passed).length;
  return {
    name: evalCase.name,
    score: checks.length ? passedChecks / checks.length : 1,
    passed: passedChecks === checks.length,
    checks,
    answer: outcome.value,
    replay: { ai: context.nodeId, answer: outcome.value },
    ...measured,
  };
}
