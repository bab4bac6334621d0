// The pages a decision link opens, rendered on the server (a mail client opens them in any browser,
// signed in or not, with no script): the confirmation (what is decided, as whom, a comment and one
// button that POSTs), the outcome, and a refusal naming why. Everything shown is escaped; styles are
// the web app's design tokens (web/styles/tokens.css), inlined.
import { readFileSync } from 'node:fs';
import type { TaskRecord } from '../engine/store.js';
import type { DecidedTask, LinkLook } from './email-decisions.service.js';

function readTokens(): string {
  try {
    return readFileSync(new URL('../../web/styles/tokens.css', import.meta.url), 'utf8');
  } catch {
    return ''; // the styles below carry fallbacks; a missing stylesheet is no reason to refuse a page
  }
}

const TOKENS = readTokens();

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { margin: 0; background: var(--cairn-bg, #f6f7f9); color: var(--cairn-text, #101828); font: var(--cairn-type-base, 14px)/1.5 var(--cairn-font, system-ui, sans-serif); }
main { max-width: 640px; margin: var(--cairn-space-10, 40px) auto; padding: var(--cairn-space-6, 24px); background: var(--cairn-surface, #fff);
  border: 1px solid var(--cairn-border, #e4e7ec); border-radius: var(--cairn-radius-lg, 12px); }
h1 { font-size: var(--cairn-type-2xl, 20px); margin: 0 0 var(--cairn-space-2, 8px); }
.brand { color: var(--cairn-muted, #667085); font-size: var(--cairn-type-sm, 12px); letter-spacing: .04em; text-transform: uppercase; }
.meta { color: var(--cairn-text-tertiary, #475467); font-size: var(--cairn-type-md, 13px); }
.details { white-space: pre-wrap; margin: var(--cairn-space-4, 16px) 0; }
pre { background: var(--cairn-surface-sunken, #f2f4f7); padding: var(--cairn-space-3, 12px); border-radius: var(--cairn-radius, 8px); overflow: auto;
  font: var(--cairn-type-sm, 12px)/1.5 var(--cairn-mono, monospace); max-height: 320px; }
.notice { padding: var(--cairn-space-3, 12px) var(--cairn-space-4, 16px); border-radius: var(--cairn-radius, 8px); border: 1px solid; margin: var(--cairn-space-4, 16px) 0; }
.notice--ok { background: var(--cairn-ok-soft, #ecfdf3); border-color: var(--cairn-ok-border, #abefc6); color: var(--cairn-ok-text, #067647); }
.notice--danger { background: var(--cairn-danger-soft, #fef3f2); border-color: var(--cairn-danger-border, #fecdca); color: var(--cairn-danger-text, #b42318); }
.notice--info { background: var(--cairn-info-soft, #eff8ff); border-color: var(--cairn-info-border, #b2ddff); color: var(--cairn-info-text, #175cd3); }
label { display: block; font-weight: 600; margin: var(--cairn-space-4, 16px) 0 var(--cairn-space-1, 4px); }
textarea { box-sizing: border-box; width: 100%; min-height: 80px; padding: var(--cairn-space-2, 8px); font: inherit;
  border: 1px solid var(--cairn-border-strong, #d0d5dd); border-radius: var(--cairn-radius-sm, 6px); }
button { margin-top: var(--cairn-space-4, 16px); padding: var(--cairn-space-2, 8px) var(--cairn-space-5, 20px); font: inherit; font-weight: 600; border: 0;
  border-radius: var(--cairn-radius-sm, 6px); color: var(--cairn-text-on-accent, #fff); cursor: pointer; }
.approve { background: var(--cairn-ok, #079455); }
.reject { background: var(--cairn-danger, #d92d20); }
a { color: var(--cairn-accent, #4f46e5); }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Cairn</title><style>${TOKENS}${STYLE}</style></head>
<body><main data-testid="decision-page">${body}</main></body></html>`;
}

const inboxLink = (baseUrl: string, taskId: string) => `${baseUrl}/inbox/${encodeURIComponent(taskId)}`;

/** What is being decided, as the inbox shows it: title, workflow and step, details, data. */
function taskSummary(task: TaskRecord, progress: string): string {
  const data = task.data === null || task.data === undefined ? '' : `<pre data-testid="decision-data">${escapeHtml(JSON.stringify(task.data, null, 2).slice(0, 20_000))}</pre>`;
  const due = task.dueAt ? ` · due ${escapeHtml(new Date(task.dueAt).toISOString())}` : '';
  return `<h1 data-testid="decision-title">${escapeHtml(task.title)}</h1>
<p class="meta">Workflow <code>${escapeHtml(task.workflowSlug)}</code> · step <code>${escapeHtml(task.nodeId)}</code> · ${escapeHtml(progress)}${due}</p>
${task.details ? `<div class="details" data-testid="decision-details">${escapeHtml(task.details)}</div>` : ''}${data}`;
}

export function confirmationPage(look: LinkLook, baseUrl: string): string {
  const { link, task } = look;
  const approve = link.decision === 'approve';
  const as = look.onBehalfOf ? `${link.user}, on behalf of ${look.onBehalfOf}` : link.user;
  return page(`${approve ? 'Approve' : 'Reject'}: ${task.title}`, `<div class="brand">Cairn · decision by e-mail</div>
${taskSummary(task, look.progress)}
<div class="notice notice--info" data-testid="decision-pending">Nothing has been decided yet. You are about to <strong>${approve ? 'approve' : 'reject'}</strong> this task as <strong>${escapeHtml(as)}</strong>.</div>
<form method="post">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="10000" data-testid="decision-comment"></textarea>
<button type="submit" class="${approve ? 'approve' : 'reject'}" data-testid="decision-confirm">Confirm: ${approve ? 'approve' : 'reject'}</button>
</form>
<p class="meta">Or <a href="${escapeHtml(inboxLink(baseUrl, task.id))}">open the task in Cairn</a>.</p>`);
}

export function decidedPage(task: DecidedTask, decision: 'approve' | 'reject', baseUrl: string): string {
  const settled = task.status === 'pending' ? `The task still waits for others (${escapeHtml(task.progress)}).` : `The task is now ${escapeHtml(task.status.replace('_', ' '))}.`;
  return page('Decision recorded', `<div class="brand">Cairn · decision by e-mail</div>
<h1>${escapeHtml(task.title)}</h1>
<div class="notice notice--ok" data-testid="decision-done">Your decision is recorded: <strong>${decision === 'approve' ? 'approved' : 'rejected'}</strong>. ${settled}</div>
<p class="meta"><a href="${escapeHtml(inboxLink(baseUrl, task.id))}">Open the task in Cairn</a>.</p>`);
}

export function refusalPage(message: string, baseUrl: string): string {
  return page('This link cannot decide', `<div class="brand">Cairn · decision by e-mail</div>
<h1>This link cannot decide</h1>
<div class="notice notice--danger" data-testid="decision-refused">${escapeHtml(message)}</div>
<p class="meta">Nothing was decided. <a href="${escapeHtml(`${baseUrl}/inbox`)}">Open your inbox in Cairn</a>.</p>`);
}
