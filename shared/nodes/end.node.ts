// end: a path ends here; its output becomes the run's output.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { value } from './fields.js';

export const endNode = defineNodeKind({
  kind: 'end',
  label: 'End',
  description: 'Completes the path; the output becomes the run output.',
  icon: 'flag',
  category: 'flow',
  passThrough: true,
  config: z.object({ output: value('Output', { description: 'Text, or {{ … }} for any value', example: '{{ nodes.review.decision }}' }).optional() }),
  defaults: {},
  ports: [],
  terminal: true,
});

export type EndConfig = ConfigOf<typeof endNode>;
