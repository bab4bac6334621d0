// A process's HTTP side, assembled: the app (REST, pages) with tRPC mounted at /trpc — queries and
// mutations over HTTP, subscriptions over SSE or a page's one WebSocket — listening on host:port.
import type { TRPCError } from '@trpc/server';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import { createApp, type AppOptions } from './http-app.js';
import { registerLiveSocket } from './trpc/live-socket.js';
import { appRouter, type AppRouter } from './trpc/router.js';
import { contextFactory, type TrpcDeps } from './trpc/trpc.js';

export interface ServeOptions extends Omit<AppOptions, 'extend' | 'services'>, TrpcDeps {
  host: string;
  /** 0: any free port (tests). */
  port: number;
}

export async function serveHttp(options: ServeOptions): Promise<{ app: FastifyInstance; url: string }> {
  const { services, actions, live, logger } = options;
  const app = await createApp({
    ...options,
    extend: async (fastify) => {
      // An unexpected error is logged here; its answer says only that it was (trpc.ts).
      const onError = ({ error, path }: { error: TRPCError; path?: string }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error('trpc call failed', { path, error: String(error.cause?.stack ?? error) });
      };
      await fastify.register(fastifyTRPCPlugin, {
        prefix: '/trpc',
        trpcOptions: { router: appRouter, createContext: contextFactory({ services, actions, live }), onError } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
      });
      // The web app's subscriptions: one WebSocket per page at /trpc (SSE stays for other clients).
      await registerLiveSocket(fastify, { router: appRouter, deps: { services, actions, live }, publicUrl: options.publicUrl, onError });
    },
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}` };
}
