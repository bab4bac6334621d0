// One config field: its title, optional/default mark, description, the widget its metadata names,
// and the problems of its current value. Optional structured fields get add/remove buttons.
import { useId, type ComponentType } from 'react';
import { fieldMeta } from '../../../shared/nodes/fields.js';
import { ActionInputWidget } from './ActionInputForm.js';
import { ActionWidget } from './ActionWidget.js';
import { CredentialsWidget } from './CredentialsWidget.js';
import { DurationWidget } from './DurationWidget.js';
import { ExpressionInput } from './ExpressionInput.js';
import { JsonSchemaWidget } from './JsonSchemaWidget.js';
import { BooleanWidget, JsonWidget, ModelWidget, NumberWidget, StringListWidget, TextWidget, WorkflowWidget } from './SimpleWidgets.js';
import { AssigneesWidget, CompensationWidget, RetryPolicyWidget } from './StructuredWidgets.js';
import { ValueMapWidget } from './ValueMapWidget.js';
import { fieldProblems, type FieldDescriptor, type WidgetKind } from './config-fields.js';
import { useInspector, type WidgetProps } from './widget-kit.js';

interface WidgetEntry {
  Component: ComponentType<WidgetProps>;
  /** Made of several controls: titled as a group, and its test id names the container. */
  composite?: boolean;
  /** What "Add" puts in an optional field that has no default. Without one, the widget shows unset itself. */
  starter?: () => unknown;
}

// Each shows the Fixed / Expression switch: whether the field's text is used as written or computed.
const TemplateWidget = (props: WidgetProps) => <ExpressionInput {...props} mode="template" multiline toggle />;
const ExpressionWidget = (props: WidgetProps) => <ExpressionInput {...props} mode="expression" toggle />;
const ValueWidget = (props: WidgetProps) => <ExpressionInput {...props} mode="value" toggle />;

export const WIDGETS: Record<WidgetKind, WidgetEntry> = {
  text: { Component: TextWidget },
  number: { Component: NumberWidget },
  boolean: { Component: BooleanWidget },
  template: { Component: TemplateWidget },
  expression: { Component: ExpressionWidget },
  value: { Component: ValueWidget },
  duration: { Component: DurationWidget },
  action: { Component: ActionWidget },
  workflow: { Component: WorkflowWidget },
  model: { Component: ModelWidget },
  stringList: { Component: StringListWidget },
  json: { Component: JsonWidget },
  valueMap: { Component: ValueMapWidget, composite: true, starter: () => ({}) },
  jsonSchema: { Component: JsonSchemaWidget, composite: true, starter: () => ({ type: 'object', properties: {} }) },
  retryPolicy: { Component: RetryPolicyWidget, composite: true },
  compensation: { Component: CompensationWidget, composite: true, starter: () => ({ action: '', input: {} }) },
  assignees: { Component: AssigneesWidget, composite: true, starter: () => ({}) },
  // No "Add": a picker per credential the action declares shows at once.
  credentials: { Component: CredentialsWidget as ComponentType<WidgetProps>, composite: true },
};

const placeholderFor = (defaultValue: unknown) =>
  typeof defaultValue === 'string' || typeof defaultValue === 'number' ? String(defaultValue) : undefined;

const describeDefault = (defaultValue: unknown) =>
  typeof defaultValue === 'string' ? `“${defaultValue}”` : JSON.stringify(defaultValue);

export interface ConfigFieldProps {
  field: FieldDescriptor;
  value: unknown;
  onChange(value: unknown): void;
  /** Set when this field is the input of an action (a step's `input`): the action it is for. */
  inputOf?: { action: unknown };
  /** The action a field belongs to otherwise (a step's `credentials`: the ones it declares). */
  forAction?: unknown;
}

export function ConfigField({ field, value, onChange, inputOf, forAction }: ConfigFieldProps) {
  const { readOnly } = useInspector();
  const baseId = useId();
  const { Component: Widget, composite, starter } = WIDGETS[field.widget];
  // An action's input is the form of that action's declared input, not bare key/value rows.
  const Component = (inputOf ? ActionInputWidget : Widget) as ComponentType<WidgetProps & { actionName?: unknown }>;
  const hasDefault = field.defaultValue !== undefined;
  const addable = field.optional && !hasDefault && starter !== undefined;
  const problems = fieldProblems(field, value);
  const controlId = `${baseId}control`;
  const titleId = `${baseId}title`;
  const testId = `field-${field.key}`;
  // An empty default (a step's input {}) says nothing a person needs: such a field is just optional.
  const emptyDefault = JSON.stringify(field.defaultValue) === '{}' || JSON.stringify(field.defaultValue) === '[]';
  // Credentials mark each declared one as required or not themselves.
  const mark = hasDefault && !emptyDefault ? `default ${describeDefault(field.defaultValue)}` : field.optional && field.widget !== 'credentials' ? 'optional' : undefined;

  return (
    <div
      className="cairn-inspector__field"
      data-testid={`field-row-${field.key}`}
      data-widget={field.widget}
      role={composite ? 'group' : undefined}
      aria-labelledby={composite ? titleId : undefined}
    >
      <div className="cairn-inspector__field-head">
        {composite ? (
          <span id={titleId} className="cairn-inspector__field-title">
            {field.title}
          </span>
        ) : (
          <label id={titleId} htmlFor={controlId} className="cairn-inspector__field-title">
            {field.title}
          </label>
        )}
        {mark && <span className="cairn-inspector__mark">{mark}</span>}
        {addable && value !== undefined && (
          <button
            type="button"
            className="cairn-inspector__link-button cairn-inspector__field-action"
            data-testid={`${testId}-remove`}
            aria-label={`Remove ${field.title}`}
            disabled={readOnly}
            onClick={() => onChange(undefined)}
          >
            Remove
          </button>
        )}
      </div>
      {field.description && <p className="cairn-inspector__hint">{field.description}</p>}
      {addable && value === undefined ? (
        <button
          type="button"
          className="cairn-inspector__link-button"
          data-testid={`${testId}-add`}
          disabled={readOnly}
          onClick={() => onChange(starter!())}
        >
          + Add {field.title.toLowerCase()}
        </button>
      ) : (
        <Component
          id={controlId}
          testId={testId}
          label={field.title}
          value={value}
          placeholder={placeholderFor(field.defaultValue)}
          example={fieldMeta(field.schema)?.example}
          emptyIsUnset={field.optional}
          fieldPath={field.key}
          onChange={onChange}
          actionName={inputOf ? inputOf.action : forAction}
        />
      )}
      {problems.length > 0 && (
        <ul className="cairn-inspector__problem" data-testid={`${testId}-problem`}>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
