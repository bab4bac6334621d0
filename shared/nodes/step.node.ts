// step: runs a registered action with retries, a per-attempt timeout and an optional compensation.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { actionName, credentialChoices, duration, valueMap } from './fields.js';

/** Backoff used when a step names no retry policy or leaves parts of it out (DESIGN §2). */
export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
  maxInterval: '1h',
  jitter: 0.2,
} as const;

// One object rather than a union, so a wrong value is reported at its own path ("retry.delays.1").
export const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).optional(),
    initialInterval: duration('Initial interval').optional(),
    backoffCoefficient: z.number().min(1).max(100).optional(),
    maxInterval: duration('Max interval').optional(),
    jitter: z.number().min(0).max(1).optional(),
    /** Explicit waits before attempt 2, 3, …; the step makes delays.length + 1 attempts. */
    delays: z.array(duration('Delay')).min(1).max(99).optional(),
  })
  .strict()
  .refine(
    (retry) =>
      !retry.delays ||
      (retry.maxAttempts ?? retry.initialInterval ?? retry.backoffCoefficient ?? retry.maxInterval ?? retry.jitter) === undefined,
    { message: 'use either delays or backoff settings (maxAttempts, initialInterval, …), not both' },
  )
  .meta({ widget: 'retryPolicy', title: 'Retry', description: 'Backoff, or an explicit list of delays' });

export const compensationSchema = z
  .object({ action: actionName('Compensation action'), input: valueMap('Compensation input').default({}), credentials: credentialChoices('Compensation credentials').optional() })
  .meta({ widget: 'compensation', title: 'Compensate', description: 'Undoes this step when the run fails later' });

export type RetryConfig = z.infer<typeof retrySchema>;

export const stepNode = defineNodeKind({
  kind: 'step',
  label: 'Step',
  description: 'Runs an action, retrying on durable timers.',
  icon: 'zap',
  category: 'action',
  config: z.object({
    action: actionName(),
    input: valueMap('Input', 'Values passed to the action; strings may hold {{ expressions }}').default({}),
    credentials: credentialChoices('Credentials', 'The stored credential for each one the action needs').optional(),
    retry: retrySchema.optional(),
    timeout: duration('Timeout', 'Per attempt').default('30s'),
    compensate: compensationSchema.optional(),
  }),
  defaults: { action: 'log', input: { message: 'Hello from {{ instance.workflow }}' } },
  ports: ['ok', 'error'],
  failurePorts: ['error'],
});

export type StepConfig = ConfigOf<typeof stepNode>;
