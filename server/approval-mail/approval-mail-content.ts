// The e-mail a person gets for an approval task: what they are deciding on (title, workflow and step,
// details, the data shown, the quorum's progress, the due time) and their signed links to approve or
// reject, each opening a confirmation page. Pure. Text that reaches a header (the subject, the
// recipient's name) is made one line first, so a title or a name with line breaks cannot add headers.
import type { TaskRecord } from '../engine/store.js';

export type MailReason = 'created' | 'reminded' | 'escalated';

export interface TaskMail {
  subject: string;
  text: string;
}

/** One line, no control characters, at most `max` characters: safe for a header. */
export function headerText(text: string, max = 200): string {
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const LEAD: Record<MailReason, string> = {
  created: 'Approval needed',
  reminded: 'Reminder: approval needed',
  escalated: 'Escalated to you: approval needed',
};

export function taskMail(options: {
  task: TaskRecord;
  reason: MailReason;
  progress: string;
  links: { approve: string; reject: string; inbox: string };
  expiresAt: number;
  onBehalfOf: string | null;
}): TaskMail {
  const { task, links } = options;
  const data = task.data === null || task.data === undefined ? '' : `\nWhat you are shown:\n${JSON.stringify(task.data, null, 2).slice(0, 20_000)}\n`;
  const due = task.dueAt ? `Due: ${new Date(task.dueAt).toISOString()}\n` : '';
  const behalf = options.onBehalfOf ? `You stand in for ${options.onBehalfOf}, who delegated their tasks to you.\n` : '';
  const text = [
    `${LEAD[options.reason]}: ${task.title}`,
    '',
    `Workflow: ${task.workflowSlug}, step ${task.nodeId} (run ${task.instanceId})`,
    `Progress: ${options.progress}`,
    `${due}${behalf}`,
    task.details ?? '',
    data,
    'Decide (each link opens a page where you confirm; opening it decides nothing):',
    `Approve: ${links.approve}`,
    `Reject:  ${links.reject}`,
    '',
    `The links are yours alone, decide once, and expire ${new Date(options.expiresAt).toISOString()}.`,
    `Open the task in Cairn: ${links.inbox}`,
    '',
  ].join('\n');
  return { subject: headerText(`${LEAD[options.reason]}: ${task.title}`), text };
}
