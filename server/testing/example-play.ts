// Test support for the seed examples: runs one example in a real engine (SQLite, FakeClock), records
// what its `log` and `email.send` steps "sent", and drives the run a move at a time: advance the clock, signal, decide.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeOpenAI, type FakeAnswer, type FakeOpenAI } from './fake-openai.js';
import { createModelClient } from '../ai/model-client.js';
import { FakeClock } from '../engine/clock.js';
import type { Approver } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { createHarness, type Harness } from './harness.js';
import { createLogger } from '../logger.js';
import { examples } from '../seed/examples.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** When every scenario starts: a Monday morning. */
export const T0 = Date.UTC(2026, 2, 2, 9);

/** One message a `log` step (or compensation) wrote, or an `email.send` step's line (with no SMTP: "not sent: …"). */
export interface Sent {
  /** Milliseconds after T0, on the fake clock. */
  at: number;
  nodeId: string;
  message: string;
  data?: unknown;
}

export interface PlayOptions {
  /** Starts a local payment gateway answering its n-th request (1-based) with this status; its URL becomes input.gatewayUrl. */
  gateway?: (request: number) => number;
  /** Scripts a fake OpenAI-compatible provider for `ai` nodes; without it no model is configured. */
  model?: FakeAnswer[];
}

export interface GatewayRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Gateway {
  url: string;
  requests: GatewayRequest[];
  close(): Promise<void>;
}

export type Cleanup = () => Promise<void>;

/** A tiny payment gateway: answers JSON with the status `answer` gives for each request, keeping every request. */
export async function startGateway(answer: (request: number) => number): Promise<Gateway> {
  const requests: GatewayRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const status = answer(requests.length);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 400 ? { chargeId: `ch_${requests.length}` } : { error: 'gateway unavailable' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/charges`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; without this, close() would wait for them.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Publishes the example under its slug, starts one run at T0 and drains it. */
export async function launch(slug: string, input: Record<string, unknown>, options: PlayOptions, cleanups: Cleanup[]) {
  const example = examples.find((candidate) => candidate.slug === slug);
  if (!example) throw new Error(`no example "${slug}"`);
  const clock = new FakeClock(T0);
  const sent: Sent[] = [];
  const engineErrors: unknown[] = [];
  const logger = createLogger({
    level: 'debug',
    write(line) {
      const entry = JSON.parse(line) as { level: string; action?: string; nodeId: string; message: string; data?: unknown };
      if (entry.action === 'log' || entry.action === 'email.send') sent.push({ at: clock.now() - T0, nodeId: entry.nodeId, message: entry.message, data: entry.data });
      else if (entry.level === 'warn' || entry.level === 'error') engineErrors.push(entry);
    },
  });

  let gateway: Gateway | undefined;
  if (options.gateway) {
    gateway = await startGateway(options.gateway);
    cleanups.push(gateway.close);
  }
  let model: FakeOpenAI | undefined;
  if (options.model) {
    model = await startFakeOpenAI(options.model);
    cleanups.push(model.close);
  }
  const models = model ? createModelClient({ baseURL: model.baseURL, apiKey: 'sk-test', models: { default: 'gpt-test' } }) : undefined;
  // The gateway listens on 127.0.0.1, which the egress policy refuses unless named.
  const h: Harness = await createHarness({ clock, logger, models, httpAllow: gateway ? ['127.0.0.1'] : [] });
  cleanups.push(() => h.close());

  await h.publish(example.graph, slug);
  const { id: runId } = await h.engine.startRun({ workflow: slug, input: gateway ? { ...input, gatewayUrl: gateway.url } : input });
  await h.worker.drain();

  const play = {
    h,
    clock,
    runId,
    t0: T0,
    sent,
    engineErrors,
    gateway,
    model,
    run: () => h.engine.getRun(runId),
    waitingOn: async () => (await h.engine.getRun(runId)).waitingOn,
    /** Which node sent something, and when (ms after T0). */
    sentBy: (): [string, number][] => sent.map((mail) => [mail.nodeId, mail.at]),
    iso: (offset: number) => new Date(T0 + offset).toISOString(),
    async advance(by: string | number) {
      clock.advance(by);
      await h.worker.drain();
    },
    async signal(name: string, data?: unknown) {
      await h.engine.signal(runId, name, data);
      await h.worker.drain();
    },
    /** The pending approval tasks a member of `role` sees. */
    tasks: (role: string) => h.engine.tasksFor({ user: `${role}-on-duty`, roles: [role], status: 'pending' }),
    async onlyTask(role: string): Promise<TaskRecord> {
      const tasks = await play.tasks(role);
      if (tasks.length !== 1) throw new Error(`expected one pending task for role "${role}", found ${tasks.length}`);
      return tasks[0];
    },
    async decide(taskId: string, by: Approver, decision: 'approve' | 'reject', extra: { form?: unknown; comment?: string } = {}) {
      await h.engine.decide(taskId, { by, decision, ...extra });
      await h.worker.drain();
    },
  };
  return play;
}

export type Play = Awaited<ReturnType<typeof launch>>;
