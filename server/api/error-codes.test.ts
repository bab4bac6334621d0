// The one error table: each code's REST status is the status tRPC itself gives its tRPC code, so a
// refusal reads the same over both transports; and REST answers with the table's status and shape.
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors.js';
import { ApiError } from '../errors.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { toHttpError } from './errors.js';

describe('the error table', () => {
  it.each(Object.entries(ERROR_CODES))('%s: the REST status is the one tRPC gives its code', (_code, { status, trpc }) => {
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc }))).toBe(status);
  });

  it('REST answers an ApiError and an EngineError with the table status and { error: { code, message, details? } }', () => {
    for (const code of ['NOT_FOUND', 'INVALID_GRAPH', 'UNAUTHENTICATED'] satisfies ErrorCode[]) {
      expect(toHttpError(new ApiError(code, 'no', [{ path: '/x' }]))).toEqual({ status: ERROR_CODES[code].status, body: { error: { code, message: 'no', details: [{ path: '/x' }] } } });
    }
    expect(toHttpError(new EngineError('CONFLICT', 'taken'))).toEqual({ status: 409, body: { error: { code: 'CONFLICT', message: 'taken' } } });
    expect(JSON.stringify(toHttpError(new Error('/etc/passwd: driver says')).body)).toBe('{"error":{"code":"INTERNAL","message":"something went wrong on our side; it has been logged"}}');
  });
});
