// Where Prometheus scrapes (issue 18): GET /metrics on the API's port behind CAIRN_METRICS_TOKEN
// (a bearer token of its own, so a scraper holds no API rights), and/or on a port of its own,
// CAIRN_METRICS_PORT, for networks where only the scraper reaches that port.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ApiError } from '../errors.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries `token` (compared in constant time). */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

/** /metrics on the API's HTTP server: refused without CAIRN_METRICS_TOKEN, or when it is not set. */
export function metricsRoute(app: FastifyInstance, options: { registry: Registry; token?: string }): void {
  app.get('/metrics', async (request, reply) => {
    if (!options.token) throw new ApiError('NOT_FOUND', 'metrics are not served here: set CAIRN_METRICS_TOKEN (then send it as a bearer token) or CAIRN_METRICS_PORT');
    if (!bearerMatches(request.headers.authorization, options.token)) {
      throw new ApiError('UNAUTHENTICATED', request.headers.authorization ? 'the metrics token is wrong' : 'send the metrics token: Authorization: Bearer <CAIRN_METRICS_TOKEN>');
    }
    const text = await options.registry.metrics();
    return reply.header('content-type', options.registry.contentType).send(text);
  });
}

/** A plain HTTP server answering GET /metrics only (the token too, when one is set). */
export async function startMetricsServer(options: { registry: Registry; host: string; port: number; token?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: string, type = 'application/json') => response.writeHead(status, { 'content-type': type }).end(body);
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: 'only GET /metrics is served on this port' } }));
    if (options.token && !bearerMatches(request.headers.authorization, options.token)) return send(401, JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'the metrics token is missing or wrong' } }));
    options.registry.metrics().then(
      (text) => send(200, text, options.registry.contentType),
      () => send(500, JSON.stringify({ error: { code: 'INTERNAL', message: 'metrics could not be read; it has been logged' } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
