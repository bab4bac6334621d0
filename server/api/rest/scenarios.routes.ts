// REST v1: a workflow's scenarios (DESIGN §7): list, replace, put and delete the draft's, read a
// version's frozen ones, and run them on the draft or a version.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requires } from '../auth.js';
import { body, type Services } from './context.js';

type SlugParams = { Params: { slug: string } };
type NameParams = { Params: { slug: string; name: string } };

/** Scenarios carry inputs and stub results: as much room as a graph. */
const SCENARIOS_BODY_LIMIT = 4 * 1024 * 1024;

function versionNumber(value: unknown, what: string): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 1_000_000_000) throw new ApiError('BAD_REQUEST', `${what} must be a version number (a whole number from 1), not ${JSON.stringify(value)?.slice(0, 40)}`);
  return number;
}

function names(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > 200 || !value.every((name) => typeof name === 'string' && name.length > 0 && name.length <= 200)) {
    throw new ApiError('INVALID_INPUT', 'names must be a list of 1 to 200 scenario names');
  }
  return value as string[];
}

export function scenariosRoutes(app: FastifyInstance, services: Services): void {
  const scenarios = () => {
    if (!services.scenarios) throw new ApiError('NOT_FOUND', 'scenarios are not served by this process');
    return services.scenarios;
  };

  app.get<SlugParams>('/api/v1/workflows/:slug/scenarios', { preHandler: requires('workflows:read') }, async (request) => scenarios().list(request.params.slug));

  app.put<SlugParams>('/api/v1/workflows/:slug/scenarios', { preHandler: requires('workflows:write'), bodyLimit: SCENARIOS_BODY_LIMIT }, async (request) => {
    const { scenarios: list, requirePassing, ...rest } = body(request.body);
    const unknown = Object.keys(rest);
    if (unknown.length) throw new ApiError('INVALID_INPUT', `unknown field(s) ${unknown.map((key) => `"${key}"`).join(', ')}: send { scenarios?, requirePassing? }`);
    return scenarios().replace(request.params.slug, { scenarios: list, requirePassing });
  });

  app.put<NameParams>('/api/v1/workflows/:slug/scenarios/:name', { preHandler: requires('workflows:write'), bodyLimit: SCENARIOS_BODY_LIMIT }, async (request, reply) => {
    const result = await scenarios().put(request.params.slug, request.params.name, body(request.body));
    return reply.code(result.created ? 201 : 200).send(result.scenario);
  });

  app.delete<NameParams>('/api/v1/workflows/:slug/scenarios/:name', { preHandler: requires('workflows:write') }, async (request, reply) => {
    await scenarios().remove(request.params.slug, request.params.name);
    return reply.code(204).send();
  });

  app.get<{ Params: { slug: string; version: string } }>('/api/v1/workflows/:slug/versions/:version/scenarios', { preHandler: requires('workflows:read') }, async (request) => ({
    scenarios: await scenarios().versionScenarios(request.params.slug, versionNumber(request.params.version, 'the version')),
  }));

  // Runs actions that are not stubbed for real, so it needs the right to change workflows.
  app.post<SlugParams>('/api/v1/workflows/:slug/scenarios/run', { preHandler: requires('workflows:write') }, async (request) => {
    const { version, names: picked, ...rest } = body(request.body);
    const unknown = Object.keys(rest);
    if (unknown.length) throw new ApiError('INVALID_INPUT', `unknown field(s) ${unknown.map((key) => `"${key}"`).join(', ')}: send { version?, names? }`);
    return scenarios().run(request.params.slug, { version: version === undefined ? undefined : versionNumber(version, 'version'), names: names(picked) });
  });
}
