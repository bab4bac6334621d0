// Security headers on every answer (the web app and the API), by helmet: a Content-Security-Policy
// with no inline script, no framing by anyone (CSP frame-ancestors and X-Frame-Options), no MIME
// sniffing, no referrer; HSTS only when the public URL is https. Helmet's middleware is built once
// here and run on every request's raw response. (@fastify/helmet, which did the same, built it again
// for every request: parsing the CSP directives was 4 % of the server's CPU when starting runs.)
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export function securityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        // No inline script. 'unsafe-eval' because the web app checks JSON Schemas with ajv (shared/
        // json-schema.ts), which compiles each schema to a function; eval cannot run a page's
        // injected markup, which is what 'unsafe-inline' would allow.
        'script-src': ["'self'", "'unsafe-eval'"],
        // React Flow positions nodes and edges with inline style attributes.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        // The inbox must not be framable (clickjacking of approve/reject).
        'frame-ancestors': ["'none'"],
        // Only over https: on a plain-http address it would send the app's own requests to https.
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent over plain http, HSTS would promise an https that this deployment may not have.
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
  });
  // On the root instance, so that every route of every plugin answers with them (errors and 404s too).
  // helmet's callback takes `unknown`, Fastify's an Error: helmet passes none (since 8.1 it throws).
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, done as (error?: unknown) => void));
}
