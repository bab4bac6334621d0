// A registered action, picked from the server's list, with its description and input fields as a hint.
import type { ActionDescription } from '../../../server/actions/registry.js';
import { isRecord } from './config-fields.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

export interface ActionInputField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** The top-level input fields of an action, from its JSON Schema. */
export function actionInputFields(action: ActionDescription): ActionInputField[] {
  const schema = isRecord(action.inputSchema) ? action.inputSchema : {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(properties).map(([name, property]) => {
    const type = isRecord(property) ? property.type : undefined;
    return {
      name,
      type: typeof type === 'string' ? type : Array.isArray(type) ? type.join(' | ') : 'any',
      required: required.includes(name),
      description: isRecord(property) && typeof property.description === 'string' ? property.description : undefined,
    };
  });
}

export function ActionWidget({ id, testId, value, onChange }: WidgetProps) {
  const { actions, readOnly } = useInspector();
  const name = asString(value);
  const chosen = actions.find((action) => action.name === name);
  const unknown = name !== '' && !chosen;
  return (
    <>
      <select id={id} className="cairn-inspector__input" data-testid={testId} value={name} disabled={readOnly} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose an action…</option>
        {actions.map((action) => (
          <option key={action.name} value={action.name}>
            {action.name}
          </option>
        ))}
        {unknown && <option value={name}>{name} (not registered)</option>}
      </select>
      {chosen && <ActionHint action={chosen} testId={`${testId}-hint`} />}
    </>
  );
}

function ActionHint({ action, testId }: { action: ActionDescription; testId: string }) {
  const fields = actionInputFields(action);
  return (
    <div className="cairn-inspector__action-hint" data-testid={testId}>
      {action.description && <p className="cairn-inspector__hint">{action.description}</p>}
      {fields.length > 0 && (
        <ul className="cairn-inspector__action-inputs" aria-label={`Inputs of ${action.name}`}>
          {fields.map((field) => (
            <li key={field.name} title={field.description}>
              <code>{field.name}</code>
              {field.required && (
                <abbr className="cairn-inspector__required" title="required">
                  *
                </abbr>
              )}{' '}
              <span className="cairn-inspector__muted">{field.type}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
