// The HTTP server: health today; the tRPC API, REST v1 and the web app's routes hang off this app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';

export interface AppOptions {
  /** The built web app (dist/web); served at / when present. */
  webRoot?: string;
}

export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.get('/api/v1/health', async () => ({ ok: true }));
  if (options.webRoot && existsSync(path.join(options.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(options.webRoot), prefix: '/' });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/plain').send('Cairn is running. Build the web app with `npm run build`.'));
  }
  return app;
}
