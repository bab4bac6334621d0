// Widgets made of other widgets: a step's retry policy, its compensation (with its credentials) and an
// approval's assignees.
import { RETRY_DEFAULTS } from '../../../shared/nodes/step.node.js';
import { withAction } from './action-input-model.js';
import { ActionInputWidget } from './ActionInputForm.js';
import { ActionWidget } from './ActionWidget.js';
import { CredentialsWidget } from './CredentialsWidget.js';
import { DurationWidget } from './DurationWidget.js';
import { NumberWidget, StringListWidget } from './SimpleWidgets.js';
import { isRecord, withKey } from './config-fields.js';
import { asStringList, useInspector, type WidgetProps } from './widget-kit.js';

type RetryMode = 'none' | 'backoff' | 'delays';

const BACKOFF_FIELDS = [
  { key: 'maxAttempts', title: 'Max attempts', kind: 'number' },
  { key: 'initialInterval', title: 'Initial interval', kind: 'duration' },
  { key: 'backoffCoefficient', title: 'Backoff coefficient', kind: 'number' },
  { key: 'maxInterval', title: 'Max interval', kind: 'duration' },
  { key: 'jitter', title: 'Jitter (0–1)', kind: 'number' },
] as const;

export function retryMode(value: unknown): RetryMode {
  if (!isRecord(value)) return 'none';
  return value.delays !== undefined ? 'delays' : 'backoff';
}

/** Not set (the default backoff), backoff settings, or an explicit list of delays. */
export function RetryPolicyWidget({ id, testId, label, value, onChange }: WidgetProps) {
  const { readOnly } = useInspector();
  const mode = retryMode(value);
  const retry = isRecord(value) ? value : {};
  const choose = (next: RetryMode) => {
    if (next === mode) return;
    if (next === 'none') return onChange(undefined);
    // Keys of the other mode go; keys neither mode knows stay (the validator reports them).
    const others = Object.fromEntries(Object.entries(retry).filter(([key]) => key !== 'delays' && !BACKOFF_FIELDS.some((field) => field.key === key)));
    onChange(next === 'delays' ? { ...others, delays: ['1m'] } : others);
  };
  const delays = asStringList(retry.delays);
  const setDelays = (next: string[]) => onChange({ ...retry, delays: next });

  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      <select
        className="cairn-inspector__input"
        data-testid={`${testId}-mode`}
        aria-label={`${label}: policy`}
        value={mode}
        disabled={readOnly}
        onChange={(event) => choose(event.target.value as RetryMode)}
      >
        <option value="none">Default (backoff, {RETRY_DEFAULTS.maxAttempts} attempts)</option>
        <option value="backoff">Backoff</option>
        <option value="delays">Explicit delays</option>
      </select>
      {mode === 'backoff' &&
        BACKOFF_FIELDS.map((field) => {
          const Widget = field.kind === 'number' ? NumberWidget : DurationWidget;
          const controlId = `${id}-${field.key}`;
          return (
            <div className="cairn-inspector__subfield" key={field.key}>
              <label htmlFor={controlId}>{field.title}</label>
              <Widget
                id={controlId}
                testId={`${testId}-${field.key}`}
                label={field.title}
                value={retry[field.key]}
                placeholder={String(RETRY_DEFAULTS[field.key])}
                emptyIsUnset
                onChange={(next) => onChange(withKey(retry, field.key, next))}
              />
            </div>
          );
        })}
      {mode === 'delays' && (
        <ol className="cairn-inspector__delays">
          {delays.map((delay, index) => (
            <li key={index} className="cairn-inspector__delay">
              <label htmlFor={`${id}-delay-${index}`}>Before attempt {index + 2}</label>
              <DurationWidget
                id={`${id}-delay-${index}`}
                testId={`${testId}-delay-${index}`}
                label={`Delay ${index + 1}`}
                value={delay}
                onChange={(next) => setDelays(delays.map((item, i) => (i === index ? String(next ?? '') : item)))}
              />
              <button
                type="button"
                className="cairn-inspector__icon-button"
                data-testid={`${testId}-delay-remove-${index}`}
                aria-label={`Remove delay ${index + 1}`}
                disabled={readOnly || delays.length <= 1}
                onClick={() => setDelays(delays.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="cairn-inspector__link-button"
              data-testid={`${testId}-delay-add`}
              disabled={readOnly}
              onClick={() => setDelays([...delays, delays.at(-1) ?? '1m'])}
            >
              + Add delay
            </button>
          </li>
        </ol>
      )}
    </div>
  );
}

/** The action that undoes a step, and its input. */
export function CompensationWidget({ id, testId, label, value, onChange, fieldPath = 'compensate' }: WidgetProps) {
  const { actions } = useInspector();
  const compensation = isRecord(value) ? value : {};
  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      <div className="cairn-inspector__subfield">
        <label htmlFor={`${id}-action`}>Action</label>
        <ActionWidget
          id={`${id}-action`}
          testId={`${testId}-action`}
          label={`${label}: action`}
          value={compensation.action}
          onChange={(next) => onChange(withAction(compensation, next, actions))}
        />
      </div>
      <div className="cairn-inspector__subfield">
        <span className="cairn-inspector__subtitle">Input</span>
        <ActionInputWidget
          id={`${id}-input`}
          testId={`${testId}-input`}
          label={`${label} input`}
          value={compensation.input}
          fieldPath={`${fieldPath}.input`}
          actionName={compensation.action}
          onChange={(next) => onChange(withKey(compensation, 'input', next))}
        />
      </div>
      {(declaresCredentials(actions, compensation.action) || compensation.credentials !== undefined) && (
        <div className="cairn-inspector__subfield">
          <span className="cairn-inspector__subtitle">Credentials</span>
          <CredentialsWidget
            id={`${id}-credentials`}
            testId={`${testId}-credentials`}
            label={`${label} credentials`}
            value={compensation.credentials}
            fieldPath={`${fieldPath}.credentials`}
            actionName={compensation.action}
            onChange={(next) => onChange(withKey(compensation, 'credentials', next))}
          />
        </div>
      )}
    </div>
  );
}

const declaresCredentials = (actions: readonly { name: string; credentials?: object }[], name: unknown) => Object.keys(actions.find((action) => action.name === name)?.credentials ?? {}).length > 0;

/** Users and roles, each typed as a comma-separated list. */
export function AssigneesWidget({ id, testId, value, onChange }: WidgetProps) {
  const assignees = isRecord(value) ? value : {};
  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      {(['users', 'roles'] as const).map((part) => (
        <div className="cairn-inspector__subfield" key={part}>
          <label htmlFor={`${id}-${part}`}>{part === 'users' ? 'Users' : 'Roles'}</label>
          <StringListWidget
            id={`${id}-${part}`}
            testId={`${testId}-${part}`}
            label={part}
            value={assignees[part]}
            placeholder={part === 'users' ? 'ann, bob' : 'manager, finance'}
            onChange={(next) => onChange(withKey(assignees, part, next))}
          />
        </div>
      ))}
    </div>
  );
}
