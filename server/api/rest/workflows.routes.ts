// REST v1: workflows, drafts, publishing and versions (DESIGN §4).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requires } from '../auth.js';
import { wholeNumber } from './request-shape.js';
import { body, type Services } from './context.js';

type SlugParams = { Params: { slug: string } };

/** A graph can be larger than a run input: drafts get a bigger body limit. */
const GRAPH_BODY_LIMIT = 4 * 1024 * 1024;

export function workflowsRoutes(app: FastifyInstance, { workflows }: Services): void {
  app.get('/api/v1/workflows', { preHandler: requires('workflows:read') }, async () => workflows.list());

  app.put<SlugParams>('/api/v1/workflows/:slug', { preHandler: requires('workflows:write'), bodyLimit: GRAPH_BODY_LIMIT }, async (request, reply) => {
    const { name, graph, rev } = body(request.body);
    const ifMatch = request.headers['if-match'];
    const expectedRev =
      rev !== undefined ? wholeNumber(rev, 'rev (the draft revision the save is based on)') : ifMatch ? wholeNumber(String(ifMatch).replaceAll('"', ''), 'If-Match (the draft revision the save is based on)', { text: true }) : undefined;
    const result = await workflows.saveDraft(request.params.slug, { name, graph, expectedRev, by: request.principal?.name });
    return reply.code(result.created ? 201 : 200).send(result.workflow);
  });

  app.get<SlugParams>('/api/v1/workflows/:slug', { preHandler: requires('workflows:read') }, async (request) => workflows.get(request.params.slug));

  app.post<SlugParams>('/api/v1/workflows/:slug/publish', { preHandler: requires('workflows:write') }, async (request, reply) => {
    const { note } = body(request.body);
    if (note !== undefined && typeof note !== 'string') throw new ApiError('INVALID_INPUT', 'note must be text');
    const result = await workflows.publish(request.params.slug, note);
    // Warnings (a sub-workflow that can start this workflow again) do not block publishing.
    return reply.code(result.created ? 201 : 200).send({ version: result.version, ...(result.warnings ? { warnings: result.warnings } : {}) });
  });

  app.get<SlugParams>('/api/v1/workflows/:slug/versions', { preHandler: requires('workflows:read') }, async (request) => workflows.versions(request.params.slug));

  app.get<{ Params: { slug: string; version: string } }>('/api/v1/workflows/:slug/versions/:version', { preHandler: requires('workflows:read') }, async (request) =>
    workflows.version(request.params.slug, versionNumber(request.params.version)),
  );

  // The draft's kept revisions (the newest 100 saves, who and when), one with its graph, and restoring one.
  app.get<SlugParams>('/api/v1/workflows/:slug/revisions', { preHandler: requires('workflows:read') }, async (request) => workflows.revisions(request.params.slug));

  app.get<{ Params: { slug: string; rev: string } }>('/api/v1/workflows/:slug/revisions/:rev', { preHandler: requires('workflows:read') }, async (request) =>
    workflows.revision(request.params.slug, revisionNumber(request.params.rev)),
  );

  app.post<{ Params: { slug: string; rev: string } }>('/api/v1/workflows/:slug/revisions/:rev/restore', { preHandler: requires('workflows:write') }, async (request) => {
    const { base } = body(request.body);
    const result = await workflows.restore(request.params.slug, {
      rev: revisionNumber(request.params.rev),
      base: base === undefined ? undefined : wholeNumber(base, 'base (the draft revision the restore is based on)'),
      by: request.principal?.name,
    });
    return result.workflow;
  });

  app.post<{ Params: { slug: string; version: string } }>('/api/v1/workflows/:slug/versions/:version/promote', { preHandler: requires('workflows:write') }, async (request) =>
    workflows.promote(request.params.slug, versionNumber(request.params.version)),
  );
}

const versionNumber = (text: string) => wholeNumber(text, 'the version number', { min: 1, text: true });
const revisionNumber = (text: string) => wholeNumber(text, 'the revision number', { min: 1, text: true });
