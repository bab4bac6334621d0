// A step's input (or a compensation's) as the form of its action's declared input: one field per
// property of the schema, then the keys the schema does not name — as "Other fields" rows where the
// schema admits other keys, or as keys to remove where it refuses them. Unregistered actions, and a
// step with no action yet, keep the plain key/value rows, so nothing stored is ever hidden.
import { useRef } from 'react';
import type { ActionDescription } from '../../../shared/runs/actions.js';
import { checkExpressions, stringsIn } from '../../../shared/expressions.js';
import { allowsOtherKeys, inputProperties, otherKeys, problemsByKey } from './action-input-model.js';
import { isRecord, withKey } from './config-fields.js';
import { InputField } from './InputField.js';
import { ValueMapWidget } from './ValueMapWidget.js';
import { useInspector, type WidgetProps } from './widget-kit.js';
import './action-form.css';

export interface ActionInputProps extends WidgetProps {
  /** The action whose input this is (the step's `action`); its schema shapes the form. */
  actionName: unknown;
}

/** The form of the named action's input, or key/value rows when the action is not registered. */
export function ActionInputWidget(props: ActionInputProps) {
  const { actions } = useInspector();
  const action = actions.find((candidate) => candidate.name === props.actionName);
  if (!action || !isRecord(action.inputSchema) || !isRecord(action.inputSchema.properties)) return <ValueMapWidget {...props} />;
  return <ActionInputForm {...props} action={action} />;
}

function ActionInputForm({ testId, label, value, onChange, fieldPath = 'input', action }: ActionInputProps & { action: ActionDescription }) {
  const { readOnly } = useInspector();
  const schema = action.inputSchema as Record<string, unknown>;
  const input = isRecord(value) ? value : {};
  const properties = inputProperties(schema);
  const problems = problemsByKey(schema, input);
  const others = otherKeys(schema, input);
  // An input that is not an object (an old `{{ … }}`) is shown, not silently replaced.
  const notObject = value !== undefined && !isRecord(value);
  const set = (key: string, next: unknown) => onChange(withKey(input, key, next));
  // The rows widget keeps its draft while it gets back the object it saved: give it that same object.
  const otherValue = useSame(Object.fromEntries(others.map((key) => [key, input[key]])));
  const setOthers = (next: unknown) => {
    const known = Object.fromEntries(Object.entries(input).filter(([key]) => !others.includes(key)));
    const merged = { ...known, ...(isRecord(next) ? next : {}) };
    otherValue.remember(next);
    if (JSON.stringify(merged) !== JSON.stringify(input)) onChange(merged);
  };
  const explicit = isRecord(schema.additionalProperties) || schema.additionalProperties === true;

  return (
    <div className="cairn-action-form" data-testid={testId} data-action={action.name}>
      {notObject && (
        <p className="cairn-inspector__problem" data-testid={`${testId}-not-object`}>
          The input is {JSON.stringify(value)}, not a set of fields; editing a field below replaces it.
        </p>
      )}
      {problems[''] && (
        <ul className="cairn-inspector__problem" data-testid={`${testId}-problem`}>
          {problems[''].map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {properties.map((property) => (
        <InputField
          key={property.key}
          property={property}
          testId={`${testId}-${property.key}`}
          path={`${fieldPath}.${property.key}`}
          value={input[property.key]}
          onChange={(next) => set(property.key, next)}
          problems={[...(problems[property.key] ?? []), ...stringsIn(input[property.key]).flatMap(checkExpressions)]}
        />
      ))}
      {allowsOtherKeys(schema) && (others.length > 0 || explicit) && (
        <div className="cairn-inspector__field" role="group" aria-label={`${label}: other fields`} data-testid={`${testId}-other-row`}>
          <span className="cairn-inspector__field-title">Other fields</span>
          <p className="cairn-inspector__hint">
            {explicit ? `${action.name} takes fields besides those above.` : `${action.name} does not declare these; it may ignore them.`}
          </p>
          <ValueMapWidget id={`${testId}-other`} testId={`${testId}-other`} label={`${label}: other`} value={otherValue.value} onChange={setOthers} />
        </div>
      )}
      {!allowsOtherKeys(schema) && others.length > 0 && (
        <ul className="cairn-inspector__problem" data-testid={`${testId}-unknown`}>
          {others.map((key) => (
            <li key={key}>
              “{key}” is not an input of {action.name}.{' '}
              <button type="button" className="cairn-inspector__link-button" data-testid={`${testId}-unknown-remove-${key}`} disabled={readOnly} onClick={() => set(key, undefined)}>
                Remove it
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** `value`, or the object last remembered when it holds the same (so its identity is kept). */
function useSame(value: Record<string, unknown>) {
  const last = useRef<unknown>(value);
  if (JSON.stringify(last.current) !== JSON.stringify(value)) last.current = value;
  return { value: last.current, remember: (next: unknown) => void (last.current = next) };
}
