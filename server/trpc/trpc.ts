// tRPC set-up: the context (who is calling, and the services), procedures guarded by permission,
// and the same error mapping as REST. Answers never carry a stack, and an unexpected error's message
// (a driver's text may name files) is replaced, as REST does; the original is logged (server.ts).
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { can, type Permission } from '../auth/principal.js';
import { EngineError } from '../engine/errors.js';
import { ApiError, type ApiErrorCode } from '../errors.js';
import { SESSION_COOKIE } from '../http/auth.js';
import type { Services } from '../http/rest/context.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { LiveEvents } from './events.js';

export interface TrpcDeps {
  services: Services;
  actions: ActionRegistry;
  live: LiveEvents;
}

export function contextFactory(deps: TrpcDeps) {
  return ({ req }: CreateFastifyContextOptions) => ({
    ...deps,
    principal: req.principal,
    authError: req.authError,
    /** The caller's session cookie, kept signed in when an admin sets their own password. */
    sessionCookie: req.cookies[SESSION_COOKIE] as string | undefined,
  });
}
export type Context = ReturnType<ReturnType<typeof contextFactory>>;

const CODES: Record<ApiErrorCode, TRPCError['code']> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INVALID_INPUT: 'UNPROCESSABLE_CONTENT',
  INVALID_GRAPH: 'UNPROCESSABLE_CONTENT',
};

export const INTERNAL_MESSAGE = 'something went wrong on our side; it has been logged';

const t = initTRPC.context<Context>().create({
  // Whatever NODE_ENV says: a stack in an answer tells a caller the server's files and code.
  isDev: false,
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    const known = cause instanceof ApiError || cause instanceof EngineError;
    const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
    const message = error.code === 'INTERNAL_SERVER_ERROR' && !known ? INTERNAL_MESSAGE : shape.message;
    return { ...shape, message, data: { ...data, cairn: known ? { code: cause.code, details: cause.details } : undefined } };
  },
});

/** ApiError and EngineError become TRPCErrors with the matching code and the original as cause. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ApiError || cause instanceof EngineError) {
      throw new TRPCError({ code: CODES[cause.code], message: cause.message, cause });
    }
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors);

export function authed(permission: Permission) {
  return publicProcedure.use(({ ctx, next }) => {
    if (ctx.authError) throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authError.message });
    if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    if (!can(ctx.principal, permission)) throw new TRPCError({ code: 'FORBIDDEN', message: `${ctx.principal.name} may not do this (needs ${permission})` });
    return next({ ctx: { ...ctx, principal: ctx.principal } });
  });
}
