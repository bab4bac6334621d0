// A workflow's triggers for the editor and the workflows page: webhooks (a secret shown once, then
// rotated) and schedules (cron in a time zone, checked as typed, with their next fire times).
// Saving a schedule sets its durable next tick and tells the workers, which fire it
// (schedule-firer.ts); both kinds start runs on the workflow's active version when they fire.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SecretKey } from '../credentials/secret-key.js';
import type { TriggerRow, TriggersRepo } from '../db/repos/triggers.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { cronProblems, MIN_INTERVAL_MS, nextTick, nextTicks, type CronProblem } from './cron.js';
import type { RunsService } from '../services/runs.service.js';
import { createWebhookReceiver } from './webhook-receiver.js';
import { encryptWebhookSecret, newWebhookSecret } from './webhook-secret.js';

/** How many next fire times a schedule's view lists. */
export const NEXT_FIRE_TIMES = 5;
/** A workflow has at most this many triggers. */
export const MAX_TRIGGERS = 20;

export type MissedTicks = 'skip' | 'catch-up';

export interface TriggerView {
  id: string;
  kind: 'webhook' | 'schedule';
  enabled: boolean;
  /** webhook: where to POST (relative to the server's URL). */
  path?: string;
  cron?: string;
  timezone?: string;
  missed?: MissedTicks;
  input?: Record<string, unknown>;
  /** schedule: the next ticks (ISO), none while turned off. */
  nextFireTimes?: string[];
  lastFiredAt: string | null;
  lastRunId: string | null;
  lastError: string | null;
  createdBy: string | null;
  createdAt: string;
}

const scheduleFields = z.object({
  cron: z.string({ error: 'cron must be text' }).max(200, 'cron is at most 200 characters'),
  timezone: z.string({ error: 'timezone must be text' }).max(100, 'timezone is at most 100 characters'),
  missed: z.enum(['skip', 'catch-up'], { error: 'missed must be "skip" or "catch-up"' }).default('skip'),
  input: z.record(z.string(), z.unknown(), { error: 'input must be a JSON object' }).default({}),
  enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
});
export type ScheduleFields = z.input<typeof scheduleFields>;

export interface TriggersDeps {
  repo: TriggersRepo;
  key: SecretKey;
  clock: Clock;
  /** Where a webhook's run is started. */
  runs: RunsService;
  /** A schedule's next tick changed to `at`: wake the workers (this process's, and others' on PostgreSQL). */
  wake: (at: number) => void;
  /** The shortest gap between two ticks (default a minute; tests of many ticks lower it). */
  minIntervalMs?: number;
}

