// approval: people decide; the task shows the rendered title, details and data. The policy fields
// (quorum, self-approval, deadlines) are flat fields so the inspector's form and the validator follow
// them like any other; the rules that span fields are checked below, each naming its field.
import { z } from 'zod';
import { parseDuration } from '../durations.js';
import { defineNodeKind, type ConfigOf } from './kind.js';
import { duration, jsonSchema, positiveInt, template, value } from './fields.js';

export const assigneesSchema = z
  .object({ users: z.array(z.string().min(1)).optional(), roles: z.array(z.string().min(1)).optional() })
  .refine((value) => (value.users?.length ?? 0) + (value.roles?.length ?? 0) > 0, {
    message: 'name at least one user or role',
  })
  .meta({ widget: 'assignees', title: 'Assignees' });

const escalationTargets = z
  .object({ users: z.array(z.string().min(1)).optional(), roles: z.array(z.string().min(1)).optional() })
  .refine((value) => (value.users?.length ?? 0) + (value.roles?.length ?? 0) > 0, { message: 'name at least one user or role' })
  .meta({ widget: 'assignees', title: 'Escalate to', description: 'Who gets the task at the escalation' });

/** Reminders more often than this would only flood history and inboxes. */
export const MIN_REMINDER_MS = 60_000;

const DURATION_FIELDS = ['timeout', 'remindEvery', 'escalateAfter', 'decideAfter'] as const;

const config = z
  .object({
    title: template('Title', undefined, 'Approve {{ input.amount }} EUR for {{ input.employee }}?'),
    details: template('Details', 'Markdown; may hold {{ expressions }}', '**{{ input.employee }}** asks for {{ input.amount }} EUR: {{ input.purpose }}').optional(),
    data: value('Data', { description: 'What the approver is shown: text, or {{ … }} for any value', example: '{{ nodes.fetch.body }}' }).optional(),
    assignees: assigneesSchema,
    form: jsonSchema('Form', 'Fields the approver fills in').optional(),
    quorum: z
      .enum(['any', 'all', 'count'], { message: 'quorum is "any", "all" or "count"' })
      .meta({ widget: 'text', title: 'Quorum', description: '"any": the first answer decides; "all": every named user approves; "count": Approvals needed of them. One rejection rejects.', example: 'any' })
      .optional(),
    approvalsNeeded: positiveInt('Approvals needed', 'With quorum "count": N approvals of the M assignees').optional(),
    forbidSelfApproval: z.boolean().meta({ widget: 'boolean', title: 'Forbid self-approval', description: 'Whoever started the run (and the Self-approver) can never decide' }).optional(),
    selfApprover: value('Self-approver', { description: 'Who else may not decide: a user name, or {{ … }} giving one or a list', example: '{{ input.employee }}' }).optional(),
    timeout: duration('Timeout', 'Then the timeout port is taken').optional(),
    remindEvery: duration('Remind every', 'Reminds those who have not decided, at most once a minute').optional(),
    escalateAfter: duration('Escalate after').optional(),
    escalateTo: escalationTargets.optional(),
    escalation: z
      .enum(['add', 'reassign'], { message: 'escalation is "add" or "reassign"' })
      .meta({ widget: 'text', title: 'Escalation', description: '"add": the targets join the assignees; "reassign": they replace them', example: 'add' })
      .optional(),
    decideAfter: duration('Decide automatically after').optional(),
    autoDecision: z
      .enum(['reject', 'approve'], { message: 'autoDecision is "reject" or "approve"' })
      .meta({ widget: 'text', title: 'Automatic decision', description: 'Rejects unless "approve" is chosen here', example: 'reject' })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const ms: Partial<Record<(typeof DURATION_FIELDS)[number], number>> = {};
    for (const field of DURATION_FIELDS) {
      const text = config[field];
      const parsed = text === undefined ? undefined : parseDuration(text);
      if (!parsed?.ok) continue;
      if (parsed.ms <= 0) issue(field, `"${text}" must be longer than zero`);
      else ms[field] = parsed.ms;
    }
    if (ms.remindEvery !== undefined && ms.remindEvery < MIN_REMINDER_MS) issue('remindEvery', `"${config.remindEvery}" is too often: remind at most once a minute`);

    const users = config.assignees.users ?? [];
    const roles = config.assignees.roles ?? [];
    const quorum = config.quorum ?? (config.approvalsNeeded !== undefined ? 'count' : 'any');
    if (quorum === 'count' && config.approvalsNeeded === undefined) issue('approvalsNeeded', 'quorum "count" needs approvalsNeeded (N of the assignees)');
    if (quorum !== 'count' && config.approvalsNeeded !== undefined) issue('quorum', `approvalsNeeded is set, so quorum must be "count", not "${quorum}"`);
    if (quorum === 'all' && roles.length > 0) issue('quorum', 'quorum "all" counts the named users, and a role has no fixed number of holders: name users only, or use "count"');
    if (quorum === 'count' && config.approvalsNeeded !== undefined && roles.length === 0 && config.approvalsNeeded > new Set(users).size) {
      issue('approvalsNeeded', `needs ${config.approvalsNeeded} approvals but names only ${new Set(users).size} user(s): N of M needs N ≤ M`);
    }
    if (config.selfApprover !== undefined && config.forbidSelfApproval !== true) issue('forbidSelfApproval', 'a Self-approver is named: set forbidSelfApproval to true');

    if ((config.escalateAfter === undefined) !== (config.escalateTo === undefined)) {
      issue(config.escalateAfter === undefined ? 'escalateAfter' : 'escalateTo', 'an escalation needs both escalateAfter and escalateTo');
    }
    if (config.escalation !== undefined && config.escalateTo === undefined) issue('escalation', 'escalation says how to escalate: set escalateAfter and escalateTo too');
    if (config.autoDecision !== undefined && config.decideAfter === undefined) issue('autoDecision', 'an automatic decision needs decideAfter');
    if (config.decideAfter !== undefined && config.timeout !== undefined) issue('decideAfter', 'decideAfter and timeout both end the wait: choose one');
    const end = ms.decideAfter ?? ms.timeout;
    if (ms.escalateAfter !== undefined && end !== undefined && ms.escalateAfter >= end) {
      issue('escalateAfter', `the escalation (after ${config.escalateAfter}) would come after the wait ends (after ${config.decideAfter ?? config.timeout})`);
    }
  });

export const approvalNode = defineNodeKind({
  kind: 'approval',
  label: 'Approval',
  description: 'Asks people to approve or reject, with a quorum, deadlines and a tamper-evident audit trail.',
  icon: 'user-check',
  category: 'human',
  config,
  defaults: { title: 'Please approve', assignees: { roles: ['manager'] } },
  ports: ['approved', 'rejected', 'timeout'],
  failurePorts: ['timeout'],
});

export type ApprovalConfig = ConfigOf<typeof approvalNode>;
