// subflow: runs another workflow's active version as a child and waits for it.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { value } from './fields.js';

export const subflowNode = defineNodeKind({
  kind: 'subflow',
  label: 'Sub-workflow',
  description: "Runs another workflow's active version and waits for its result.",
  icon: 'workflow',
  category: 'flow',
  config: z.object({
    workflow: z.string().min(1, 'name the workflow').meta({ widget: 'workflow', title: 'Workflow' }),
    input: value('Input', { description: "The child run's input, usually {{ … }} giving an object", example: '{{ { "amount": input.amount } }}' }).optional(),
  }),
  defaults: { workflow: '' },
  ports: ['ok', 'error'],
  failurePorts: ['error'],
});

export type SubflowConfig = ConfigOf<typeof subflowNode>;
