// The egress-checked HTTP client every action gets as `ctx.fetch` (DESIGN §6): fetch's API, but
// only http: and https:, every address checked against the egress policy after DNS and on every
// redirect hop, and response bodies read with a size cap. undici is loaded on the first request
// (loadUndici), so a process whose actions never fetch does not carry it.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { Agent, RequestInit, Response } from 'undici';
import { NonRetryableError } from '../engine/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { EgressRefusedError, type EgressPolicy } from './egress.js';

/** fetch, egress-checked: what actions call instead of the global fetch. */
export type ActionFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  policy: EgressPolicy;
  /** Bodies longer than this fail with HTTP_RESPONSE_TOO_LARGE (default: the output limit + 768 KB = 1 MB). */
  maxResponseBytes?: number;
  /** Redirects followed before HTTP_TOO_MANY_REDIRECTS (default 10). */
  maxRedirects?: number;
}

export interface HttpClient {
  fetch: ActionFetch;
  /** Close idle connections (they do not keep the process alive meanwhile). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_RESPONSE_BYTES = Math.max(1024 * 1024, LIMITS.payloadBytes);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Null-body statuses: a Response cannot be built around a body for them.
const NO_BODY = new Set([101, 103, 204, 205, 304]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

let undici: Promise<typeof import('undici')> | undefined;

/** undici, imported once, on first use (fetch, Headers, Response and Agent all come from it). */
export function loadUndici(): Promise<typeof import('undici')> {
  return (undici ??= import('undici'));
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves every address itself and checks each one, so the
 * socket connects to an address that was checked: a DNS answer that changes between a check and the
 * connect (rebinding) cannot slip through. One refused address refuses the host.
 */
function checkedLookup(policy: EgressPolicy) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      try {
        for (const { address } of addresses) policy.check(hostname, address);
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** Refuse what is decidable from the URL alone: the scheme, and a literal IP (connect skips lookup for those). */
function checkUrl(url: URL, policy: EgressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EgressRefusedError(`egress refused: only http: and https: URLs may be fetched, not ${url.protocol} (${url.href.slice(0, 100)})`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) policy.check(host, host);
}

function tooLarge(url: URL, cap: number): NonRetryableError {
  return new NonRetryableError(`the response from ${url.href} is larger than ${cap} bytes, the most an action reads: ask for less (a page, a filter) or fetch it elsewhere`, {
    code: 'HTTP_RESPONSE_TOO_LARGE',
  });
}

/** The body, passed through until `cap` bytes; past it, the request is aborted and reading fails. */
function cappedBody(body: ReadableStream<Uint8Array>, cap: number, onExceeded: () => Error): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > cap) return controller.error(onExceeded());
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** The next hop's request, as fetch's redirect rules say (303, and 301/302 after a POST, become a GET without a body). */
async function redirectInit(status: number, from: URL, to: URL, init: RequestInit): Promise<RequestInit> {
  const { Headers } = await loadUndici();
  const headers = new Headers(init.headers);
  let { method = 'GET', body } = init;
  if (status === 303 ? method.toUpperCase() !== 'HEAD' : (status === 301 || status === 302) && method.toUpperCase() === 'POST') {
    method = 'GET';
    body = undefined;
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
  }
  if (from.origin !== to.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  return { ...init, method, body, headers };
}

/**
 * `fetch` sending an attempt's W3C trace context with its requests (issue 18), unless the action set
 * its own; `traceparent` is asked on the first request (it costs a hash).
 */
export function tracedFetch(fetch: ActionFetch, traceparent: (() => string | undefined) | undefined): ActionFetch {
  if (!traceparent) return fetch;
  return async (url, init = {}) => {
    const value = traceparent();
    if (!value) return fetch(url, init);
    const { Headers } = await loadUndici();
    const headers = new Headers(init.headers);
    if (!headers.has('traceparent')) headers.set('traceparent', value);
    return fetch(url, { ...init, headers });
  };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { policy } = options;
  const cap = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? 10;
  // Made with the first request: until then there is no connection to keep or close.
  let agent: Agent | undefined;

  /** One request, no redirects followed; the policy's refusal comes out as itself, not as "fetch failed". */
  async function hop(url: URL, init: RequestInit, signal: AbortSignal): Promise<Response> {
    checkUrl(url, policy);
    const { Agent, fetch } = await loadUndici();
    agent ??= new Agent({ connect: { lookup: checkedLookup(policy) } });
    try {
      return await fetch(url, { ...init, redirect: 'manual', signal, dispatcher: agent });
    } catch (error) {
      const cause = (error as Error).cause;
      if (cause instanceof EgressRefusedError) throw cause;
      throw error;
    }
  }

  async function egressFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new NonRetryableError(`"${String(input).slice(0, 200)}" is not a URL`, { code: 'HTTP_BAD_URL' });
    }
    // One controller for the whole exchange: aborting it closes the connection of whatever hop is open.
    const controller = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal as AbortSignal, controller.signal]) : controller.signal;
    let current = init;
    for (let redirects = 0; ; redirects++) {
      const response = await hop(url, current, signal);
      const location = response.headers.get('location');
      if (REDIRECTS.has(response.status) && location !== null && init.redirect !== 'manual') {
        await response.body?.cancel();
        if (init.redirect === 'error') throw new NonRetryableError(`${url.href} redirected to ${location}, and redirects were refused`, { code: 'HTTP_REDIRECT' });
        if (redirects >= maxRedirects) throw new NonRetryableError(`${input} redirected more than ${maxRedirects} times`, { code: 'HTTP_TOO_MANY_REDIRECTS' });
        const next = new URL(location, url);
        current = await redirectInit(response.status, url, next, current);
        url = next;
        continue;
      }
      const declared = Number(response.headers.get('content-length'));
      if (declared > cap) {
        controller.abort(tooLarge(url, cap));
        throw tooLarge(url, cap);
      }
      if (!response.body || NO_BODY.has(response.status)) return response;
      const finalUrl = url;
      const body = cappedBody(response.body as ReadableStream<Uint8Array>, cap, () => {
        const error = tooLarge(finalUrl, cap);
        controller.abort(error);
        return error;
      });
      const { Response } = await loadUndici();
      const capped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      // Keep what fetch tells about the exchange: the final URL and whether it was redirected.
      Object.defineProperties(capped, { url: { value: url.href }, redirected: { value: redirects > 0 } });
      return capped;
    }
  }

  return { fetch: egressFetch, close: async () => agent?.close() };
}
