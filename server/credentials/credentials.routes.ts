// REST for credentials (DESIGN §4, admins only): GET /api/v1/credentials lists them without values;
// POST creates `{ name, description?, value: { kind, … } }`; PUT /:name rotates `{ value, description? }`;
// DELETE /:name deletes (409 with the workflows that use it).
import type { FastifyInstance } from 'fastify';
import { requires } from '../api/auth.js';
import { body } from '../api/rest/context.js';
import type { CredentialsService } from './credentials.service.js';

type NameParams = { Params: { name: string } };

export function credentialsRoutes(app: FastifyInstance, credentials: CredentialsService): void {
  const admin = { preHandler: requires('admin') };
  app.get('/api/v1/credentials', admin, async () => ({ ...credentials.status(), credentials: await credentials.list() }));
  app.post('/api/v1/credentials', admin, async (request, reply) => reply.code(201).send(await credentials.create(body(request.body), request.principal?.name ?? null)));
  app.put<NameParams>('/api/v1/credentials/:name', admin, async (request) => credentials.rotate(request.params.name, body(request.body)));
  app.get<NameParams>('/api/v1/credentials/:name/usage', admin, async (request) => ({ workflows: await credentials.usage(request.params.name) }));
  app.delete<NameParams>('/api/v1/credentials/:name', admin, async (request, reply) => {
    await credentials.remove(request.params.name);
    return reply.code(204).send();
  });
}