function refuse(problems: CronProblem[] | { field: string; message: string }[]): never {
  throw new ApiError('INVALID_INPUT', problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
}

export function createTriggersService(deps: TriggersDeps) {
  const { repo, clock } = deps;
  const minIntervalMs = deps.minIntervalMs ?? MIN_INTERVAL_MS;
  const iso = (date: Date | null) => (date ? date.toISOString() : null);

  function view(row: TriggerRow, slug: string): TriggerView {
    const common = { id: row.id, enabled: row.enabled, lastFiredAt: iso(row.lastFiredAt), lastRunId: row.lastRunId, lastError: row.lastError, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
    if (row.kind === 'webhook') return { ...common, kind: 'webhook', path: `/hooks/${encodeURIComponent(slug)}/${row.id}` };
    const spec = { cron: row.cron ?? '', timezone: row.timezone ?? 'UTC' };
    const next = row.enabled && row.nextFireAt ? [row.nextFireAt.getTime(), ...safeTicks(spec, row.nextFireAt.getTime(), NEXT_FIRE_TIMES - 1)] : [];
    return { ...common, kind: 'schedule', ...spec, missed: row.missed === 'catch-up' ? 'catch-up' : 'skip', input: row.input ? JSON.parse(row.input) : {}, nextFireTimes: next.map((at) => new Date(at).toISOString()) };
  }

  function safeTicks(spec: { cron: string; timezone: string }, after: number, count: number): number[] {
    try {
      return nextTicks(spec, after, count);
    } catch {
      return [];
    }
  }

  async function workflowId(slug: string): Promise<string> {
    const id = await repo.workflowId(slug);
    if (!id) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return id;
  }

  async function owned(slug: string, id: string): Promise<TriggerRow> {
    const row = await repo.find(id);
    if (!row || row.workflow.slug !== slug) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no trigger "${id}"`);
    return row;
  }

  function encryptionKey(): Buffer {
    if (!deps.key.ok) throw new ApiError('CONFLICT', `a webhook's secret is stored encrypted, and ${deps.key.reason}`);
    return deps.key.key;
  }

  async function roomFor(id: string): Promise<void> {
    if ((await repo.list(id)).length >= MAX_TRIGGERS) throw new ApiError('CONFLICT', `a workflow has at most ${MAX_TRIGGERS} triggers; delete one first`);
  }

  /** The checked fields of a schedule and its first tick from now. */
  function schedule(fields: unknown) {
    const parsed = scheduleFields.safeParse(fields);
    if (!parsed.success) refuse(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'schedule', message: issue.message })));
    const spec = { ...parsed.data, cron: parsed.data.cron.trim(), timezone: parsed.data.timezone.trim() };
    const problems = cronProblems(spec, { now: clock.now(), minIntervalMs });
    if (problems.length > 0) refuse(problems);
    return { spec, nextFireAt: spec.enabled ? nextTick(spec, clock.now()) : null };
  }

  const wakeAt = (at: number | null) => {
    if (at !== null) deps.wake(at);
  };

  const receive = createWebhookReceiver({ repo, key: deps.key, clock, runs: deps.runs });

  return {
    /** A webhook's POST (webhook-receiver.ts). */
    receive,

    async list(slug: string): Promise<TriggerView[]> {
      return (await repo.list(await workflowId(slug))).map((row) => view(row, slug));
    },

    /** Every workflow's triggers, by slug (the workflows page). */
    async overview(): Promise<Record<string, TriggerView[]>> {
      const bySlug: Record<string, TriggerView[]> = {};
      for (const row of await repo.listAll()) (bySlug[row.workflow.slug] ??= []).push(view(row, row.workflow.slug));
      return bySlug;
    },

    /** A new webhook; its secret is in this answer and no other. */
    async createWebhook(slug: string, by: string): Promise<{ trigger: TriggerView; secret: string }> {
      const key = encryptionKey();
      const workflow = await workflowId(slug);
      await roomFor(workflow);
      const id = randomBytes(12).toString('base64url');
      const secret = newWebhookSecret();
      const now = new Date(clock.now());
      const row = await repo.create({ id, workflowId: workflow, kind: 'webhook', enabled: true, secret: encryptWebhookSecret(key, id, secret), cron: null, timezone: null, missed: null, input: null, nextFireAt: null, createdBy: by, createdAt: now });
      return { trigger: view(row, slug), secret };
    },

    /** A new secret for a webhook; the old one stops working at once. */
    async rotateSecret(slug: string, id: string): Promise<{ trigger: TriggerView; secret: string }> {
      const key = encryptionKey();
      const row = await owned(slug, id);
      if (row.kind !== 'webhook') throw new ApiError('BAD_REQUEST', `trigger "${id}" is a schedule: it has no secret`);
      const secret = newWebhookSecret();
      const updated = await repo.update(id, { secret: encryptWebhookSecret(key, id, secret), updatedAt: new Date(clock.now()) });
      receive.forget(id);
      if (!updated) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no trigger "${id}"`);
      return { trigger: view(updated, slug), secret };
    },

    async createSchedule(slug: string, fields: unknown, by: string): Promise<TriggerView> {
      const { spec, nextFireAt } = schedule(fields);
      const workflow = await workflowId(slug);
      await roomFor(workflow);
      const now = new Date(clock.now());
      const row = await repo.create({
        id: randomBytes(12).toString('base64url'), workflowId: workflow, kind: 'schedule', enabled: spec.enabled, secret: null,
        cron: spec.cron, timezone: spec.timezone, missed: spec.missed, input: JSON.stringify(spec.input), nextFireAt: nextFireAt === null ? null : new Date(nextFireAt), createdBy: by, createdAt: now,
      });
      wakeAt(nextFireAt);
      return view(row, slug);
    },

    /** Change a schedule: its next tick is computed again from now (ticks already fired stay fired). */
    async updateSchedule(slug: string, id: string, fields: unknown): Promise<TriggerView> {
      const row = await owned(slug, id);
      if (row.kind !== 'schedule') throw new ApiError('BAD_REQUEST', `trigger "${id}" is a webhook, not a schedule`);
      const { spec, nextFireAt } = schedule(fields);
      const updated = await repo.update(id, {
        enabled: spec.enabled, cron: spec.cron, timezone: spec.timezone, missed: spec.missed, input: JSON.stringify(spec.input),
        nextFireAt: nextFireAt === null ? null : new Date(nextFireAt), lastError: null, updatedAt: new Date(clock.now()),
      });
      if (!updated) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no trigger "${id}"`);
      wakeAt(nextFireAt);
      return view(updated, slug);
    },

    /** Turn a webhook on or off (a schedule is turned off through updateSchedule's `enabled`). */
    async setEnabled(slug: string, id: string, enabled: boolean): Promise<TriggerView> {
      const row = await owned(slug, id);
      if (row.kind === 'schedule') return this.updateSchedule(slug, id, { cron: row.cron, timezone: row.timezone, missed: row.missed ?? 'skip', input: row.input ? JSON.parse(row.input) : {}, enabled });
      const updated = await repo.update(id, { enabled, updatedAt: new Date(clock.now()) });
      receive.forget(id);
      if (!updated) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no trigger "${id}"`);
      return view(updated, slug);
    },

    async remove(slug: string, id: string): Promise<void> {
      await owned(slug, id);
      await repo.remove(id);
      receive.forget(id);
    },

    /** What the editor shows as a schedule is typed: its problems, or its next fire times. */
    preview(fields: { cron: string; timezone: string }): { problems: CronProblem[]; nextFireTimes: string[] } {
      const spec = { cron: fields.cron.trim(), timezone: fields.timezone.trim() };
      const problems = cronProblems(spec, { now: clock.now(), minIntervalMs });
      return { problems, nextFireTimes: problems.length ? [] : nextTicks(spec, clock.now(), NEXT_FIRE_TIMES).map((at) => new Date(at).toISOString()) };
    },
  };
}

export type TriggersService = ReturnType<typeof createTriggersService>;
