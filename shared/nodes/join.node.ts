// join: continues once a path has arrived on every incoming edge.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';

export const joinNode = defineNodeKind({
  kind: 'join',
  label: 'Join',
  description: 'Waits for every incoming path, then continues once.',
  icon: 'merge',
  category: 'flow',
  passThrough: true,
  config: z.object({}),
  defaults: {},
  ports: ['next'],
});

export type JoinConfig = ConfigOf<typeof joinNode>;
