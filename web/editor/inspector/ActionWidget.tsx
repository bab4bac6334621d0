// A registered action, picked from the server's list by its title (and name), with its description.
// The action's input fields are the step's input form (ActionInputForm), not repeated here.
import type { ActionDescription } from '../../../shared/runs/actions.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

/** "HTTP request (http.request)": graphs store the name, people read the title. */
export const actionLabel = (action: ActionDescription) => (action.title ? `${action.title} (${action.name})` : action.name);

export function ActionWidget({ id, testId, value, onChange, fieldPath }: WidgetProps) {
  const { actions, readOnly } = useInspector();
  const name = asString(value);
  const chosen = actions.find((action) => action.name === name);
  const unknown = name !== '' && !chosen;
  return (
    <>
      <select id={id} className="cairn-inspector__input" data-testid={testId} data-field-path={fieldPath} value={name} disabled={readOnly} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose an action…</option>
        {actions.map((action) => (
          <option key={action.name} value={action.name}>
            {actionLabel(action)}
          </option>
        ))}
        {unknown && <option value={name}>{name} (not registered)</option>}
      </select>
      {chosen?.description && (
        <p className="cairn-inspector__hint" data-testid={`${testId}-hint`}>
          {chosen.description}
        </p>
      )}
      {unknown && (
        <p className="cairn-inspector__hint" data-testid={`${testId}-unknown`}>
          No action named “{name}” is registered here: its input is shown as plain values.
        </p>
      )}
    </>
  );
}
