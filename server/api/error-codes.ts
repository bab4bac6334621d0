// Every refusal code of the API, once: its HTTP status (REST, DESIGN §4) and its tRPC code. REST
// (errors.ts) and tRPC (trpc/trpc.ts) both map through this table, so a new code cannot reach one
// transport without the other: the type check asks for both.
import type { TRPCError } from '@trpc/server';
import type { ApiErrorCode } from '../errors.js';

export type ErrorCode = ApiErrorCode | 'TOO_MANY_REQUESTS' | 'INTERNAL';

export const ERROR_CODES: Record<ErrorCode, { status: number; trpc: TRPCError['code'] }> = {
  BAD_REQUEST: { status: 400, trpc: 'BAD_REQUEST' },
  UNAUTHENTICATED: { status: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { status: 403, trpc: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  CONFLICT: { status: 409, trpc: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  INVALID_INPUT: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  INVALID_GRAPH: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  TOO_MANY_REQUESTS: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
};

/** What a 500 says, on both transports: never a stack, a file path or a driver's message. */
export const INTERNAL_MESSAGE = 'something went wrong on our side; it has been logged';
