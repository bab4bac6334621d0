// Checkpointed steps/s under telemetry (issue 18), in one run: tracing off (the default: counters
// only), tracing on to a real OTLP/HTTP receiver on 127.0.0.1, and tracing off with /metrics scraped
// every second — the receiver in a process of its own, as a collector would be; each mode a whole server (createServer) on its own fresh SQLite file, 1,000 runs × 10
// steps started together, modes interleaved round by round, medians. Each figure is given against the
// floor of single-row insert transactions/s measured in the same run (synchronous=NORMAL, so that
// fsync does not hide telemetry's CPU cost). `tsx bench/telemetry.ts` runs it alone.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeClock } from '../server/engine/clock.js';
import { silentLogger } from '../server/logger.js';
import { createServer } from '../server/main.js';
import type { TelemetryConfig } from '../server/telemetry/telemetry-config.js';
import { createTestDatabase } from '../server/testing/test-database.js';
import { measureFloor } from './floor.js';
import { median } from './stats.js';
import { measureSteps } from './steps.js';
import { noopAction, stepsGraph } from './workloads.js';

const MODES = ['tracing off', 'tracing on', 'metrics scraped 1/s'] as const;
type Mode = (typeof MODES)[number];
const SCRAPE_TOKEN = 'bench-metrics-token-0123456789';
const RECEIVER = fileURLToPath(new URL('./otlp-receiver.child.ts', import.meta.url));

/** The receiver process: its endpoint, and how many spans it has received so far. */
async function startReceiver(): Promise<{ endpoint: string; spans(): Promise<number>; stop(): void }> {
  const child: ChildProcess = fork(RECEIVER, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise<Record<string, unknown>>((resolve) => child.once('message', (message) => resolve(message as Record<string, unknown>)));
  const { endpoint } = (await next()) as { endpoint: string };
  return {
    endpoint,
    async spans() {
      const answer = next();
      child.send('count');
      return (await answer).spans as number;
    },
    stop: () => void child.send('stop'),
  };
}

export interface TelemetryBench {
  floorPerSec: number;
  runs: number;
  stepsPerRun: number;
  /** The steps benchmark's worker without telemetry (no observer, no HTTP server), same workload. */
  engineAlonePerSec: number;
  modes: Record<Mode, { stepsPerSec: number; rounds: number[] }>;
  /** Spans the receiver got per round with tracing on, and scrapes answered per round with metrics. */
  spansPerRound: number[];
  scrapesPerRound: number[];
}

async function round(mode: Mode, runs: number, stepsPerRun: number, receiver: string): Promise<{ stepsPerSec: number; scrapes: number }> {
  const database = await createTestDatabase('sqlite');
  const telemetry: TelemetryConfig = mode === 'tracing on' ? { tracing: { endpoint: receiver, serviceName: 'cairn-bench' } } : mode === 'metrics scraped 1/s' ? { metricsToken: SCRAPE_TOKEN } : {};
  const server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger: silentLogger, sync: 'normal', seed: false, actions: [noopAction], telemetry });
  let scrapes = 0;
  let scraper: NodeJS.Timeout | undefined;
  try {
    const { workflows } = server.services;
    await workflows.saveDraft('steps', { name: 'steps', graph: stepsGraph(stepsPerRun) });
    await workflows.publish('steps', 'bench');
    if (mode === 'metrics scraped 1/s') {
      const scrape = () =>
        void fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })
          .then((response) => response.text())
          .then(() => scrapes++);
      scrape();
      scraper = setInterval(scrape, 1_000);
    }
    const began = performance.now();
    await Promise.all(Array.from({ length: runs }, () => server.engine.startRun({ workflow: 'steps', input: {} })));
    await server.worker!.drain();
    const seconds = (performance.now() - began) / 1000;
    clearInterval(scraper);
    await server.telemetry.flush();
    return { stepsPerSec: (runs * stepsPerRun) / seconds, scrapes };
  } finally {
    clearInterval(scraper);
    await server.close();
    await database.drop();
  }
}

export async function measureTelemetry(options: { runs?: number; stepsPerRun?: number; rounds?: number } = {}): Promise<TelemetryBench> {
  const runs = options.runs ?? 1_000;
  const stepsPerRun = options.stepsPerRun ?? 10;
  const receiver = await startReceiver();
  try {
    const floor = measureFloor('normal');
    for (const mode of MODES) await round(mode, 200, stepsPerRun, receiver.endpoint); // warm-up
    const byMode = Object.fromEntries(MODES.map((mode) => [mode, [] as number[]])) as Record<Mode, number[]>;
    const spansPerRound: number[] = [];
    const scrapesPerRound: number[] = [];
    for (let i = 0; i < (options.rounds ?? 5); i++) {
      // Each round starts with another mode, so no mode always follows the same one.
      for (const mode of [...MODES.slice(i % MODES.length), ...MODES.slice(0, i % MODES.length)]) {
        const spansBefore = await receiver.spans();
        const result = await round(mode, runs, stepsPerRun, receiver.endpoint);
        byMode[mode].push(result.stepsPerSec);
        if (mode === 'tracing on') spansPerRound.push((await receiver.spans()) - spansBefore);
        if (mode === 'metrics scraped 1/s') scrapesPerRound.push(result.scrapes);
      }
    }
    // The engine alone (the steps benchmark's harness: a worker and no observer), for what "off" costs.
    const engineAlone = await measureSteps('normal', { runs, stepsPerRun, rounds: options.rounds ?? 5, warmupRuns: 200 });
    const modes = Object.fromEntries(MODES.map((mode) => [mode, { stepsPerSec: median(byMode[mode]), rounds: byMode[mode] }])) as TelemetryBench['modes'];
    return { floorPerSec: floor.opsPerSec, runs, stepsPerRun, engineAlonePerSec: engineAlone.stepsPerSec, modes, spansPerRound, scrapesPerRound };
  } finally {
    receiver.stop();
  }
}

export function formatTelemetryTable(result: TelemetryBench): string {
  const off = result.modes['tracing off'].stepsPerSec;
  const line = (name: string, stepsPerSec: number, rounds?: number[]) => {
    const change = name === 'tracing off' ? '' : `   ${((stepsPerSec / off - 1) * 100).toFixed(1).padStart(6)} % vs off`;
    const each = rounds ? `   (rounds: ${rounds.map((n) => Math.round(n).toLocaleString('en')).join(', ')})` : '';
    return `  ${name.padEnd(26)} ${Math.round(stepsPerSec).toLocaleString('en').padStart(8)} steps/s   1 : ${(result.floorPerSec / stepsPerSec).toFixed(2)}${change}${each}`;
  };
  const lines = [line('engine alone (harness)', result.engineAlonePerSec), ...MODES.map((mode) => line(mode, result.modes[mode].stepsPerSec, result.modes[mode].rounds))];
  return [
    `telemetry (${result.runs.toLocaleString('en')} runs × ${result.stepsPerRun} steps, synchronous=NORMAL)   vs floor (${Math.round(result.floorPerSec).toLocaleString('en')} inserts/s)`,
    ...lines,
    `  spans received per round with tracing on: ${result.spansPerRound.join(', ')}; scrapes answered per round: ${result.scrapesPerRound.join(', ')}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatTelemetryTable(await measureTelemetry()));
}
