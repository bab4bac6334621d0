// The editor's Triggers drawer: what starts this workflow's runs from outside. Webhooks show the URL
// to POST to and how to prove the caller; a new or rotated secret is shown once. Schedules show
// their cron expression, time zone, next fire times and last firing. Both start runs on the active
// (newest published) version when they fire.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../../app/auth/session-context.js';
import { useTRPC } from '../../app/trpc.js';
import { describeError } from '../../ui/api-errors.js';
import { ErrorNotice } from '../../ui/ErrorNotice.js';
import { dateTimeText } from '../../ui/time.js';
import { zonedTime } from '../../ui/zoned-time.js';
import { ScheduleForm, type ScheduleValues } from './ScheduleForm.js';
import { SecretOnce } from './SecretOnce.js';
import './triggers.css';

type Editing = { id?: string; initial?: ScheduleValues } | null;

export function TriggersDrawer({ slug, onClose }: { slug: string; onClose(): void }) {
  const trpc = useTRPC();
  const canEdit = useSession().canEditWorkflows;
  const queryClient = useQueryClient();
  const list = useQuery(trpc.triggers.list.queryOptions({ workflow: slug }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.triggers.list.queryKey({ workflow: slug }) });
    void queryClient.invalidateQueries({ queryKey: trpc.triggers.overview.queryKey() });
  };
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const shown = (answer: { trigger: { id: string }; secret: string }) => {
    setSecret({ id: answer.trigger.id, secret: answer.secret });
    refresh();
  };
  const createWebhook = useMutation(trpc.triggers.createWebhook.mutationOptions({ onSuccess: shown }));
  const rotate = useMutation(trpc.triggers.rotateSecret.mutationOptions({ onSuccess: shown }));
  const setEnabled = useMutation(trpc.triggers.setEnabled.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.triggers.remove.mutationOptions({ onSuccess: refresh }));
  const failed = createWebhook.error ?? rotate.error ?? setEnabled.error ?? remove.error;
  const triggers = list.data ?? [];
  const webhooks = triggers.filter((trigger) => trigger.kind === 'webhook');
  const schedules = triggers.filter((trigger) => trigger.kind === 'schedule');

  return (
    <aside className="cairn-drawer cairn-triggers" data-testid="triggers-drawer" aria-label="Triggers">
      <header>
        <h3>Triggers</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={onClose} aria-label="Close triggers">
          ✕
        </button>
      </header>
      <p className="cairn-muted cairn-triggers__intro">Runs they start use the active version.</p>
      {failed && <ErrorNotice report={describeError(failed)} testId="triggers-error" />}

      <section aria-label="Webhooks">
        <div className="cairn-triggers__heading">
          <h4>Webhooks</h4>
          {canEdit && (
            <button type="button" className="cairn-button cairn-button--small" onClick={() => createWebhook.mutate({ workflow: slug })} disabled={createWebhook.isPending} data-testid="add-webhook">
              Add webhook
            </button>
          )}
        </div>
        {webhooks.length === 0 && <p className="cairn-muted">None. A webhook gives other systems a URL that starts a run with the body as its input.</p>}
        <ol>
          {webhooks.map((hook) => (
            <li key={hook.id} data-testid="webhook-item" className={hook.enabled ? undefined : 'cairn-triggers__off'}>
              <code className="cairn-triggers__url" data-testid="webhook-url">POST {window.location.origin}{hook.path}</code>
              {secret?.id === hook.id && <SecretOnce secret={secret.secret} onDone={() => setSecret(null)} />}
              <p className="cairn-triggers__how">
                Send <code>Authorization: Bearer &lt;secret&gt;</code>, or sign the body: <code>Cairn-Signature: t=&lt;unix&gt;,v1=&lt;HMAC-SHA256&gt;</code>.
              </p>
              {!hook.enabled && <p className="cairn-triggers__status"><span className="cairn-badge">Off</span> Its URL answers 409 until it is turned on again.</p>}
              {canEdit && (
                <div className="cairn-triggers__actions">
                  <button type="button" className="cairn-button cairn-button--small" onClick={() => rotate.mutate({ workflow: slug, id: hook.id })} data-testid="rotate-secret">
                    Rotate secret
                  </button>
                  <Toggle enabled={hook.enabled} onChange={(enabled) => setEnabled.mutate({ workflow: slug, id: hook.id, enabled })} />
                  <button type="button" className="cairn-button cairn-button--small cairn-button--danger" onClick={() => remove.mutate({ workflow: slug, id: hook.id })}>
                    Delete
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-label="Schedules">
        <div className="cairn-triggers__heading">
          <h4>Schedules</h4>
          {canEdit && editing === null && (
            <button type="button" className="cairn-button cairn-button--small" onClick={() => setEditing({})} data-testid="add-schedule">
              Add schedule
            </button>
          )}
        </div>
        {editing && !editing.id && <ScheduleForm slug={slug} onDone={() => (setEditing(null), refresh())} onCancel={() => setEditing(null)} />}
        {schedules.length === 0 && !editing && <p className="cairn-muted">None. A schedule starts a run at each tick of a cron expression.</p>}
        <ol>
          {schedules.map((schedule) =>
            editing?.id === schedule.id ? (
              <li key={schedule.id}>
                <ScheduleForm slug={slug} id={schedule.id} initial={editing.initial} onDone={() => (setEditing(null), refresh())} onCancel={() => setEditing(null)} />
              </li>
            ) : (
              <li key={schedule.id} data-testid="schedule-item" className={schedule.enabled ? undefined : 'cairn-triggers__off'}>
                <div className="cairn-triggers__cron">
                  <code data-testid="schedule-cron-text">{schedule.cron}</code>
                  <span className="cairn-muted">{schedule.timezone}</span>
                  <span className="cairn-badge">{schedule.missed === 'catch-up' ? 'catches up' : 'skips missed'}</span>
                </div>
                {schedule.enabled && (schedule.nextFireTimes ?? []).length > 0 && (
                  <div className="cairn-trigger-next" data-testid="schedule-next">
                    <span className="cairn-field__label">Next ({schedule.timezone})</span>
                    <ol>
                      {(schedule.nextFireTimes ?? []).map((at) => <li key={at}><time dateTime={at} title={dateTimeText(at)}>{zonedTime(at, schedule.timezone ?? 'UTC')}</time></li>)}
                    </ol>
                  </div>
                )}
                <Status lastFiredAt={schedule.lastFiredAt} lastError={schedule.lastError} enabled={schedule.enabled} />
                {canEdit && (
                  <div className="cairn-triggers__actions">
                    <button
                      type="button"
                      className="cairn-button cairn-button--small"
                      onClick={() => setEditing({ id: schedule.id, initial: { cron: schedule.cron ?? '', timezone: schedule.timezone ?? 'UTC', missed: schedule.missed ?? 'skip', input: schedule.input ?? {}, enabled: schedule.enabled } })}
                    >
                      Edit
                    </button>
                    <Toggle enabled={schedule.enabled} onChange={(enabled) => setEnabled.mutate({ workflow: slug, id: schedule.id, enabled })} />
                    <button type="button" className="cairn-button cairn-button--small cairn-button--danger" onClick={() => remove.mutate({ workflow: slug, id: schedule.id })}>
                      Delete
                    </button>
                  </div>
                )}
              </li>
            ),
          )}
        </ol>
      </section>
    </aside>
  );
}

function Toggle({ enabled, onChange }: { enabled: boolean; onChange(enabled: boolean): void }) {
  return (
    <button type="button" className="cairn-button cairn-button--small" aria-pressed={enabled} onClick={() => onChange(!enabled)} data-testid="trigger-toggle">
      {enabled ? 'Turn off' : 'Turn on'}
    </button>
  );
}

function Status({ lastFiredAt, lastError, enabled }: { lastFiredAt: string | null; lastError: string | null; enabled: boolean }) {
  return (
    <p className="cairn-triggers__status">
      {!enabled && <span className="cairn-badge">Off</span>} {lastFiredAt ? <>Last fired {dateTimeText(lastFiredAt)}</> : <span className="cairn-muted">Not fired yet</span>}
      {lastError && <span className="cairn-triggers__problem" data-testid="trigger-problem">{lastError}</span>}
    </p>
  );
}
