// parallel: splits the path; each outgoing edge starts a branch.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';

export const parallelNode = defineNodeKind({
  kind: 'parallel',
  label: 'Parallel',
  description: 'Starts one branch per outgoing edge.',
  icon: 'split',
  category: 'flow',
  passThrough: true,
  config: z.object({}),
  defaults: {},
  ports: ['branches'],
  multiPorts: ['branches'],
});

export type ParallelConfig = ConfigOf<typeof parallelNode>;
