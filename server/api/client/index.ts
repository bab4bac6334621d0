// The typed client for Cairn's REST v1 (`import { createClient } from 'cairn/client'`), for other
// systems that start, watch, signal and cancel runs and decide approvals. It needs nothing but
// fetch: the server's schemas and types come in through `import type` (./types.ts) and vanish when
// compiled, so a consumer loads this file and nothing else of the server.
import type {
  ApprovalFilters,
  ApprovalTask,
  CancelAnswer,
  CancelRequest,
  Decision,
  DecisionAnswer,
  HistoryEvent,
  Run,
  RunList,
  RunListFilters,
  SignalAnswer,
  SignalData,
  StartAnswer,
  StartRequest,
} from './types.js';

export type * from './types.js';

export interface ClientOptions {
  /** The server's base URL, e.g. "https://cairn.example.com" (a path prefix is kept). */
  url: string;
  /** An API token (`cairn token create --role editor`) or CAIRN_ADMIN_TOKEN. */
  token: string;
  /** Another fetch (a proxy's, a test's); the global one by default. */
  fetch?: typeof fetch;
  /** Per request, in ms (default 30 s). */
  timeoutMs?: number;
}

/** What the server answered with an error: its status, code and message (and details, if any). */
export class CairnApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CairnApiError';
  }
}

/** The request never got a Cairn answer: a bad URL, an unreachable server, a time-out, or an answer that is not Cairn's. */
export class CairnClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CairnClientError';
  }
}

export interface CairnClient {
  /** Start a run on the workflow's active version; the same idempotencyKey again is the same run (`created: false`). */
  start(workflow: string, input?: StartRequest['input'], options?: Pick<StartRequest, 'idempotencyKey'>): Promise<StartAnswer & { created: boolean }>;
  get(runId: string): Promise<Run>;
  list(filters?: RunListFilters): Promise<RunList>;
  history(runId: string): Promise<HistoryEvent[]>;
  /** Deliver a signal; a run not yet at its event node keeps it until it gets there. */
  signal(runId: string, name: string, data?: SignalData): Promise<SignalAnswer>;
  cancel(runId: string, options?: CancelRequest): Promise<CancelAnswer>;
  /** The caller's approval tasks: pending unless `status` says otherwise; `scope: 'all'`: every task, for admins. */
  approvals(filters?: ApprovalFilters): Promise<ApprovalTask[]>;
  decide(taskId: string, decision: Decision): Promise<DecisionAnswer>;
}

function baseUrl(url: unknown): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new CairnClientError(`the server URL ${JSON.stringify(url)} is not a URL; give one like http://127.0.0.1:3000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CairnClientError(`the server URL must be http:// or https://, not ${parsed.protocol}//`);
  if (parsed.username || parsed.password) throw new CairnClientError('the server URL must not carry a user name or password; the token is given apart');
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed;
}

function query(filters: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined) params.set(key, String(value));
  return params.size ? `?${params}` : '';
}

const segment = (value: string, what: string) => {
  if (typeof value !== 'string' || value === '') throw new CairnClientError(`${what} must be non-empty text`);
  return encodeURIComponent(value);
};

export function createClient(options: ClientOptions): CairnClient {
  const base = baseUrl(options.url);
  if (typeof options.token !== 'string' || !options.token.trim()) throw new CairnClientError('a token is required (cairn token create --role editor)');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const url = new URL(path, base);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new CairnClientError(`cannot reach ${base.origin}: ${why}`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CairnClientError(`${method} ${url.pathname} answered ${response.status} with ${response.headers.get('content-type') ?? 'no content type'}, not Cairn's JSON: is ${base.href} a Cairn server?`);
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
      if (typeof error?.code !== 'string' || typeof error.message !== 'string') throw new CairnClientError(`${method} ${url.pathname} answered ${response.status} without Cairn's error body: is ${base.href} a Cairn server?`);
      throw new CairnApiError(response.status, error.code, error.message, error.details);
    }
    return { status: response.status, body: parsed as T };
  }

  const run = (runId: string) => `api/v1/instances/${segment(runId, 'the run id')}`;
  return {
    async start(workflow, input = {}, startOptions = {}) {
      const headers: Record<string, string> = startOptions.idempotencyKey === undefined ? {} : { 'idempotency-key': startOptions.idempotencyKey };
      const answer = await call<StartAnswer>('POST', `api/v1/workflows/${segment(workflow, 'the workflow slug')}/instances`, { input }, headers);
      return { ...answer.body, created: answer.status === 201 };
    },
    get: async (runId) => (await call<Run>('GET', run(runId))).body,
    list: async (filters = {}) => (await call<RunList>('GET', `api/v1/instances${query(filters)}`)).body,
    history: async (runId) => (await call<HistoryEvent[]>('GET', `${run(runId)}/history`)).body,
    signal: async (runId, name, data) => (await call<SignalAnswer>('POST', `${run(runId)}/signals/${segment(name, 'the signal name')}`, { data })).body,
    cancel: async (runId, cancelOptions = {}) => (await call<CancelAnswer>('POST', `${run(runId)}/cancel`, cancelOptions)).body,
    approvals: async (filters = {}) => (await call<ApprovalTask[]>('GET', `api/v1/approvals${query(filters)}`)).body,
    decide: async (taskId, decision) => (await call<DecisionAnswer>('POST', `api/v1/approvals/${segment(taskId, 'the task id')}/decision`, decision)).body,
  };
}
