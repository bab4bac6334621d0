// The pieces the operations' input schemas are made of, and how REST reads a request with them.
// One schema per operation serves both transports: tRPC gives it to `.input()`; REST gathers the
// path, query and body into the same object and calls parseInput. Messages name the field as a
// caller sees it; a field may say which refusal its failure is (default BAD_REQUEST), so that REST
// answers stay as DESIGN §4 lists them.
import { z } from 'zod';
import { ApiError, type ApiErrorCode } from '../../errors.js';

/** The highest value of the database's integer columns (PostgreSQL `integer`). */
export const MAX_DB_INT = 2_147_483_647;

/** Fields whose refusal is not a BAD_REQUEST (register the field as it sits in the object, `.optional()` included). */
export const refusals = z.registry<{ code: ApiErrorCode }>();

export function refusedAs<T extends z.ZodType>(code: ApiErrorCode, schema: T): T {
  refusals.add(schema as z.ZodType, { code });
  return schema;
}

/**
 * A whole number for a database integer column. 1e20 is an integer to JavaScript but fits no
 * column, so it is refused here. With `text` (a REST path or query parameter) decimal digits count too.
 */
export function wholeNumber(what: string, options: { min?: number; text?: boolean } = {}) {
  const min = options.min ?? 0;
  const error = (value: unknown) => `${what} must be a whole number from ${min} to ${MAX_DB_INT}, not ${String(JSON.stringify(value)).slice(0, 40)}`;
  const accepted = options.text ? z.union([z.number(), z.string()], { error: (issue) => error(issue.input) }) : z.number({ error: (issue) => error(issue.input) });
  return accepted.transform((value, ctx): number => {
    const number = typeof value === 'string' && /^\d{1,10}$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > MAX_DB_INT) {
      ctx.addIssue({ code: 'custom', message: error(value), input: value });
      return z.NEVER;
    }
    return number;
  });
}

/** Text, or `message` when the value is not text (length and other rules keep zod's own words). */
export const text = (message: string) => z.string({ error: (issue) => (issue.code === 'invalid_type' ? message : undefined) });

export const slug = z.string().min(1).max(63);
export const runId = z.string().min(1).max(100);
/** An editor tab's random id: its own saves never conflict with each other. */
export const clientId = z.string().min(1).max(100);

/** REST: the operation's input, or the ApiError its first problem calls for (tRPC reports all of them itself). */
export function parseInput<T extends z.ZodObject>(schema: T, value: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = typeof issue.path[0] === 'string' ? schema.shape[issue.path[0]] : undefined;
  const code = (field && refusals.get(field)?.code) ?? 'BAD_REQUEST';
  // Zod's own messages do not name the field; the schemas' own ones do (as a caller spells it:
  // idempotencyKey is the Idempotency-Key header).
  const named = (field: string) => new RegExp(`\\b${field.replace(/([a-z])([A-Z])/g, '$1[- ]?$2')}\\b`, 'i').test(issue.message);
  const where = issue.path.length === 0 || named(String(issue.path[0])) ? '' : `${issue.path.join('.')}: `;
  throw new ApiError(code, `${where}${issue.message}`);
}
