// Inputs of an operator's controls (issue 18) for tRPC: pause and resume a run, a queued run's place,
// a workflow's concurrency limit, and bulk actions. The bulk request is the schema REST parses
// (services/bulk-actions.service.ts), so both transports refuse the same things in the same words.
import { z } from 'zod';
import { bulkRequestSchema } from '../../services/bulk-actions.service.js';
import { MAX_CONCURRENCY_LIMIT } from '../../services/operations.service.js';
import { refusedAs, runId, slug, text } from './fields.js';

/** As REST says it (engine/operations.ts refuses a longer one too). */
const REASON_LIMIT = 1_000;

export const pauseInput = z.strictObject({
  id: runId,
  reason: refusedAs('INVALID_INPUT', text('reason must be text').max(REASON_LIMIT, `reason must be text of at most ${REASON_LIMIT.toLocaleString('en')} characters`).optional()),
});

export const concurrencyInput = z.strictObject({ slug });

const LIMIT = `limit must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT.toLocaleString('en')}, or null for no limit`;

export const setConcurrencyInput = z.strictObject({
  slug,
  // The service checks the range again (REST hands it the raw value): one rule, one sentence.
  limit: z.number({ error: LIMIT }).int(LIMIT).min(1, LIMIT).max(MAX_CONCURRENCY_LIMIT, LIMIT).nullable(),
});

/** What the preview counts: an action and a filter (no confirmation yet). */
export const bulkPreviewInput = bulkRequestSchema.omit({ expectedCount: true });

/** Starting a bulk job names the count the preview showed: the confirmation. */
export const bulkStartInput = bulkRequestSchema.extend({ expectedCount: bulkRequestSchema.shape.expectedCount.unwrap() });

export const bulkJobInput = z.strictObject({ id: z.string().min(1).max(100) });
