// branch: takes `true` or `false` by the truthiness of its condition.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { expression } from './fields.js';

export const branchNode = defineNodeKind({
  kind: 'branch',
  label: 'Branch',
  description: 'Goes one way or the other on a condition.',
  icon: 'git-branch',
  category: 'flow',
  passThrough: true,
  config: z.object({ condition: expression('Condition', 'Written as {{ … }}: true takes the true port', '{{ input.amount > 100 }}') }),
  defaults: { condition: '{{ input.amount > 100 }}' },
  ports: ['true', 'false'],
});

export type BranchConfig = ConfigOf<typeof branchNode>;
