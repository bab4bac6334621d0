// A fetch for the model provider that reads each response body up to a cap: a provider (or anything
// answering at its URL) that sends megabytes cannot make the worker hold them, and the run's history
// never sees them. The body is read here, in full or not at all, before the AI SDK parses it.

/** Thrown for a response body over the cap; the model client turns it into a RESPONSE_TOO_LARGE result. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the provider's response is larger than ${Math.round(limitBytes / 1024)} KB`);
    this.name = 'ResponseTooLargeError';
  }
}

export function cappedFetch(limitBytes: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limitBytes) {
      await response.body?.cancel().catch(() => {});
      throw new ResponseTooLargeError(limitBytes);
    }
    const body = await readCapped(response, limitBytes);
    // The body is already read, so the length header (if any) no longer applies as sent.
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

async function readCapped(response: Response, limitBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
