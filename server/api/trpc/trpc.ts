// tRPC set-up: the context (who is calling, and the services), procedures guarded by permission,
// and the error table REST uses too (error-codes.ts). Answers never carry a stack, and an unexpected
// error's message (a driver's text may name files) is replaced, as REST does; the original is logged
// (main.ts).
// Calls come over HTTP (queries, mutations, SSE) or over a page's live connection (a WebSocket that
// carries subscriptions only; see live-socket.ts).
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { FastifyRequest } from 'fastify';
import { can, type Permission, type Principal } from '../../auth/principal.js';
import { EngineError } from '../../engine/errors.js';
import { ApiError } from '../../errors.js';
import { ERROR_CODES, INTERNAL_MESSAGE } from '../error-codes.js';
import { resolvePrincipal, SESSION_COOKIE } from '../auth.js';
import type { Services } from '../rest/context.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { LiveEvents } from './events.js';

export interface TrpcDeps {
  services: Services;
  actions: ActionRegistry;
  live: LiveEvents;
}

interface Caller {
  principal?: Principal;
  authError?: ApiError;
}

/** A live connection's own state: who its upgrade request's credentials name now, and its subscriptions. */
export interface LiveSocketState {
  authenticate(): Promise<Caller>;
  subscriptions: number;
}

export interface Context extends TrpcDeps, Caller {
  /** The caller's session cookie, kept signed in when an admin sets their own password. */
  sessionCookie?: string;
  /** Present when the call came over a live connection (WebSocket). */
  socket?: LiveSocketState;
}

/** How many subscriptions one live connection may hold at once (a page has one to three). */
export const MAX_SOCKET_SUBSCRIPTIONS = 100;

export function contextFactory(deps: TrpcDeps) {
  return ({ req }: CreateFastifyContextOptions): Context => ({
    ...deps,
    principal: req.principal,
    authError: req.authError,
    sessionCookie: req.cookies[SESSION_COOKIE] as string | undefined,
  });
}

/**
 * The context of a live connection, from its upgrade request (which went through the same
 * authentication hook as every request). Each subscription authenticates again with that request's
 * credentials when it starts, exactly as an HTTP request would: a session that ended since the
 * socket opened (sign-out, a disabled user) starts nothing more.
 */
export function socketContextFactory(deps: TrpcDeps) {
  return (request: FastifyRequest): Context => ({
    ...deps,
    principal: request.principal,
    authError: request.authError,
    sessionCookie: request.cookies[SESSION_COOKIE] as string | undefined,
    socket: {
      subscriptions: 0,
      async authenticate() {
        try {
          return { principal: await resolvePrincipal(request, deps.services.accounts) };
        } catch (error) {
          if (error instanceof ApiError) return { authError: error };
          throw error;
        }
      },
    },
  });
}

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
      throw new TRPCError({ code: ERROR_CODES[cause.code].trpc, message: cause.message, cause });
    }
  }
  return result;
});

/** Ends when `source` ends, however it ends, and then calls `release` once. */
async function* releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } finally {
    release();
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

/**
 * Over a live connection only subscriptions are served (queries and mutations go over HTTP, where
 * mutations carry the CSRF header), at most MAX_SOCKET_SUBSCRIPTIONS at once, each with the
 * caller authenticated anew.
 */
const overSocket = t.middleware(async ({ ctx, type, next }) => {
  const { socket } = ctx;
  if (!socket) return next();
  if (type !== 'subscription') throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: `the live connection carries subscriptions only; send ${type === 'query' ? 'queries' : 'mutations'} to /trpc over HTTP` });
  if (socket.subscriptions >= MAX_SOCKET_SUBSCRIPTIONS) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `a live connection holds at most ${MAX_SOCKET_SUBSCRIPTIONS} subscriptions at once` });
  // The place is taken before anything is awaited, so that starts arriving together cannot pass the limit.
  socket.subscriptions++;
  let released = false;
  const release = () => {
    if (!released) socket.subscriptions--;
    released = true;
  };
  let result: Awaited<ReturnType<typeof next>>;
  try {
    const caller = await socket.authenticate();
    result = await next({ ctx: { principal: caller.principal, authError: caller.authError } });
  } catch (error) {
    release();
    throw error;
  }
  if (!result.ok || !isAsyncIterable(result.data)) {
    release();
    return result;
  }
  return { ...result, data: releasing(result.data, release) };
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors).use(overSocket);

export function authed(permission: Permission) {
  return publicProcedure.use(({ ctx, next }) => {
    if (ctx.authError) throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authError.message });
    if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    if (!can(ctx.principal, permission)) throw new TRPCError({ code: 'FORBIDDEN', message: `${ctx.principal.name} may not do this (needs ${permission})` });
    return next({ ctx: { ...ctx, principal: ctx.principal } });
  });
}
