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
  /** The caller's W3C trace context: the run's trace continues it, as on a REST start. */
  traceparent?: string;
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

/**
 * How long a process reuses a webhook's row (and decrypted secret) between requests. A change made
 * in this process (rotate, turn off, delete) applies at once (`forget`); one made through another
 * API process (PostgreSQL) applies here within this time.
 */
export const WEBHOOK_CACHE_MS = 1_000;

type Found = { row: NonNullable<Awaited<ReturnType<TriggersRepo['find']>>>; secret: string } | undefined;

export function createWebhookReceiver(deps: { repo: TriggersRepo; key: SecretKey; clock: Clock; runs: RunsService }) {
  const cache = new Map<string, { found: Found; until: number }>();
  const key = deps.key;

  async function lookUp(hookId: string): Promise<Found> {
    // Wall time, not the injected clock: this bounds staleness of a copy, not workflow time.
    const now = performance.now();
    const cached = cache.get(hookId);
    if (cached && cached.until > now) return cached.found;
    const row = await deps.repo.find(hookId);
    if (row?.kind === 'webhook' && row.secret && !key.ok) throw new Error(`webhook ${row.id} cannot be checked: ${key.reason}`);
    const found = row?.kind === 'webhook' && row.secret && key.ok ? { row, secret: decryptWebhookSecret(key.key, row.id, row.secret) } : undefined;
    // Unknown ids are not kept: a flood of made-up ids must not grow the map.
    if (found) {
      if (cache.size >= 10_000) cache.clear();
      cache.set(hookId, { found, until: now + WEBHOOK_CACHE_MS });
    }
    return found;
  }

  async function receive(delivery: WebhookDelivery): Promise<{ id: string; version: number; status: string; created: boolean }> {
    const found = await lookUp(delivery.hookId);
    const trigger = found?.row;
    if (!found || !trigger || trigger.workflow.slug !== delivery.slug) {
      throw new ApiError('NOT_FOUND', `workflow "${delivery.slug}" has no webhook "${delivery.hookId}"`);
    }
    const auth = verifyWebhook({ secret: found.secret, authorization: delivery.authorization, signature: delivery.signature, body: delivery.body, now: deps.clock.now() });
    if (!auth.ok) throw new ApiError('UNAUTHENTICATED', auth.message);
    if (!trigger.enabled) throw new ApiError('CONFLICT', `webhook "${trigger.id}" of workflow "${delivery.slug}" is turned off`);
    const input = readInput(delivery.body);
    const idempotencyKey = delivery.idempotencyKey;
    if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > 200)) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be 1–200 characters');
    return startIdempotent(deps.runs, delivery.slug, input, idempotencyKey === undefined ? undefined : `hook:${trigger.id}:${idempotencyKey}`, delivery.traceparent);
  }

  return Object.assign(receive, { forget: (hookId: string) => void cache.delete(hookId) });
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
