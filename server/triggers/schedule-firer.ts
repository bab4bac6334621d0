// Firing schedules, inside each worker's scan (engine/runner/schedule-ticks.ts): claim the due
// ticks, start one run per tick on the workflow's active version with the idempotency key
// `schedule:<triggerId>:<tick>`, and move the durable next tick on. Exactly one run per tick: a
// claim keeps other workers off while it lasts, and a worker that dies holding one leaves a tick
// whose run (if it was started) the next claimant finds again by its key.
import type { EngineDatabase } from '../db/engine-database.js';
import { claimDueSchedules, moveScheduleOn, nextScheduleWake, releaseSchedule, type DueSchedule } from '../db/schedule-ticks.js';
import { EngineError } from '../engine/errors.js';
import type { ScheduleTicks } from '../engine/runner/schedule-ticks.js';
import type { StartedRun, StartRunRequest } from '../engine/runner/start-run.js';
import type { Logger } from '../logger.js';
import { nextTick, ticksBetween } from './cron.js';

/**
 * A tick later than this when a worker gets to it was missed (no worker ran, or all were stalled):
 * the `skip` policy starts no run for it; `catch-up` does.
 */
export const MISSED_AFTER_MS = 60_000;
/** `catch-up` starts at most this many of the latest missed ticks of a schedule. */
export const CATCH_UP_LIMIT = 100;
const CLAIM_BATCH = 50;

export function scheduleIdempotencyKey(triggerId: string, tick: number): string {
  return `schedule:${triggerId}:${new Date(tick).toISOString()}`;
}

/** Which ticks of a claimed schedule to fire now, and how many missed ones are left out. */
export function ticksToFire(schedule: Pick<DueSchedule, 'cron' | 'timezone' | 'missed' | 'nextFireAt'>, now: number): { fire: number[]; skippedFrom?: number } {
  const from = schedule.missed === 'catch-up' ? schedule.nextFireAt : Math.max(schedule.nextFireAt, now - MISSED_AFTER_MS);
  const fire = ticksBetween(schedule, from, now, CATCH_UP_LIMIT);
  return { fire, skippedFrom: schedule.nextFireAt < (fire[0] ?? now) && schedule.missed === 'skip' ? schedule.nextFireAt : undefined };
}

type Start = (request: StartRunRequest) => Promise<StartedRun>;

export function createScheduleFirer(options: { database: Pick<EngineDatabase, 'dialect' | 'transact'>; logger: Logger }): ScheduleTicks {
  const { database, logger } = options;
  const { dialect } = database;

  async function fire(schedule: DueSchedule, now: number, owner: string, start: Start): Promise<number> {
    const plan = ticksToFire(schedule, now);
    let started = 0;
    let lastRunId: string | null = null;
    let lastFiredAt: number | null = null;
    let lastError: string | null = plan.skippedFrom === undefined ? null : `ticks from ${new Date(plan.skippedFrom).toISOString()} were missed while no worker ran, and skipped`;
    for (const tick of plan.fire) {
      try {
        const run = await start({ workflow: schedule.workflowSlug, input: schedule.input, idempotencyKey: scheduleIdempotencyKey(schedule.id, tick) });
        lastRunId = run.id;
        lastFiredAt = tick;
        lastError = null;
        if (run.created) started++;
      } catch (error) {
        // A refusal (no published version, an input the active version's schema refuses) is the
        // tick's outcome: recorded for the editor, and the schedule moves on. Anything else (the
        // database) leaves the tick to the next look.
        if (!(error instanceof EngineError)) throw error;
        lastError = `the run of ${new Date(tick).toISOString()} was not started: ${error.message}`;
      }
    }
    const next = nextTick(schedule, Math.max(now, plan.fire.at(-1) ?? now));
    const moved = await database.transact(() => moveScheduleOn(dialect, { id: schedule.id, owner, claimedTick: schedule.nextFireAt, nextFireAt: next, lastFiredAt, lastRunId, lastError, now }));
    if (!moved) logger.info('a schedule changed while its tick fired; its new next tick stands', { triggerId: schedule.id });
    return started;
  }

  return {
    async fireDue(now, { owner, leaseMs, start }) {
      let started = 0;
      let due: DueSchedule[];
      try {
        due = await database.transact(() => claimDueSchedules(dialect, { owner, now, expiresAt: now + leaseMs, limit: CLAIM_BATCH }));
      } catch (error) {
        logger.error('claiming due schedules failed', { error: String(error) });
        return 0;
      }
      for (const schedule of due) {
        try {
          started += await fire(schedule, now, owner, start);
        } catch (error) {
          logger.error('firing a schedule failed; its tick is tried again', { triggerId: schedule.id, error: String((error as Error).stack ?? error) });
          await database.transact(() => releaseSchedule(dialect, schedule.id, owner)).catch(() => {});
        }
      }
      return started;
    },
    nextDueAt: () => database.transact(() => nextScheduleWake(dialect)),
  };
}
