// Test utility: a real HTTP server speaking just enough of OpenAI's chat-completions API to drive
// the model client. Each request gets the next scripted answer; every request is kept so tests can
// assert what was sent. Non-streaming only: the AI SDK's generateText never asks for a stream.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OpenAI's wire format for token counts. */
export interface FakeUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export type FakeAnswer =
  /** A normal completion whose message content is `content`; `model` defaults to the requested one. No usage is sent unless given. */
  | { content: string; usage?: FakeUsage; model?: string; finishReason?: string }
  /** An HTTP error with an OpenAI-style `{ error: { message, type } }` body; `retryAfter` is sent as the Retry-After header. */
  | { status: number; message?: string; retryAfter?: string }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { hang: true };

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was not JSON). */
  body: any;
}

export interface FakeOpenAI {
  /** Like `http://127.0.0.1:PORT/v1`, ready for `CAIRN_AI_BASE_URL`. */
  baseURL: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAI(script: FakeAnswer[]): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const remaining = [...script];

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = parseJson(text);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return sendError(res, 404, `fake OpenAI: no route for ${req.method} ${req.url}`);
      }
      if (body === undefined) return sendError(res, 400, 'fake OpenAI: body is not JSON');
      // Fail loudly rather than emulate a stream nobody has written a test for.
      if (body.stream === true) return sendError(res, 400, 'fake OpenAI: streaming is not supported');
      const answer = remaining.shift();
      if (answer === undefined) {
        return sendError(res, 500, `fake OpenAI: no scripted answer left for request ${requests.length}`);
      }
      if ('hang' in answer) return;
      if ('status' in answer) {
        return sendError(res, answer.status, answer.message ?? `fake OpenAI: scripted HTTP ${answer.status}`, answer.retryAfter);
      }
      sendJson(res, 200, {
        id: `chatcmpl-fake-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: answer.model ?? body.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: answer.content }, finish_reason: answer.finishReason ?? 'stop' },
        ],
        ...(answer.usage !== undefined && { usage: answer.usage }),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests keep their sockets open; without this, close() would wait for them forever.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that disconnects mid-body leaves nothing to answer.
    req.on('error', () => resolve(''));
  });
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendError(res: ServerResponse, status: number, message: string, retryAfter?: string): void {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code: null } }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** Answer shapes models are known to give around valid JSON, for scripts. */
export const wrap = {
  /** In a Markdown code fence, as chat models like to. */
  fenced: (json: string, language = 'json') => `\`\`\`${language}\n${json}\n\`\`\``,
  /** Inside a single-key object, e.g. {"result": {...}}. */
  enveloped: (json: string, key = 'result') => `{"${key}": ${json}}`,
  /** Followed by a sentence of explanation. */
  withProse: (json: string) => `${json}\n\nI classified it so because the user reports a crash.`,
};
