// Errors to HTTP, in one place: { error: { code, message, details? } } with DESIGN §4's codes.
import type { FastifyError } from 'fastify';
import { ThrottledError } from '../auth/login-throttle.js';
import { EngineError } from '../engine/errors.js';
import { ApiError, type ApiErrorCode } from '../errors.js';

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_INPUT: 422,
  INVALID_GRAPH: 422,
};

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
    return { status: 429, headers: { 'retry-after': String(seconds) }, body: { error: { code: 'TOO_MANY_REQUESTS', message: error.message, details: { retryAfterSeconds: seconds } } } };
  }
  if (error instanceof ApiError || error instanceof EngineError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } };
    return { status: STATUS[error.code], body };
  }
  const fastify = error as FastifyError;
  if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is over the 256 KB limit' } } };
  if (fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'send JSON with Content-Type: application/json' } } };
  if (fastify.statusCode === 400 || fastify.code?.startsWith('FST_ERR_CTP')) {
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message: `the request body is not valid JSON: ${fastify.message}` } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'something went wrong on our side; it has been logged' } } };
}
