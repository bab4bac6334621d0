// The tRPC client for the web app, with TanStack Query: batched queries and mutations over HTTP (with
// the CSRF header), and every subscription of the page over its one live connection (a WebSocket).
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/api/trpc/router.js';
import { bindPageLifecycle, createLiveConnection } from './live-connection.js';
import { currentCsrfToken } from './session.js';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createClients() {
  // Retry once on a passing fault, never when the answer is final (signed out, refused, missing).
  const final = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'BAD_REQUEST', 'UNPROCESSABLE_CONTENT']);
  const retry = (failures: number, error: unknown) => failures < 1 && !final.has((error as { data?: { code?: string } }).data?.code ?? '');
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry, refetchOnWindowFocus: false } } });
  const live = createLiveConnection({ url: liveUrl, sessionKey: currentCsrfToken });
  bindPageLifecycle(window, live);
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: live.links,
        false: httpBatchLink({
          url: '/trpc',
          headers: () => {
            const token = currentCsrfToken();
            return token ? { 'x-csrf-token': token } : {};
          },
        }),
      }),
    ],
  });
  return { queryClient, trpcClient };
}

/** The page's own origin, over ws: or wss: as the page is served. */
const liveUrl = () => `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/trpc`;

export type { AppRouter };
