// approval: a person decides; the task shows the rendered title, details and data.
import { z } from 'zod';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration, jsonSchema, template, value } from './fields.js';

export const assigneesSchema = z
  .object({ users: z.array(z.string().min(1)).optional(), roles: z.array(z.string().min(1)).optional() })
  .refine((value) => (value.users?.length ?? 0) + (value.roles?.length ?? 0) > 0, {
    message: 'name at least one user or role',
  })
  .meta({ widget: 'assignees', title: 'Assignees' });

export const approvalNode = defineNodeKind({
  kind: 'approval',
  label: 'Approval',
  description: 'Asks people to approve or reject, with an audit trail.',
  icon: 'user-check',
  category: 'human',
  config: z.object({
    title: template('Title', undefined, 'Approve {{ input.amount }} EUR for {{ input.employee }}?'),
    details: template('Details', 'Markdown; may hold {{ expressions }}', '**{{ input.employee }}** asks for {{ input.amount }} EUR: {{ input.purpose }}').optional(),
    data: value('Data', { description: 'What the approver is shown: text, or {{ … }} for any value', example: '{{ nodes.fetch.body }}' }).optional(),
    assignees: assigneesSchema,
    form: jsonSchema('Form', 'Fields the approver fills in').optional(),
    timeout: duration('Timeout').optional(),
  }),
  defaults: { title: 'Please approve', assignees: { roles: ['manager'] } },
  ports: ['approved', 'rejected', 'timeout'],
  failurePorts: ['timeout'],
});

export type ApprovalConfig = ConfigOf<typeof approvalNode>;
