// event: waits for a named signal sent to the run; buffered signals are consumed in arrival order.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration } from './fields.js';

export const eventNode = defineNodeKind({
  kind: 'event',
  label: 'Wait for event',
  description: 'Waits for a signal sent to this run, or times out.',
  icon: 'bell',
  category: 'wait',
  config: z.object({
    event: z.string().min(1, 'name the signal').meta({ widget: 'text', title: 'Signal name' }),
    timeout: duration('Timeout').optional(),
  }),
  defaults: { event: 'confirmed' },
  ports: ['received', 'timeout'],
  callbackTarget: true,
  failurePorts: ['timeout'],
});

export type EventConfig = ConfigOf<typeof eventNode>;
