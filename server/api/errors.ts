// Errors to HTTP: { error: { code, message, details? } } with DESIGN §4's codes, their statuses from
// the one table both transports use (error-codes.ts).
import type { FastifyError } from 'fastify';
import { ThrottledError } from '../auth/login-throttle.js';
import { EngineError } from '../engine/errors.js';
import { ApiError } from '../errors.js';
import { ERROR_CODES, INTERNAL_MESSAGE, type ErrorCode } from './error-codes.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/** Never a stack, a file path or a driver's message: a 500 says only that it was logged. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof ThrottledError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return { ...refusal('TOO_MANY_REQUESTS', error.message, { retryAfterSeconds: seconds }), headers: { 'retry-after': String(seconds) } };
  }
  if (error instanceof ApiError || error instanceof EngineError) {
    return refusal(error.code, error.message, error.details);
  }
  const fastify = error as FastifyError;
  if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refusal('PAYLOAD_TOO_LARGE', 'the request body is over the 256 KB limit');
  if (fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return refusal('BAD_REQUEST', 'send JSON with Content-Type: application/json');
  if (fastify.statusCode === 400 || fastify.code?.startsWith('FST_ERR_CTP')) return refusal('BAD_REQUEST', `the request body is not valid JSON: ${fastify.message}`);
  return refusal('INTERNAL', INTERNAL_MESSAGE);
}

function refusal(code: ErrorCode, message: string, details?: unknown): HttpError {
  return { status: ERROR_CODES[code].status, body: { error: { code, message, ...(details !== undefined ? { details } : {}) } } };
}
