// tRPC set-up: the context (who is calling, and the services), procedures guarded by permission,
// and the same error mapping as REST.
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { can, type Permission } from '../auth/principal.js';
import { EngineError } from '../engine/errors.js';
import { ApiError, type ApiErrorCode } from '../errors.js';
import type { Services } from '../http/rest/context.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { LiveEvents } from './events.js';

export interface TrpcDeps {
  services: Services;
  actions: ActionRegistry;
  live: LiveEvents;
}

export function contextFactory(deps: TrpcDeps) {
  return ({ req }: CreateFastifyContextOptions) => ({ ...deps, principal: req.principal, authError: req.authError });
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

const t = initTRPC.context<Context>().create({
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    const details = cause instanceof ApiError || cause instanceof EngineError ? { code: cause.code, details: cause.details } : undefined;
    return { ...shape, data: { ...shape.data, cairn: details } };
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
