// wait: a durable timer, for a duration or until a time an expression gives.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration, value } from './fields.js';

export const waitNode = defineNodeKind({
  kind: 'wait',
  label: 'Wait',
  description: 'Pauses the run for a duration or until a date-time. Holds no worker.',
  icon: 'clock',
  category: 'wait',
  config: z
    .object({
      duration: duration('Duration').optional(),
      until: value('Until', { description: 'An ISO date-time, or {{ … }} giving one', fixed: 'dateTime', example: '2026-12-31T09:00:00Z' }).optional(),
    })
    .refine((config) => (config.duration === undefined) !== (config.until === undefined), {
      message: 'set either duration or until, not both',
    }),
  defaults: { duration: '1h' },
  ports: ['next'],
});

export type WaitConfig = ConfigOf<typeof waitNode>;
