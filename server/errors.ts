// Refusals of API requests, by intent; mapped to HTTP statuses and tRPC codes in one table (api/error-codes.ts).
export type ApiErrorCode = 'BAD_REQUEST' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'PAYLOAD_TOO_LARGE' | 'INVALID_INPUT' | 'INVALID_GRAPH';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
