// ai: ask a model for JSON matching outputSchema, check the answer here (parse + JSON Schema), retry
// up to maxAttempts, and after the last failure take `fallback` with { error, raw } — never silently.
import { durationMs } from '../../../../shared/durations.js';
import { schemaViolations } from '../../../../shared/json-schema.js';
import type { AiConfig } from '../../../../shared/nodes/ai.node.js';
import type { Run } from '../run.js';
import type { Token } from '../types.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

/** What the runner reports for one model call (server/ai/model-client.ts ModelResult). */
type ModelAnswer =
  | { ok: true; text: string; modelId: string; usage?: unknown }
  | { ok: false; error: { code: string; message: string; status?: number }; text?: string; modelId?: string };

function askModel(run: Run, token: Token): void {
  const config = run.node(token.nodeId).config as AiConfig;
  const { system, prompt } = token.resolved as { system?: string; prompt: string };
  token.status = 'running';
  run.record({ type: 'aiAttemptStarted', nodeId: token.nodeId, visit: token.visit, attempt: token.attempt, data: { model: config.model, system, prompt } });
  run.effect({
    type: 'callModel',
    tokenId: token.id,
    nodeId: token.nodeId,
    visit: token.visit,
    attempt: token.attempt ?? 1,
    model: config.model,
    ...(system !== undefined ? { system } : {}),
    prompt,
    outputSchema: config.outputSchema,
    timeoutMs: durationMs(config.timeout),
  });
}

function attemptFailed(run: Run, token: Token, failure: { code: string; message: string; raw?: string | null; usage?: unknown; violations?: string[] }): void {
  const config = run.node(token.nodeId).config as AiConfig;
  const attempt = token.attempt ?? 1;
  const final = failure.code === 'NO_MODEL' || failure.code === 'UNKNOWN_MODEL' || attempt >= config.maxAttempts;
  run.record({ type: 'aiAttemptFailed', nodeId: token.nodeId, visit: token.visit, attempt, data: { ...failure, willRetry: !final } });
  if (!final) {
    token.attempt = attempt + 1;
    askModel(run, token);
    return;
  }
  run.takePort(token, 'fallback', { error: failure.message, code: failure.code, raw: failure.raw ?? null });
}

export const aiExecutor: NodeExecutor<AiConfig> = {
  async enter(run, token, node) {
    const { config } = node;
    const prompt = String(await run.resolve(node, 'prompt', config.prompt));
    const system = config.system === undefined ? undefined : String(await run.resolve(node, 'system', config.system));
    token.resolved = { prompt, ...(system !== undefined ? { system } : {}) };
    token.attempt = 1;
    entered(run, token, { model: config.model, system, prompt });
    askModel(run, token);
  },

  on: {
    actionSucceeded(run, token, node, { output }) {
      const answer = output as ModelAnswer;
      if (!answer.ok) return attemptFailed(run, token, { code: answer.error.code, message: answer.error.message, raw: answer.text });
      let value: unknown;
      try {
        value = JSON.parse(answer.text);
      } catch (error) {
        return attemptFailed(run, token, { code: 'MALFORMED_JSON', message: `the answer is not JSON: ${(error as Error).message}`, raw: answer.text, usage: answer.usage });
      }
      const violations = schemaViolations(node.config.outputSchema, value).map((violation) => violation.message);
      if (violations.length > 0) {
        return attemptFailed(run, token, { code: 'SCHEMA_VIOLATION', message: `the answer does not match the output schema: ${violations.join('; ')}`, raw: answer.text, usage: answer.usage, violations });
      }
      run.record({ type: 'aiAnswered', nodeId: node.id, visit: token.visit, attempt: token.attempt, data: { raw: answer.text, modelId: answer.modelId, usage: answer.usage } });
      run.takePort(token, 'ok', value);
    },

    /** A time-out or an interrupted call (the runner's own failures, not the model's). */
    actionFailed(run, token, _node, { error }) {
      attemptFailed(run, token, { code: error.code, message: error.message });
    },
  },
};
