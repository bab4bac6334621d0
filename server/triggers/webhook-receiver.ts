// A webhook's POST: find the trigger, check the caller (webhook-auth.ts), read the body as the
// run's input and start the run on the workflow's active version. The Idempotency-Key is kept per
// webhook (`hook:<id>:<key>`), so two senders' keys never name each other's runs.
import type { SecretKey } from '../credentials/secret-key.js';
import type { TriggersRepo } from '../db/repos/triggers.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../api/rest/request-shape.js';
import { startIdempotent } from '../services/idempotent-start.js';
import type { RunsService } from '../services/runs.service.js';
import { verifyWebhook } from './webhook-auth.js';
import { decryptWebhookSecret } from './webhook-secret.js';

export interface WebhookDelivery {
  slug: string;
  hookId: string;
  authorization?: string;
  signature?: string;
  idempotencyKey?: string;
  body: Buffer;
}

function readInput(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new ApiError('BAD_REQUEST', `the request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError('BAD_REQUEST', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('BAD_REQUEST', `the request body is the run's input and must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

export function createWebhookReceiver(deps: { repo: TriggersRepo; key: SecretKey; clock: Clock; runs: RunsService }) {
  return async function receive(delivery: WebhookDelivery): Promise<{ id: string; version: number; status: string; created: boolean }> {
    const trigger = await deps.repo.find(delivery.hookId);
    if (!trigger || trigger.kind !== 'webhook' || trigger.workflow.slug !== delivery.slug || !trigger.secret) {
      throw new ApiError('NOT_FOUND', `workflow "${delivery.slug}" has no webhook "${delivery.hookId}"`);
    }
    if (!deps.key.ok) throw new Error(`webhook ${trigger.id} cannot be checked: ${deps.key.reason}`);
    const secret = decryptWebhookSecret(deps.key.key, trigger.id, trigger.secret);
    const auth = verifyWebhook({ secret, authorization: delivery.authorization, signature: delivery.signature, body: delivery.body, now: deps.clock.now() });
    if (!auth.ok) throw new ApiError('UNAUTHENTICATED', auth.message);
    if (!trigger.enabled) throw new ApiError('CONFLICT', `webhook "${trigger.id}" of workflow "${delivery.slug}" is turned off`);
    const input = readInput(delivery.body);
    const key = delivery.idempotencyKey;
    if (key !== undefined && (key.trim() === '' || key.length > 200)) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be 1–200 characters');
    return startIdempotent(deps.runs, delivery.slug, input, key === undefined ? undefined : `hook:${trigger.id}:${key}`);
  };
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
