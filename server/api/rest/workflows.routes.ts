// REST v1: workflows, drafts, publishing and versions (DESIGN §4). Inputs are read with the same
// schemas as the tRPC procedures (api/schemas/workflows.schemas.ts).
import type { FastifyInstance } from 'fastify';
import { requires } from '../auth.js';
import { parseInput } from '../schemas/fields.js';
import { ifMatchHeader, publishInput, restoreInput, revisionInput, saveDraftInput, versionInput, workflowInput } from '../schemas/workflows.schemas.js';
import { body, type Services } from './context.js';

type SlugParams = { Params: { slug: string } };

/** A graph can be larger than a run input: drafts get a bigger body limit. */
const GRAPH_BODY_LIMIT = 4 * 1024 * 1024;

export function workflowsRoutes(app: FastifyInstance, { workflows }: Services): void {
  app.get('/api/v1/workflows', { preHandler: requires('workflows:read') }, async () => workflows.list());

  app.put<SlugParams>('/api/v1/workflows/:slug', { preHandler: requires('workflows:write'), bodyLimit: GRAPH_BODY_LIMIT }, async (request, reply) => {
    const { slug, name, graph, rev, clientId } = parseInput(saveDraftInput, { ...body(request.body), slug: request.params.slug });
    const ifMatch = request.headers['if-match'];
    const expectedRev = rev ?? (ifMatch ? parseInput(ifMatchHeader, { rev: String(ifMatch).replaceAll('"', '') }).rev : undefined);
    const result = await workflows.saveDraft(slug, { name, graph, expectedRev, clientId, by: request.principal?.name });
    return reply.code(result.created ? 201 : 200).send(result.workflow);
  });

  app.get<SlugParams>('/api/v1/workflows/:slug', { preHandler: requires('workflows:read') }, async (request) => workflows.get(parseInput(workflowInput, request.params).slug));

  app.post<SlugParams>('/api/v1/workflows/:slug/publish', { preHandler: requires('workflows:write') }, async (request, reply) => {
    const { slug, note } = parseInput(publishInput, { ...body(request.body), slug: request.params.slug });
    const result = await workflows.publish(slug, note);
    // Warnings (a sub-workflow that can start this workflow again) do not block publishing.
    return reply.code(result.created ? 201 : 200).send({ version: result.version, ...(result.warnings ? { warnings: result.warnings } : {}) });
  });

  app.get<SlugParams>('/api/v1/workflows/:slug/versions', { preHandler: requires('workflows:read') }, async (request) => workflows.versions(parseInput(workflowInput, request.params).slug));

  app.get<{ Params: { slug: string; version: string } }>('/api/v1/workflows/:slug/versions/:version', { preHandler: requires('workflows:read') }, async (request) => {
    const { slug, version } = parseInput(versionInput, request.params);
    return workflows.version(slug, version);
  });

  // The draft's kept revisions (the newest 100 saves, who and when), one with its graph, and restoring one.
  app.get<SlugParams>('/api/v1/workflows/:slug/revisions', { preHandler: requires('workflows:read') }, async (request) => workflows.revisions(parseInput(workflowInput, request.params).slug));

  app.get<{ Params: { slug: string; rev: string } }>('/api/v1/workflows/:slug/revisions/:rev', { preHandler: requires('workflows:read') }, async (request) => {
    const { slug, rev } = parseInput(revisionInput, request.params);
    return workflows.revision(slug, rev);
  });

  app.post<{ Params: { slug: string; rev: string } }>('/api/v1/workflows/:slug/revisions/:rev/restore', { preHandler: requires('workflows:write') }, async (request) => {
    const { slug, rev, base, clientId } = parseInput(restoreInput, { ...body(request.body), ...request.params });
    return (await workflows.restore(slug, { rev, base, clientId, by: request.principal?.name })).workflow;
  });

  app.post<{ Params: { slug: string; version: string } }>('/api/v1/workflows/:slug/versions/:version/promote', { preHandler: requires('workflows:write') }, async (request) => {
    const { slug, version } = parseInput(versionInput, request.params);
    return workflows.promote(slug, version);
  });
}
