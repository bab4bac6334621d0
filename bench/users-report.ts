// The users' scenarios (issue 21) as a table per sync mode, beside that mode's insert floor, with
// the targets; and the one comparison across modes (NORMAL must beat FULL). A miss is
// printed as MISS, never thrown, like bench/report.ts.
import type { SqliteSync } from '../server/db/sqlite/open.js';
import type { FloorResult } from './floor.js';
import { median } from './stats.js';
import type { PairedModes, UsersResult } from './users.js';

export const USERS_TARGETS = {
  /** steps/s at FULL: 17,500, or 3.5× the FULL insert floor of the same run when the machine's floor moved. */
  stepsPerSecAtFull: 17_500,
  stepsOverFloorAtFull: 3.5,
  parkedPerSec: 9_000,
  resumedPerSec: 8_400,
  reopenSeconds: 0.5,
  peakRssBytes: 150 * 1024 * 1024,
  /** Keys written twice over the crash scenario's three rounds. */
  crashTwice: 10,
} as const;

const MB = 1024 * 1024;
const count = (value: number) => Math.round(value).toLocaleString('en');
const perSec = (value: number) => `${count(value)}/s`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

type Row = [figure: string, value: string, target: string, verdict: string, vsFloor: string];

function rowsOf(sync: SqliteSync, floor: FloorResult, users: UsersResult): Row[] {
  const base = floor.opsPerSec;
  const { steps, parking, crash } = users;
  const stepsTarget = Math.min(USERS_TARGETS.stepsPerSecAtFull, USERS_TARGETS.stepsOverFloorAtFull * base);
  const ratio = (value: number) => `${(value / base).toFixed(2)}×`;
  return [
    ['floor: single-row INSERT tx', perSec(base), 'reference', '', '1.00×'],
    [
      `steps: ${count(steps.runs)} runs × ${steps.stepsPerRun} steps, start → last completion (median of ${steps.rounds.length})`,
      perSec(steps.stepsPerSec),
      sync === 'full' ? `≥ ${count(USERS_TARGETS.stepsPerSecAtFull)}/s or ≥ ${USERS_TARGETS.stepsOverFloorAtFull}× floor` : 'above FULL',
      sync === 'full' ? verdict(steps.stepsPerSec >= stepsTarget) : '',
      ratio(steps.stepsPerSec),
    ],
    ['  rounds', steps.rounds.map((round) => count(round.stepsPerSec)).join(' / '), '', '', ''],
    ['  CPU per step (process, user + system)', `${steps.cpuMicrosPerStep.toFixed(0)} µs`, '', '', ''],
    ['  group commit: checkpoints / tx', steps.checkpointsPerTransaction.toFixed(1), '', '', ''],
    ['  peak RSS of the process', `${(steps.peakRss / MB).toFixed(0)} MB`, `< ${USERS_TARGETS.peakRssBytes / MB} MB`, verdict(steps.peakRss < USERS_TARGETS.peakRssBytes), ''],
    [`parking: ${count(parking.runs)} runs started at once, each parked on an event`, perSec(parking.parkedPerSec), `≥ ${perSec(USERS_TARGETS.parkedPerSec)}`, verdict(parking.parkedPerSec >= USERS_TARGETS.parkedPerSec), ratio(parking.parkedPerSec)],
    [`  reopen with ${count(parking.runs)} parked → first resumed run`, `${parking.reopenSeconds.toFixed(3)} s`, `< ${USERS_TARGETS.reopenSeconds} s`, verdict(parking.reopenSeconds < USERS_TARGETS.reopenSeconds), ''],
    [`resuming: a signal to each (engine.signal, all at once) → last completion`, perSec(parking.resumedPerSec), `≥ ${perSec(USERS_TARGETS.resumedPerSec)}`, verdict(parking.resumedPerSec >= USERS_TARGETS.resumedPerSec), ratio(parking.resumedPerSec)],
    ['  peak RSS of the process', `${(parking.peakRss / MB).toFixed(0)} MB`, '', '', ''],
    [
      `crash: ${crash.runs} runs × ${crash.steps} steps of 20 ms, SIGKILL at half, ${crash.rounds.length} rounds: steps run twice`,
      String(crash.twice),
      `≤ ${USERS_TARGETS.crashTwice}`,
      verdict(crash.twice <= USERS_TARGETS.crashTwice),
      '',
    ],
    ['  lost (steps never run, runs not completed)', String(crash.lost), '0', verdict(crash.lost === 0), ''],
    ['  per round: side effects at the kill / run twice', crash.rounds.map((round) => `${round.killedAt}/${round.twice}`).join('  '), '', '', ''],
  ];
}

export function formatUsersTable(sync: SqliteSync, floor: FloorResult, users: UsersResult): string {
  const header: Row = ['users\' scenarios', 'value', 'target', 'result', '÷ floor'];
  const rows = [header, ...rowsOf(sync, floor, users)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: Row) => row.map((cell, column) => (column === 1 || column === 4 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const rule = '-'.repeat(line(header).length);
  return [`SQLite synchronous=${sync.toUpperCase()}: the users' scenarios (bench/users.ts, bench/crash.ts)`, rule, line(header), rule, ...rows.slice(1).map(line), rule].join('\n');
}

/**
 * NORMAL must be faster than FULL on the steps scenario (the cost left would be fsync, not CPU):
 * judged on the two modes measured in alternating processes (measureModesPaired), with each mode's
 * own table beside it for reference.
 */
export function formatModeComparison(full: UsersResult, normal: UsersResult, paired: PairedModes): string {
  const [pairedFull, pairedNormal] = [median(paired.full), median(paired.normal)];
  const gain = pairedNormal / pairedFull;
  return [
    `users' steps, FULL and NORMAL in alternating fresh processes (${paired.pairs} pairs, median of ${paired.full.length} rounds each): NORMAL ${perSec(pairedNormal)} vs FULL ${perSec(pairedFull)} (${gain.toFixed(2)}×): ${verdict(gain > 1)} (target: NORMAL above FULL)`,
    `  in each mode's own table, minutes apart: NORMAL ${perSec(normal.steps.stepsPerSec)} vs FULL ${perSec(full.steps.stepsPerSec)} (${(normal.steps.stepsPerSec / full.steps.stepsPerSec).toFixed(2)}×)`,
  ].join('\n');
}
