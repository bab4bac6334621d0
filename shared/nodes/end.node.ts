// end: a path ends here; its output becomes the run's output.
import { z } from 'zod';
import { defineNodeKind } from './kind.js';
import { expression } from './fields.js';

export const endNode = defineNodeKind({
  kind: 'end',
  label: 'End',
  description: 'Completes the path; the output becomes the run output.',
  icon: 'flag',
  category: 'flow',
  config: z.object({ output: expression('Output').optional() }),
  defaults: {},
  ports: [],
  terminal: true,
});
