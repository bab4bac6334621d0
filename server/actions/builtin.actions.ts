// Built-in actions: transform (JSONata), http.request and log.
import { compileExpression, evaluateExpression } from '../../shared/expressions.js';
import { z } from 'zod';
import { durationMs, isDuration } from '../../shared/durations.js';
import { ActionError, NonRetryableError, RetryableError } from '../engine/errors.js';
import { Headers, type Response } from 'undici';
import { defineAction } from './registry.js';
import { retryAfterMs } from './retry-after.js';

export const transformAction = defineAction({
  name: 'transform',
  description: 'Evaluates a JSONata expression against `data` and returns the result.',
  input: z.object({ expression: z.string().min(1), data: z.unknown().optional() }),
  async run({ expression, data }) {
    try {
      compileExpression(expression);
    } catch (error) {
      throw new NonRetryableError(`transform expression does not compile: ${(error as Error).message}`, { code: 'EXPRESSION_INVALID' });
    }
    try {
      // Within the expression budget, like every expression in a graph (DESIGN §3, containment).
      return (await evaluateExpression(expression, data ?? null)) ?? null;
    } catch (error) {
      throw new NonRetryableError(`transform expression failed: ${(error as Error).message}`, { code: 'EXPRESSION_FAILED' });
    }
  },
});

export const logAction = defineAction({
  name: 'log',
  description: 'Writes a message (and optional data) to the server log.',
  input: z.object({ message: z.string(), level: z.enum(['debug', 'info', 'warn', 'error']).default('info'), data: z.unknown().optional() }),
  run({ message, level, data }, ctx) {
    ctx.logger[level](message, { idempotencyKey: ctx.idempotencyKey, ...(data !== undefined ? { data } : {}) });
    return { message };
  },
});

const httpInput = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  timeout: z.string().refine(isDuration, 'not a duration').default('30s'),
});

/** The body as JSON when it says so, else text; ctx.fetch's cap stops a huge one mid-stream. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** What went wrong on the wire, in words: "fetch failed" alone says nothing. */
function networkReason(error: unknown, timeout: string): string {
  const { name, message, cause } = error as Error;
  if (name === 'TimeoutError') return `timed out after ${timeout}`;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

/** Network errors, timeouts, 429 and 5xx are retryable; any other 4xx is not (DESIGN §3). */
export const httpRequestAction = defineAction({
  name: 'http.request',
  description: 'Sends an HTTP request with an Idempotency-Key header; 429 and 5xx are retried.',
  input: httpInput,
  async run(input, ctx) {
    const headers = new Headers(input.headers);
    if (!headers.has('idempotency-key')) headers.set('Idempotency-Key', ctx.idempotencyKey);
    let body: string | undefined;
    if (input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD') {
      body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
      if (typeof input.body !== 'string' && !headers.has('content-type')) headers.set('Content-Type', 'application/json');
    }
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(durationMs(input.timeout))]);
    let response: Response;
    let responseBody: unknown;
    try {
      response = await ctx.fetch(input.url, { method: input.method, headers, body, signal });
      responseBody = await readBody(response);
    } catch (error) {
      // Egress refusals and too-large answers say so themselves and are not retried.
      if (error instanceof ActionError) throw error;
      throw new RetryableError(`${input.method} ${input.url} failed: ${networkReason(error, input.timeout)}`, { code: 'HTTP_NETWORK', cause: error });
    }
    const result = { status: response.status, headers: Object.fromEntries(response.headers), body: responseBody };
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(`${input.method} ${input.url} answered ${response.status}`, {
        code: `HTTP_${response.status}`,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), Date.now()),
      });
    }
    if (response.status >= 400) {
      throw new NonRetryableError(`${input.method} ${input.url} answered ${response.status}: ${JSON.stringify(responseBody)?.slice(0, 300)}`, {
        code: `HTTP_${response.status}`,
      });
    }
    return result;
  },
});

export const builtinActions = [transformAction, httpRequestAction, logAction];
