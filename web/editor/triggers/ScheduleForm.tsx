// A schedule's fields — cron expression, time zone, what to do with ticks missed while no worker
// ran, and the runs' input — checked by the server as they are typed, showing the next fire times or
// what is wrong, field by field.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../app/trpc.js';
import { describeError } from '../../ui/api-errors.js';
import { ErrorNotice } from '../../ui/ErrorNotice.js';
import { zonedTime } from '../../ui/zoned-time.js';

export interface ScheduleValues {
  cron: string;
  timezone: string;
  missed: 'skip' | 'catch-up';
  input: Record<string, unknown>;
  enabled: boolean;
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The typed value after it has rested for a moment, so a preview is asked once per pause. */
function useSettled<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function ScheduleForm(props: { slug: string; id?: string; initial?: ScheduleValues; onDone(): void; onCancel(): void }) {
  const trpc = useTRPC();
  const [cron, setCron] = useState(props.initial?.cron ?? '0 9 * * 1-5');
  const [timezone, setTimezone] = useState(props.initial?.timezone ?? localZone());
  const [missed, setMissed] = useState<ScheduleValues['missed']>(props.initial?.missed ?? 'skip');
  const [inputText, setInputText] = useState(JSON.stringify(props.initial?.input ?? {}));
  const spec = useSettled({ cron, timezone });
  const preview = useQuery({ ...trpc.triggers.preview.queryOptions(spec), enabled: spec.cron.trim() !== '' && spec.timezone.trim() !== '' });
  const problem = (field: string) => preview.data?.problems.find((entry) => entry.field === field)?.message;
  let input: unknown;
  let inputProblem: string | undefined;
  try {
    input = JSON.parse(inputText);
    if (!input || typeof input !== 'object' || Array.isArray(input)) inputProblem = 'the input must be a JSON object, such as {} or {"report":"daily"}';
  } catch {
    inputProblem = 'the input is not JSON';
  }
  const schedule = { cron, timezone, missed, input, enabled: props.initial?.enabled ?? true };
  const create = useMutation(trpc.triggers.createSchedule.mutationOptions({ onSuccess: props.onDone }));
  const update = useMutation(trpc.triggers.updateSchedule.mutationOptions({ onSuccess: props.onDone }));
  const save = props.id ? update : create;
  /** A change to a field makes the last refusal stale. */
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    create.reset();
    update.reset();
  };
  const submit = () => (props.id ? update.mutate({ workflow: props.slug, id: props.id, schedule }) : create.mutate({ workflow: props.slug, schedule }));

  return (
    <form
      className="cairn-trigger-form"
      data-testid="schedule-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="cairn-field">
        <span className="cairn-field__label">Cron expression</span>
        <input className="cairn-input cairn-input--mono" value={cron} onChange={(event) => edit(setCron)(event.target.value)} aria-invalid={problem('cron') ? true : undefined} data-testid="schedule-cron" spellCheck={false} />
        <span className="cairn-field__hint">minute hour day month weekday — e.g. <code>*/15 * * * *</code>; at most once a minute</span>
        {problem('cron') && <span className="cairn-field__error" data-testid="schedule-cron-problem">{problem('cron')}</span>}
      </label>
      <label className="cairn-field">
        <span className="cairn-field__label">Time zone</span>
        <input className="cairn-input" value={timezone} onChange={(event) => edit(setTimezone)(event.target.value)} aria-invalid={problem('timezone') ? true : undefined} data-testid="schedule-timezone" list="cairn-time-zones" />
        {problem('timezone') && <span className="cairn-field__error">{problem('timezone')}</span>}
      </label>
      <label className="cairn-field">
        <span className="cairn-field__label">Ticks missed while no worker ran</span>
        <select className="cairn-input" value={missed} onChange={(event) => edit((value) => setMissed(value as ScheduleValues['missed']))(event.target.value)} data-testid="schedule-missed">
          <option value="skip">Skip them (fire the next one)</option>
          <option value="catch-up">Catch up (one run per missed tick, at most 100)</option>
        </select>
      </label>
      <label className="cairn-field">
        <span className="cairn-field__label">Run input (JSON)</span>
        <input className="cairn-input cairn-input--mono" value={inputText} onChange={(event) => edit(setInputText)(event.target.value)} aria-invalid={inputProblem ? true : undefined} data-testid="schedule-input" spellCheck={false} />
        {inputProblem && <span className="cairn-field__error">{inputProblem}</span>}
      </label>
      {preview.data && preview.data.nextFireTimes.length > 0 && (
        <div className="cairn-trigger-next" data-testid="schedule-preview">
          <span className="cairn-field__label">Next fire times ({spec.timezone})</span>
          <ol>
            {preview.data.nextFireTimes.map((at) => <li key={at}><time dateTime={at}>{zonedTime(at, spec.timezone)}</time></li>)}
          </ol>
        </div>
      )}
      {save.error && <ErrorNotice report={describeError(save.error)} testId="schedule-error" />}
      <div className="cairn-trigger-form__actions">
        <button type="button" className="cairn-button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="cairn-button cairn-button--primary" disabled={save.isPending || inputProblem !== undefined} data-testid="schedule-save">
          {props.id ? 'Save schedule' : 'Add schedule'}
        </button>
      </div>
      <datalist id="cairn-time-zones">
        {Intl.supportedValuesOf('timeZone').map((zone) => <option key={zone} value={zone} />)}
      </datalist>
    </form>
  );
}
