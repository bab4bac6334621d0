// A page's live connection: one WebSocket at /trpc carries every subscription of the page (tRPC's
// WebSocket protocol multiplexes them), so a browser tab holds one connection however many live views
// it shows, outside the browser's six HTTP/1.1 connections per host. The upgrade request passes through
// the HTTP app's hooks like any request (its session cookie names the caller); one that comes from
// another site's page is refused, or that site could open a socket with the user's cookie.
import fastifyWebsocket from '@fastify/websocket';
import type { TRPCError } from '@trpc/server';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { AppRouter } from './router.js';
import { socketContextFactory, type TrpcDeps } from './trpc.js';

export const LIVE_SOCKET = {
  path: '/trpc',
  /** A message is a few subscription starts or stops: far below this. */
  maxMessageBytes: 64 * 1024,
  /** The server pings a socket quiet for this long, and drops it when no answer comes in pongWaitMs. */
  pingMs: 30_000,
  pongWaitMs: 10_000,
};

export interface LiveSocketOptions {
  router: AppRouter;
  deps: TrpcDeps;
  /** CAIRN_PUBLIC_URL: pages served under it may connect too (behind a proxy that rewrites Host). */
  publicUrl?: string;
  onError: (failure: { error: TRPCError; path?: string }) => void;
}

export async function registerLiveSocket(app: FastifyInstance, options: LiveSocketOptions): Promise<void> {
  await app.register(fastifyWebsocket, { options: { maxPayload: LIVE_SOCKET.maxMessageBytes } });
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const socketContext = socketContextFactory(options.deps);
  app.get(
    LIVE_SOCKET.path,
    {
      websocket: true,
      onRequest: async (request) => {
        if (!originAllowed(request.headers.origin, ownOrigin(request), publicOrigin)) {
          throw new ApiError('FORBIDDEN', `a live connection must come from a page of this server, not from ${request.headers.origin}`);
        }
      },
    },
    (socket, request) => {
      // One handler per socket, so that its context is made from this upgrade request.
      const handle = getWSConnectionHandler<AppRouter>({
        wss: app.websocketServer,
        router: options.router,
        createContext: () => socketContext(request),
        onError: options.onError,
        keepAlive: { enabled: true, pingMs: LIVE_SOCKET.pingMs, pongWaitMs: LIVE_SOCKET.pongWaitMs },
      });
      handle(socket, request.raw);
    },
  );
}

/** The origin the request was sent to, as its Host (or a trusted proxy's X-Forwarded-*) says. */
function ownOrigin(request: FastifyRequest): string | undefined {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * Browsers always send Origin with a WebSocket handshake: it must be this server's own origin (or
 * the public URL's). A client that sends none is not a browser page, which is what the check guards
 * against: such a client holds the credentials it sends.
 */
export function originAllowed(origin: string | undefined, own: string | undefined, publicOrigin: string | undefined): boolean {
  if (origin === undefined) return true;
  let parsed: string;
  try {
    parsed = new URL(origin).origin;
  } catch {
    return false;
  }
  // An opaque origin (a sandboxed frame, a file) serialises as "null" and matches nothing.
  return parsed !== 'null' && (parsed === own || parsed === publicOrigin);
}
