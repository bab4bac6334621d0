// fail: fails the run with a message (compensations run first).
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { template } from './fields.js';

export const failNode = defineNodeKind({
  kind: 'fail',
  label: 'Fail',
  description: 'Fails the run with a message; completed steps are compensated.',
  icon: 'octagon-x',
  category: 'flow',
  passThrough: true,
  config: z.object({ message: template('Message', undefined, 'Payment failed: {{ nodes.charge.error.message }}') }),
  defaults: { message: 'Failed' },
  ports: [],
  terminal: true,
});

export type FailConfig = ConfigOf<typeof failNode>;
