// Turns the measured figures of each sync mode into rows with targets and PASS/MISS, prints them as
// a table and writes them as JSON. A miss is reported, never thrown: benchmarks measure, tests judge.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import type { ApprovalsResult } from './approvals.js';
import type { FloorResult } from './floor.js';
import type { ParkingResult } from './parking.js';
import type { RestResult } from './rest.js';
import type { StepsResult } from './steps.js';
import type { UsersResult } from './users.js';

export interface ModeResult {
  sync: SqliteSync;
  floor: FloorResult;
  steps: StepsResult;
  parking: ParkingResult;
  approvals: ApprovalsResult;
  /** The same with a quorum of 2 of 3 named approvers (issue 19). */
  quorum?: ApprovalsResult;
  rest: RestResult;
  /** The users' scenarios (issue 21): bench/users.ts, printed by bench/users-report.ts. */
  users?: UsersResult;
}

type Verdict = 'PASS' | 'MISS' | '';

interface Row {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  vsFloor: string;
}

export const TARGETS = {
  /** steps/s ÷ floor, at synchronous=FULL (group commit must beat one fsync per checkpoint). */
  stepsOverFloorAtFull: 2,
  parkedPerSec: 5_000,
  resumedPerSec: 5_000,
  rssGrowthBytes: 50 * 1024 * 1024,
  /** Approvals decided through engine.decide and delivered until their runs completed. */
  decisionsPerSec: 1_000,
  /** POST /api/v1/workflows/:slug/instances against `cairn start`, 50 clients at once (issue 4). */
  restStartsPerSec: 1_000,
  restP99Ms: 50,
} as const;

