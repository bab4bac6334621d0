// What a request that matches no route gets (DESIGN §4): a GET for a page of the web app gets the
// app, which routes in the browser; anything else — a webhook posted to a wrong path, a PUT, an API
// path — gets a JSON 404 naming the method and path, never 200 with the app's HTML.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
let webRoot: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  webRoot = undefined;
});

describe('no route', () => {
  it('serves the web app to a page GET, and a JSON 404 to everything else', async () => {
    webRoot = mkdtempSync(path.join(os.tmpdir(), 'cairn-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Cairn</title><div id="root"></div>');
    t = await startTestServer({ webRoot });
    const page = await fetch(`${t.server.url}/runs/some-run`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);

    for (const [method, route] of [['POST', '/webhooks/orders/abc'], ['PUT', '/runs'], ['DELETE', '/inbox'], ['GET', '/api/v1/nope'], ['PATCH', '/']] as const) {
      const answer = await fetch(`${t.server.url}${route}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      expect(answer.status, `${method} ${route}`).toBe(404);
      expect(await answer.json()).toEqual({ error: { code: 'NOT_FOUND', message: `no route ${method} ${route}` } });
    }
  });
});
