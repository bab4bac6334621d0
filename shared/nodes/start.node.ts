// start: where every run begins; its inputSchema validates the run's input.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { jsonSchema } from './fields.js';

export const startNode = defineNodeKind({
  kind: 'start',
  label: 'Start',
  description: 'Where a run begins. The input is checked against the input schema.',
  icon: 'play',
  category: 'flow',
  passThrough: true,
  config: z.object({ inputSchema: jsonSchema('Input schema', 'JSON Schema of the run input').optional() }),
  defaults: {},
  ports: ['next'],
});

export type StartConfig = ConfigOf<typeof startNode>;
