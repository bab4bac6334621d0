// Inputs of the run operations (start, list, signal, cancel, retry), for REST and tRPC alike.
import { z } from 'zod';
import { refusedAs, runId, slug, text, wholeNumber } from './fields.js';

const IDEMPOTENCY_KEY = 'Idempotency-Key must be 1–200 characters';

/** Start a run on the workflow's active version; the same key again answers the same run. */
export const startRunInput = z.object({
  workflow: slug,
  input: z.unknown().optional(),
  idempotencyKey: z.string({ error: IDEMPOTENCY_KEY }).max(200, IDEMPOTENCY_KEY).refine((key) => key.trim() !== '', IDEMPOTENCY_KEY).optional(),
});

export const listRunsInput = z.object({
  workflow: slug.optional(),
  version: wholeNumber('version', { min: 1, text: true }).optional(),
  status: z.string().optional(),
  waitingAt: z.string().optional(),
  cursor: z.string().optional(),
  /** The service answers at most 200 a page. */
  limit: wholeNumber('limit', { min: 1, text: true }).optional(),
});

export const runInput = z.object({ id: runId });

export const signalInput = z.object({ id: runId, name: z.string().min(1), data: z.unknown().optional() });

export const cancelInput = z.object({
  id: runId,
  compensate: refusedAs('INVALID_INPUT', z.boolean({ error: 'compensate must be true or false' }).optional()),
  reason: refusedAs('INVALID_INPUT', text('reason must be text').max(500).optional()),
});
