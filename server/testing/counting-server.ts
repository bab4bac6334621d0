// A test HTTP server on 127.0.0.1 that counts requests per path, keeps their bodies, and answers 500
// on the paths named in `failing` (a test "recovers" an endpoint by taking its path out).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Requests per path, e.g. { "/s1": 1 }. */
  counts: Record<string, number>;
  bodies: Record<string, unknown[]>;
  failing: Set<string>;
  close(): Promise<void>;
}

export async function countingServer(failing: string[] = []): Promise<CountingServer> {
  const counts: Record<string, number> = {};
  const bodies: Record<string, unknown[]> = {};
  const failingPaths = new Set(failing);
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const path = new URL(request.url!, 'http://x').pathname;
      counts[path] = (counts[path] ?? 0) + 1;
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON: kept as text.
      }
      (bodies[path] ??= []).push(body);
      const fails = failingPaths.has(path);
      response.writeHead(fails ? 500 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(fails ? { error: 'down' } : { path, n: counts[path], got: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    bodies,
    failing: failingPaths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** start → s1…s<count> (each POSTs to <url>/s<i> with what the step before it got back) → end; no retries. */
export function sixCalls(url: string, count = 6) {
  return Array.from({ length: count }, (_, index) => ({
    id: `s${index + 1}`,
    action: 'http.request',
    input: { method: 'POST', url: `${url}/s${index + 1}`, body: index === 0 ? { from: '{{ input.order }}' } : { prev: `{{ nodes.s${index}.body.path }}`, first: '{{ nodes.s1.body.got.from }}' } },
    retry: { maxAttempts: 1 },
  }));
}
