// One-control widgets: text, number, boolean, model, workflow, comma-separated lists and raw JSON.
import { useId } from 'react';
import { asString, asStringList, useDraft, useInspector, type WidgetProps } from './widget-kit.js';

const INPUT = 'cairn-inspector__input';

export function TextWidget({ id, testId, value, onChange, placeholder, emptyIsUnset }: WidgetProps) {
  const { readOnly } = useInspector();
  return (
    <input
      id={id}
      type="text"
      className={INPUT}
      data-testid={testId}
      value={asString(value)}
      placeholder={placeholder}
      disabled={readOnly}
      onChange={(event) => onChange(event.target.value === '' && emptyIsUnset ? undefined : event.target.value)}
    />
  );
}

/** The model's name; empty means the configured "default" model. */
export function ModelWidget(props: WidgetProps) {
  return <TextWidget {...props} placeholder={props.placeholder ?? 'default'} />;
}

/** A number kept as text while it does not parse ("", "-", "1e"), saved once it does. */
export function NumberWidget({ id, testId, label, value, onChange, placeholder, fieldPath }: WidgetProps) {
  const { readOnly } = useInspector();
  const [text, setText] = useDraft(value, (stored) => (typeof stored === 'number' ? String(stored) : asString(stored)));
  const change = (next: string) => {
    const number = Number(next);
    if (next.trim() === '') {
      setText(next, { value: undefined });
      onChange(undefined);
    } else if (Number.isFinite(number)) {
      setText(next, { value: number });
      onChange(number);
    } else {
      setText(next);
    }
  };
  return (
    <input
      id={id}
      type="number"
      step="any"
      className={INPUT}
      data-testid={testId}
      data-field-path={fieldPath}
      aria-label={fieldPath ? label : undefined}
      value={text}
      placeholder={placeholder}
      disabled={readOnly}
      onChange={(event) => change(event.target.value)}
    />
  );
}

export function BooleanWidget({ id, testId, value, onChange }: WidgetProps) {
  const { readOnly } = useInspector();
  return (
    <input id={id} type="checkbox" data-testid={testId} checked={value === true} disabled={readOnly} onChange={(event) => onChange(event.target.checked)} />
  );
}

/** A workflow slug, suggested from the known workflows (an unknown slug is kept, and flagged). */
export function WorkflowWidget({ id, testId, value, onChange, placeholder }: WidgetProps) {
  const { workflows, readOnly } = useInspector();
  const listId = useId();
  const slug = asString(value);
  const unknown = slug !== '' && workflows.length > 0 && !workflows.includes(slug);
  return (
    <>
      <input
        id={id}
        type="text"
        list={listId}
        className={INPUT}
        data-testid={testId}
        value={slug}
        placeholder={placeholder ?? 'workflow-slug'}
        disabled={readOnly}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {workflows.map((workflow) => (
          <option key={workflow} value={workflow} />
        ))}
      </datalist>
      {unknown && <p className="cairn-inspector__hint" data-testid={`${testId}-unknown`}>No workflow named “{slug}” is known.</p>}
    </>
  );
}

export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A list of names typed as "a, b, c"; an empty list is unset. */
export function StringListWidget({ id, testId, value, onChange, placeholder }: WidgetProps) {
  const { readOnly } = useInspector();
  const [text, setText] = useDraft(value, (stored) => asStringList(stored).join(', '));
  const change = (next: string) => {
    const list = splitList(next);
    const saved = list.length ? list : undefined;
    setText(next, { value: saved });
    onChange(saved);
  };
  return (
    <input
      id={id}
      type="text"
      className={INPUT}
      data-testid={testId}
      value={text}
      placeholder={placeholder ?? 'comma, separated, names'}
      disabled={readOnly}
      onChange={(event) => change(event.target.value)}
    />
  );
}

/** Any JSON value as text, saved whenever it parses. */
export function JsonWidget({ id, testId, label, value, onChange, emptyIsUnset, fieldPath, placeholder }: WidgetProps) {
  const { readOnly } = useInspector();
  const [draft, setDraft] = useDraft(value, (stored) => ({ text: stored === undefined ? '' : JSON.stringify(stored, null, 2), problem: '' }));
  const change = (text: string) => {
    if (text.trim() === '' && emptyIsUnset) {
      setDraft({ text, problem: '' }, { value: undefined });
      onChange(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      setDraft({ text, problem: '' }, { value: parsed });
      onChange(parsed);
    } catch (error) {
      setDraft({ text, problem: `not valid JSON: ${(error as Error).message}` });
    }
  };
  return (
    <>
      <textarea
        id={id}
        rows={4}
        className={`${INPUT} cairn-inspector__code`}
        data-testid={testId}
        data-field-path={fieldPath}
        aria-label={fieldPath ? label : undefined}
        placeholder={placeholder}
        value={draft.text}
        disabled={readOnly}
        spellCheck={false}
        onChange={(event) => change(event.target.value)}
      />
      {draft.problem && <p className="cairn-inspector__problem" data-testid={`${testId}-draft-problem`}>{draft.problem}</p>}
    </>
  );
}
