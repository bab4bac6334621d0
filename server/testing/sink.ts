// The outside world of the scale-out tests: an HTTP server on 127.0.0.1 that counts the requests
// the built-in `http.request` action sends, by their Idempotency-Key, so side effects (and their
// duplicates after a crash) are observable. It answers after `delayMs`, like a real service would
// take a moment, which keeps steps in flight long enough for a kill to land among them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sink {
  readonly url: string;
  /** Requests received so far (duplicates included). */
  readonly received: number;
  /** Requests received per Idempotency-Key. */
  readonly byKey: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startSink({ delayMs = 0 }: { delayMs?: number } = {}): Promise<Sink> {
  const byKey = new Map<string, number>();
  let received = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const key = request.headers['idempotency-key'];
      received++;
      if (typeof key === 'string') byKey.set(key, (byKey.get(key) ?? 0) + 1);
      const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    byKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
