// Request shapes refused before any route sees them: JSON nested deeper than any real document (a
// recursion hazard everywhere downstream) and query parameters given more than once (they arrive as
// arrays where every route expects text). Both are a 400 that names the problem.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';

/** Deeper than any graph, input or form answer needs (a graph with a JSON Schema is about 15). */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` (JSON or not) opens more than `limit` arrays/objects inside each other; linear, no recursion. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

const tooDeep = (what: string) => new ApiError('BAD_REQUEST', `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);

/**
 * JSON bodies are checked for depth before Fastify's own parser (prototype-poisoning checks kept)
 * reads them; tRPC, which parses its own bodies and `input` query, is checked in the same hook as
 * repeated query parameters.
 */
export function guardRequestShapes(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (nestsDeeperThan(text as string, MAX_JSON_DEPTH)) return done(tooDeep('the request body'), undefined);
    return parseJson(request, text as string, done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/trpc')) return;
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if (Array.isArray(value)) throw new ApiError('BAD_REQUEST', `query parameter "${name}" is given ${value.length} times; give it once`);
    }
    if (!request.url.startsWith('/trpc')) return;
    const input = (request.query as Record<string, unknown> | undefined)?.input;
    if (typeof input === 'string' && nestsDeeperThan(input, MAX_JSON_DEPTH)) throw tooDeep('the input');
    if (typeof request.body === 'string' && nestsDeeperThan(request.body, MAX_JSON_DEPTH)) throw tooDeep('the request body');
  });
}
