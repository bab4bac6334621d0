// subflow: runs another workflow's active version as a child and waits for it.
import { z } from 'zod';
import { defineNodeKind } from './kind.js';
import { expression } from './fields.js';

export const subflowNode = defineNodeKind({
  kind: 'subflow',
  label: 'Sub-workflow',
  description: "Runs another workflow's active version and waits for its result.",
  icon: 'workflow',
  category: 'flow',
  config: z.object({
    workflow: z.string().min(1, 'name the workflow').meta({ widget: 'workflow', title: 'Workflow' }),
    input: expression('Input', "The child run's input").optional(),
  }),
  defaults: { workflow: '' },
  ports: ['ok', 'error'],
  failurePorts: ['error'],
});
