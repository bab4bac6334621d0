// AI → human fallback: when the model gave no usable answer, a person gives it. The inbox task's form
// is the node's output schema, prefilled (the schema's root `default`) with the model's best attempt;
// its details say what was wrong. Approving makes the form values the node's `ok` output; rejecting
// takes `fallback` as the model's failure would have.
import type { AiConfig } from '../../../../shared/nodes/ai.node.js';
import { jsonBytes } from '../../../../shared/limits.js';
import type { Run } from '../run.js';
import type { Decision, Token } from '../types.js';
import type { AiPlan } from './ai-chain.js';
import { shownHash } from './approval.executor.js';
import type { KindNode } from './executor.js';

/** A best attempt larger than this is not prefilled: a form is for a person to read. */
const MAX_PREFILL_BYTES = 64 * 1024;

export function handToHuman(run: Run, token: Token, node: KindNode<AiConfig>, plan: AiPlan): void {
  const humans = node.config.humanFallback!;
  const assignees = { users: humans.users ?? [], roles: humans.roles ?? [] };
  const taskId = `${run.ctx.instance.id}:${node.id}:${token.visit}`;
  const last = plan.last ?? { code: 'FAILED', message: 'the model gave no answer', raw: null, errors: [] };
  const errors = plan.best?.errors.length ? plan.best.errors : last.errors.length ? last.errors : [last.message];
  const prefill = plan.best && jsonBytes(plan.best.value) <= MAX_PREFILL_BYTES ? plan.best.value : undefined;
  const form = { ...node.config.outputSchema, ...(prefill !== undefined && { default: prefill }) };
  const title = `Give the answer the model could not: ${node.label ?? node.id}`;
  const details = [
    `The model gave no valid answer after ${token.attempt ?? 1} attempt(s) (${plan.chain.join(', ')}).`,
    prefill !== undefined ? 'Its best answer is filled in below: correct it and approve to continue the run.' : 'Fill in the answer below and approve to continue the run.',
    'Rejecting takes the node’s `fallback` path.',
    '',
    '**What was wrong:**',
    ...errors.map((error) => `- ${error.replaceAll('\n', ' ')}`),
  ].join('\n');
  const data = { prompt: plan.prompt, errors };
  run.record({ type: 'aiHandedToHuman', nodeId: node.id, visit: token.visit, attempt: token.attempt, data: { taskId, assignees, code: last.code, errors } });
  run.effect({
    type: 'createTask',
    task: { id: taskId, nodeId: node.id, visit: token.visit, tokenId: token.id, title, details, data, form, assignees, shownHash: shownHash({ title, details, data, form }) },
  });
  token.status = 'waiting';
  token.resolved = { ...plan, taskId } as unknown as Record<string, unknown>;
}

export function takesDecision(token: Token, decision: Decision): boolean {
  return token.status === 'waiting' && token.resolved?.taskId === decision.taskId;
}

/** The person decided: their form values are the answer, or a rejection takes `fallback`. */
export function humanDecided(run: Run, token: Token, audit: { decision: string; by: string; comment?: string; form?: unknown }): void {
  const plan = token.resolved as unknown as AiPlan;
  if (audit.decision === 'approved') {
    run.takePort(token, 'ok', audit.form ?? {});
    return;
  }
  const why = audit.comment ? `: ${audit.comment}` : '';
  run.takePort(token, 'fallback', { error: `${audit.by} rejected the model's answer${why}`, code: 'REJECTED', raw: plan.last?.raw ?? null });
}