const MB = 1024 * 1024;
const count = (value: number) => Math.round(value).toLocaleString('en');
const perSec = (value: number) => `${count(value)}/s`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}×`;
const judge = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');
const seconds = (value: number) => `${value.toFixed(2)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function rowsOf(result: ModeResult): Row[] {
  const { floor, steps, parking, approvals, sync } = result;
  const base = floor.opsPerSec;
  const stepsTarget = sync === 'full' ? TARGETS.stepsOverFloorAtFull * base : undefined;
  return [
    { figure: `floor: single-row INSERT tx (median of ${floor.rounds.length})`, value: perSec(base), target: 'reference', verdict: '', vsFloor: '1.00×' },
    { figure: '  rounds', value: floor.rounds.map(count).join(' / '), target: '', verdict: '', vsFloor: '' },
    {
      figure: `steps: ${count(steps.runs)} runs × ${steps.stepsPerRun} steps (median of ${steps.rounds.length})`,
      value: perSec(steps.stepsPerSec),
      target: stepsTarget ? `≥ ${TARGETS.stepsOverFloorAtFull}× floor (${count(stepsTarget)}/s)` : 'none at normal',
      verdict: stepsTarget ? judge(steps.stepsPerSec >= stepsTarget) : '',
      vsFloor: ratio(steps.stepsPerSec, base),
    },
    { figure: '  rounds', value: steps.rounds.map((round) => count(round.stepsPerSec)).join(' / '), target: '', verdict: '', vsFloor: '' },
    { figure: '  group commit: transactions', value: count(steps.transactions), target: '', verdict: '', vsFloor: '' },
    { figure: '  group commit: checkpoints', value: count(steps.checkpoints), target: '', verdict: '', vsFloor: '' },
    { figure: '  group commit: checkpoints / tx', value: steps.checkpointsPerTransaction.toFixed(1), target: '', verdict: '', vsFloor: '' },
    {
      figure: `parking: ${count(parking.runs)} runs parked`,
      value: perSec(parking.parkedPerSec),
      target: `≥ ${perSec(TARGETS.parkedPerSec)}`,
      verdict: judge(parking.parkedPerSec >= TARGETS.parkedPerSec),
      vsFloor: ratio(parking.parkedPerSec, base),
    },
    {
      figure: '  RSS growth while parked',
      value: mb(parking.rssGrowth),
      target: `< ${mb(TARGETS.rssGrowthBytes)}`,
      verdict: judge(parking.rssGrowth < TARGETS.rssGrowthBytes),
      vsFloor: '',
    },
    { figure: '  JS heap (live) growth while parked', value: mb(parking.heapGrowth), target: '', verdict: '', vsFloor: '' },
    { figure: '  RSS per parked run, 10%→100% parked', value: `${Math.round(parking.marginalRssPerRun)} bytes`, target: '', verdict: '', vsFloor: '' },
    { figure: '  database on disk (file + WAL)', value: `${mb(parking.disk.total)} (${mb(parking.disk.file)} + ${mb(parking.disk.wal)})`, target: '', verdict: '', vsFloor: '' },
    {
      figure: `resuming: clock +30d, ${count(parking.runs)} runs finish`,
      value: perSec(parking.resumedPerSec),
      target: `≥ ${perSec(TARGETS.resumedPerSec)}`,
      verdict: judge(parking.resumedPerSec >= TARGETS.resumedPerSec),
      vsFloor: ratio(parking.resumedPerSec, base),
    },
    ...approvalRows(approvals, base),
    ...(result.quorum ? quorumRows(result.quorum, approvals, base) : []),
    ...restRows(result.rest, base),
  ];
}

function restRows(rest: RestResult, base: number): Row[] {
  const cpu = (pick: (round: RestResult['rounds'][number]) => number | null) =>
    rest.rounds.map((round) => pick(round)).every((value) => value !== null)
      ? `${((rest.rounds.reduce((sum, round) => sum + pick(round)!, 0) / (rest.requests * rest.rounds.length)) * 1000).toFixed(2)} ms`
      : 'n/a';
  return [
    {
      figure: `REST: POST …/instances, ${rest.clients} clients, ${count(rest.requests)} × ${rest.rounds.length} (median)`,
      value: perSec(rest.requestsPerSec),
      target: `≥ ${perSec(TARGETS.restStartsPerSec)}`,
      verdict: judge(rest.requestsPerSec >= TARGETS.restStartsPerSec),
      vsFloor: ratio(rest.requestsPerSec, base),
    },
    { figure: '  REST rounds', value: rest.rounds.map((round) => count(round.requestsPerSec)).join(' / '), target: '', verdict: '', vsFloor: '' },
    { figure: '  REST latency p50 (median of rounds)', value: ms(rest.latencyMs.p50), target: '', verdict: '', vsFloor: '' },
    {
      figure: '  REST latency p99 (median of rounds)',
      value: ms(rest.latencyMs.p99),
      target: `< ${ms(TARGETS.restP99Ms)}`,
      verdict: judge(rest.latencyMs.p99 < TARGETS.restP99Ms),
      vsFloor: '',
    },
    { figure: '  REST p99 rounds', value: rest.rounds.map((round) => round.latencyMs.p99.toFixed(1)).join(' / '), target: '', verdict: '', vsFloor: '' },
    { figure: '  CPU per request: server / client process', value: `${cpu((round) => round.cpuSeconds.server)} / ${cpu((round) => round.cpuSeconds.client)}`, target: '', verdict: '', vsFloor: '' },
  ];
}

function approvalRows(approvals: ApprovalsResult, base: number): Row[] {
  return [
    { figure: `approvals: ${count(approvals.runs)} runs parked on an approval`, value: perSec(approvals.parkedPerSec), target: '', verdict: '', vsFloor: ratio(approvals.parkedPerSec, base) },
    {
      // Named apart from parking's row: verdicts in the JSON are keyed by the figure's name.
      figure: '  RSS growth while parked on approvals',
      value: mb(approvals.rssGrowth),
      target: `< ${mb(TARGETS.rssGrowthBytes)}`,
      verdict: judge(approvals.rssGrowth < TARGETS.rssGrowthBytes),
      vsFloor: '',
    },
    { figure: '  JS heap (live) growth while parked on approvals', value: mb(approvals.heapGrowth), target: '', verdict: '', vsFloor: '' },
    { figure: '  RSS per run parked on an approval', value: `${Math.round(approvals.marginalRssPerRun)} bytes`, target: '', verdict: '', vsFloor: '' },
    { figure: '  database on disk (file + WAL)', value: `${mb(approvals.disk.total)} (${mb(approvals.disk.file)} + ${mb(approvals.disk.wal)})`, target: '', verdict: '', vsFloor: '' },
    { figure: `  engine.tasksFor: ${count(approvals.runs)} pending tasks`, value: seconds(approvals.listSeconds), target: '', verdict: '', vsFloor: '' },
    {
      figure: `decisions: ${count(approvals.runs)} × engine.decide (${approvals.concurrency} at once), runs finish`,
      value: perSec(approvals.decisionsPerSec),
      target: `≥ ${perSec(TARGETS.decisionsPerSec)}`,
      verdict: judge(approvals.decisionsPerSec >= TARGETS.decisionsPerSec),
      vsFloor: ratio(approvals.decisionsPerSec, base),
    },
    { figure: '  deciding + draining', value: `${seconds(approvals.decideSeconds)} + ${seconds(approvals.drainSeconds)}`, target: '', verdict: '', vsFloor: '' },
    { figure: '  group commit: transactions / checkpoints', value: `${count(approvals.transactions)} / ${count(approvals.checkpoints)}`, target: '', verdict: '', vsFloor: '' },
  ];
}

function quorumRows(quorum: ApprovalsResult, single: ApprovalsResult, base: number): Row[] {
  return [
    {
      figure: `decisions, quorum 2 of 3: ${count(quorum.runs)} tasks × 2 engine.decide at once, runs finish`,
      value: perSec(quorum.decisionsPerSec),
      target: `single: ${perSec(single.decisionsPerSec)}`,
      verdict: '',
      vsFloor: ratio(quorum.decisionsPerSec, base),
    },
    { figure: '  tasks settled', value: perSec(quorum.tasksPerSec), target: '', verdict: '', vsFloor: '' },
  ];
}

export function formatTable(result: ModeResult): string {
  const header: Row = { figure: 'figure', value: 'value', target: 'target', verdict: '' as Verdict, vsFloor: '÷ floor' };
  const rows = rowsOf(result);
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((row) => (key === 'verdict' && row === header ? 6 : row[key].length)));
  const widths = { figure: width('figure'), value: width('value'), target: width('target'), verdict: Math.max(6, width('verdict')), vsFloor: width('vsFloor') };
  const line = (row: Row, verdictCell: string) =>
    [row.figure.padEnd(widths.figure), row.value.padStart(widths.value), row.target.padEnd(widths.target), verdictCell.padEnd(widths.verdict), row.vsFloor.padStart(widths.vsFloor)].join('  ').trimEnd();
  const rule = '-'.repeat(line(header, 'result').length);
  return [`SQLite synchronous=${result.sync.toUpperCase()}`, rule, line(header, 'result'), rule, ...rows.map((row) => line(row, row.verdict)), rule].join('\n');
}

export function writeJson(results: ModeResult[], file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const document = {
    benchmark: 'cairn engine',
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
    targets: TARGETS,
    modes: Object.fromEntries(
      results.map((result) => [
        result.sync,
        {
          ...result,
          ratios: {
            stepsOverFloor: result.steps.stepsPerSec / result.floor.opsPerSec,
            parkedOverFloor: result.parking.parkedPerSec / result.floor.opsPerSec,
            resumedOverFloor: result.parking.resumedPerSec / result.floor.opsPerSec,
            decisionsOverFloor: result.approvals.decisionsPerSec / result.floor.opsPerSec,
            restStartsOverFloor: result.rest.requestsPerSec / result.floor.opsPerSec,
          },
          verdicts: Object.fromEntries(rowsOf(result).filter((row) => row.verdict).map((row) => [row.figure.trim(), row.verdict])),
        },
      ]),
    ),
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
}
