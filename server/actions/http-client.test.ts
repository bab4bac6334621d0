// ctx.fetch against a real HTTP server on 127.0.0.1: every refused address class (refused before
// any connection), redirects checked hop by hop, CAIRN_HTTP_ALLOW opening exactly what it names,
// and response bodies read with a cap.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../engine/errors.js';
import { parseAllowList } from './egress.js';
import { createHttpClient, type HttpClient } from './http-client.js';

interface TestServer {
  url: string;
  port: number;
  /** Requests received, as "METHOD path". */
  requests: string[];
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, server: TestServer) => void;

const servers: TestServer[] = [];
const clients: HttpClient[] = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    headers.push(request.headers);
    handler(request, response, testServer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

function client(allow: string[] = [], maxResponseBytes?: number) {
  const made = createHttpClient({ policy: parseAllowList(allow), maxResponseBytes });
  clients.push(made);
  return made.fetch;
}

/** The ActionError a promise rejects with (anything else fails the test). */
async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ActionError)) throw new Error(`expected an ActionError, got ${String(error)}`);
  return error;
}

const ok: Handler = (_request, response) => response.end('hello');

let server: TestServer;
beforeEach(async () => {
  server = await startServer((request, response, self) => {
    if (request.url?.startsWith('/to?')) {
      response.writeHead(302, { location: decodeURIComponent(request.url.slice(4)) }).end();
    } else if (request.url === '/loop') {
      response.writeHead(307, { location: `${self.url}/loop` }).end();
    } else ok(request, response, self);
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((made) => made.close()));
  await Promise.all(servers.splice(0).map((made) => made.close()));
});

describe('the default policy', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:PORT/'],
    ['loopback', 'http://127.0.0.2:PORT/'],
    ['loopback', 'http://[::1]:PORT/'],
    ['loopback', 'http://[::ffff:127.0.0.1]:PORT/'],
    ['loopback', 'http://0x7f000001:PORT/'],
    ['private', 'http://10.0.0.1/'],
    ['private', 'http://172.16.5.4/'],
    ['private', 'https://192.168.0.1/'],
    ['private', 'http://[fd00::1]/'],
    ['link-local', 'http://169.254.169.254/latest/meta-data/'],
    ['link-local', 'http://[fe80::1]/'],
    ['unspecified', 'http://0.0.0.0:PORT/'],
    ['unspecified', 'http://[::]:PORT/'],
    ['multicast', 'http://224.0.0.1/'],
    ['multicast', 'http://[ff02::1]/'],
    ['broadcast', 'http://255.255.255.255/'],
    ['carrier-grade NAT', 'http://100.64.0.1/'],
  ])('refuses an address of class %s: %s', async (kind, template) => {
    const url = template.replace('PORT', String(server.port));
    const error = await failure(client()(url));
    expect(error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(error.message).toMatch(new RegExp(`is an? ${kind} address; to allow it, add it to CAIRN_HTTP_ALLOW$`));
    expect(server.requests).toEqual([]);
  });

  it('refuses a name that resolves to loopback, naming both', async () => {
    const error = await failure(client()(`http://localhost:${server.port}/`));
    expect(error.code).toBe('EGRESS_REFUSED');
    expect(error.message).toMatch(/^egress refused: "localhost" resolves to (127\.0\.0\.1|::1), a loopback address; to allow it, add it to CAIRN_HTTP_ALLOW$/);
    expect(server.requests).toEqual([]);
  });

  it.each(['data:text/plain,hello', 'file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'ws://example.com/'])('refuses the scheme of %s', async (url) => {
    const error = await failure(client(['127.0.0.1'])(url));
    expect(error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(error.message).toContain('only http: and https: URLs may be fetched');
  });

  it('refuses what is not a URL', async () => {
    expect(await failure(client()('not a url'))).toMatchObject({ code: 'HTTP_BAD_URL', retryable: false });
  });
});

describe('CAIRN_HTTP_ALLOW', () => {
  it('opens the IP it names, and not its neighbour', async () => {
    const fetch = client(['127.0.0.1']);
    const response = await fetch(`${server.url}/`);
    expect(await response.text()).toBe('hello');
    expect((await failure(fetch(`http://127.0.0.2:${server.port}/`))).code).toBe('EGRESS_REFUSED');
    expect((await failure(fetch(`http://[::1]:${server.port}/`))).code).toBe('EGRESS_REFUSED');
    expect(server.requests).toEqual(['GET /']);
  });

  it('opens a CIDR, and nothing outside it', async () => {
    const fetch = client(['127.0.0.0/31']);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await failure(fetch(`http://127.0.0.2:${server.port}/`))).code).toBe('EGRESS_REFUSED');
  });

  it('opens a host name, not the address it resolves to', async () => {
    const fetch = client(['localhost']);
    expect(await (await fetch(`http://localhost:${server.port}/`)).text()).toBe('hello');
    expect((await failure(fetch(`${server.url}/`))).code).toBe('EGRESS_REFUSED');
  });
});

describe('redirects', () => {
  const via = (target: string) => `${server.url}/to?${encodeURIComponent(target)}`;

  it('follows one that stays within the policy', async () => {
    const response = await client(['127.0.0.1'])(via(`${server.url}/final`));
    expect(response).toMatchObject({ status: 200, redirected: true, url: `${server.url}/final` });
    expect(server.requests).toEqual([`GET /to?${encodeURIComponent(`${server.url}/final`)}`, 'GET /final']);
  });

  it.each([
    ['another loopback address', 'http://127.0.0.2:PORT/'],
    ['IPv6 loopback', 'http://[::1]:PORT/'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', 'http://10.0.0.1/'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a data: URL', 'data:text/plain,secret'],
  ])('refuses one into %s', async (_what, template) => {
    const error = await failure(client(['127.0.0.1'])(via(template.replace('PORT', String(server.port)))));
    expect(error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('stops after 10 hops', async () => {
    const error = await failure(client(['127.0.0.1'])(`${server.url}/loop`));
    expect(error).toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS', retryable: false });
    expect(server.requests).toHaveLength(11);
  });

  it('turns a POST into a GET on 303, and drops credentials for another origin', async () => {
    const other = await startServer(ok);
    const response = await client(['127.0.0.1'])(via(`${other.url}/after`), {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json', 'x-kept': 'yes' },
    });
    expect(response.status).toBe(200);
    expect(other.requests).toEqual(['GET /after']);
    expect(other.headers[0]).toMatchObject({ 'x-kept': 'yes' });
    expect(other.headers[0]).not.toHaveProperty('authorization');
    expect(other.headers[0]).not.toHaveProperty('content-type');
  });
});

describe('the response cap', () => {
  it('reads a body up to the cap', async () => {
    const exact = await startServer((_request, response) => response.end('x'.repeat(1000)));
    expect(await (await client(['127.0.0.1'], 1000)(exact.url)).text()).toHaveLength(1000);
  });

  it('fails at once on a Content-Length over the cap, without reading the body', async () => {
    let written = 0;
    const big = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(5 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (written < 5 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    const error = await failure(client(['127.0.0.1'])(`${big.url}/declared`));
    expect(error).toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE', retryable: false });
    expect(error.message).toBe(
      `the response from ${big.url}/declared is larger than 1048576 bytes, the most an action reads: ask for less (a page, a filter) or fetch it elsewhere`,
    );
  });
});
