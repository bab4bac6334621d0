// Built-in actions: transform (JSONata), http.request, log and code (sandboxed JavaScript, in
// server/sandbox/). Each field's title and description are what the inspector's form shows beside it;
// defaults are its placeholders.
import { compileExpression, evaluateExpression } from '../../shared/expressions.js';
import { z } from 'zod';
import { durationMs, isDuration } from '../../shared/durations.js';
import { ActionError, NonRetryableError, RetryableError } from '../engine/errors.js';
import type { Response } from 'undici';
import { defineAction } from './registry.js';
import { loadUndici } from './http-client.js';
import { retryAfterMs } from './retry-after.js';
import { codeAction } from '../sandbox/code.action.js';
import { CREDENTIAL_MEDIA_TYPE } from '../../shared/credential-kinds.js';
import { applyHttpCredential } from '../credentials/http-credential.js';
import { emailSendAction } from './email.action.js';

export const transformAction = defineAction({
  name: 'transform',
  title: 'Transform data',
  description: 'Evaluates a JSONata expression against `data` and returns the result.',
  input: z.object({
    expression: z.string().min(1).meta({ title: 'Expression', description: 'JSONata, evaluated against Data (not the run): "$sum(items.price)"' }),
    data: z.unknown().optional().meta({ title: 'Data', description: 'What the expression reads, usually {{ input }} or {{ nodes.<id> }}' }),
  }),
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
  title: 'Write to the log',
  description: 'Writes a message (and optional data) to the server log.',
  input: z.object({
    message: z.string().meta({ title: 'Message', description: 'The line to write' }),
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info').meta({ title: 'Level' }),
    data: z.unknown().optional().meta({ title: 'Data', description: 'Written beside the message' }),
  }),
  output: z.object({ message: z.string() }),
  run({ message, level, data }, ctx) {
    ctx.logger[level](message, { idempotencyKey: ctx.idempotencyKey, ...(data !== undefined ? { data } : {}) });
    return { message };
  },
});

const httpInput = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET').meta({ title: 'Method' }),
  url: z.url().meta({ title: 'URL', description: 'http or https; internal addresses only where CAIRN_HTTP_ALLOW names them' }),
  headers: z.record(z.string(), z.string()).default({}).meta({ title: 'Headers', description: 'An Idempotency-Key header is added unless set here' }),
  body: z.unknown().optional().meta({ title: 'Body', description: 'Text is sent as it is; any other value as JSON (Content-Type: application/json). Not sent with GET or HEAD' }),
  timeout: z.string().refine(isDuration, 'not a duration').default('30s').meta({ title: 'Timeout', description: 'For the whole request, e.g. "10s"' }),
  credential: z.string().min(1).max(200).optional().meta({ title: 'Credential', description: 'A stored credential (Settings → Credentials): a bearer token, Basic auth, a header or a query parameter, added when the request is sent', contentMediaType: CREDENTIAL_MEDIA_TYPE }),
});

const httpOutput = z.object({
  status: z.number().meta({ title: 'Status', description: 'The HTTP status code' }),
  headers: z.record(z.string(), z.string()).meta({ title: 'Headers' }),
  body: z.unknown().meta({ title: 'Body', description: 'Parsed JSON when the answer says so, else text' }),
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
  title: 'HTTP request',
  description: 'Sends an HTTP request with an Idempotency-Key header; 429 and 5xx are retried.',
  input: httpInput,
  output: httpOutput,
  async run(input, ctx) {
    const { Headers } = await loadUndici();
    const headers = new Headers(input.headers);
    if (!headers.has('idempotency-key')) headers.set('Idempotency-Key', ctx.idempotencyKey);
    // Resolved now, for this attempt only: a rotated credential is used from the next attempt on.
    const url = input.credential ? applyHttpCredential(await ctx.credentials.get(input.credential), input.credential, headers, input.url) : input.url;
    let body: string | undefined;
    if (input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD') {
      body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
      if (typeof input.body !== 'string' && !headers.has('content-type')) headers.set('Content-Type', 'application/json');
    }
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(durationMs(input.timeout))]);
    let response: Response;
    let responseBody: unknown;
    try {
      response = await ctx.fetch(url, { method: input.method, headers, body, signal });
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

/** email.send here sends nothing ("not sent: no SMTP configured"); createActionRegistry swaps in the configured one. */
export const builtinActions = [transformAction, httpRequestAction, logAction, codeAction, emailSendAction()];
