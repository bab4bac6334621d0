// The app's root: the query and tRPC clients (made once), the auth gate, then the signed-in shell.
import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { AuthGate } from './auth/AuthGate.js';
import { Shell } from './Shell.js';
import { createClients, TRPCProvider } from './trpc.js';

export function App() {
  const [{ queryClient, trpcClient }] = useState(createClients);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider queryClient={queryClient} trpcClient={trpcClient}>
        <AuthGate>
          <Shell />
        </AuthGate>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
