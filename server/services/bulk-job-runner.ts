// Does bulk jobs: one at a time, oldest first, in batches of runs in id order. After each batch the
// job's progress and cursor are written, and the runner waits a moment before the next, so the
// worker applies the requests (cancels, pauses, …) as they come and API requests are answered in
// between: ten thousand runs never hold up the server. A job left running by a stopped server is
// picked up again from its cursor when the server starts.
import type { BulkJobsRepo } from '../db/repos/bulk-jobs.repo.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import type { RunOperations } from '../engine/operations.js';
import type { Logger } from '../logger.js';
import { bulkJobView, type BulkAction, type BulkActionsService } from './bulk-actions.service.js';

/** Skipped runs kept in the job's notes, with why: enough to see a pattern, never unbounded. */
const SAMPLE = 20;

export interface BulkJobRunnerOptions {
  repo: BulkJobsRepo;
  service: Pick<BulkActionsService, 'runFilter'>;
  engine: Engine;
  operations: RunOperations;
  clock: Clock;
  logger: Logger;
  /** Runs per batch (default 25). */
  batchSize?: number;
  /** Real milliseconds between batches at least (default 10): the API's and the worker's turn. */
  restMs?: number;
}

/** Rest `ms`, and again while timers fire late (the process is busy): at most 50 times. */
async function quiet(ms: number): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const at = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (performance.now() - at - ms < ms / 2) return;
  }
}

export function createBulkJobRunner(options: BulkJobRunnerOptions) {
  const { repo, engine, operations, logger } = options;
  const batchSize = options.batchSize ?? 25;
  const restMs = options.restMs ?? 10;
  let stopped = true;
  let loop: Promise<void> | undefined;
  let again = false;

  function apply(action: BulkAction, runId: string, by: string, jobId: string): Promise<void> {
    switch (action) {
      case 'cancel':
        return engine.cancel(runId, { by, reason: `bulk job ${jobId}` });
      case 'retry':
        return engine.retry(runId, { by });
      case 'pause':
        return operations.pause(runId, { by, reason: `bulk job ${jobId}` });
      case 'resume':
        return operations.resume(runId, { by });
    }
  }

  async function runJob(jobId: string): Promise<void> {
    let job = (await repo.find(jobId))!;
    const view = bulkJobView(job);
    const filter = await options.service.runFilter(view.filter);
    const sample: { runId: string; reason: string }[] = (view.notes as { skipped?: { runId: string; reason: string }[] } | null)?.skipped ?? [];
    if (job.status !== 'running') job = await repo.update(jobId, { status: 'running', updatedAt: new Date(options.clock.now()) });
    while (!stopped) {
      const next = job.upto ? await repo.nextRuns(filter, { cursor: job.cursor, upto: job.upto, window: batchSize }) : { ids: [], cursor: null };
      const now = new Date(options.clock.now());
      if (next.cursor === null) {
        await repo.update(jobId, { status: 'completed', finishedAt: now, updatedAt: now });
        logger.info('bulk job finished', { jobId, action: job.action, succeeded: job.succeeded, skipped: job.skipped });
        return;
      }
      let succeeded = 0;
      let skipped = 0;
      for (const [index, runId] of next.ids.entries()) {
        // The store's writes are synchronous on SQLite: let requests in every few runs.
        if (index % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
        try {
          await apply(view.action, runId, job.createdBy, jobId);
          succeeded++;
        } catch (error) {
          // The run moved on since the filter matched it (finished, already paused, …): not an error of the job.
          if (!(error instanceof EngineError)) throw error;
          skipped++;
          if (sample.length < SAMPLE) sample.push({ runId, reason: error.message });
        }
      }
      job = await repo.update(jobId, {
        processed: job.processed + next.ids.length,
        succeeded: job.succeeded + succeeded,
        skipped: job.skipped + skipped,
        cursor: next.cursor,
        notes: sample.length ? JSON.stringify({ skipped: sample }) : null,
        updatedAt: now,
      });
      // A window with nothing to do only yields; one that sent requests waits until the worker has
      // done them, which shows as the event loop running on time again.
      if (next.ids.length > 0) await quiet(restMs);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function work(): Promise<void> {
    do {
      again = false;
      for (let job = await repo.next(); job && !stopped; job = await repo.next()) {
        try {
          await runJob(job.id);
        } catch (error) {
          logger.error('bulk job failed', { jobId: job.id, error: String((error as Error).stack ?? error) });
          const now = new Date(options.clock.now());
          await repo.update(job.id, { status: 'failed', notes: JSON.stringify({ error: String((error as Error).message ?? error) }), finishedAt: now, updatedAt: now });
        }
      }
    } while (again && !stopped);
  }

  const runner = {
    /** Start (or resume after a restart) the jobs not finished. */
    start(): void {
      stopped = false;
      runner.kick();
    },
    /** A job was created: do it now if the runner is idle. */
    kick(): void {
      if (stopped) return;
      if (loop) {
        again = true;
        return;
      }
      loop = work()
        .catch((error: unknown) => logger.error('bulk job runner failed', { error: String((error as Error).stack ?? error) }))
        .finally(() => {
          loop = undefined;
        });
    },
    /** Stop after the batch under way; the job stays `running` and is taken up again on the next start. */
    async stop(): Promise<void> {
      stopped = true;
      await loop;
    },
  };
  return runner;
}

export type BulkJobRunner = ReturnType<typeof createBulkJobRunner>;
