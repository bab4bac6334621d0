// One field of an action's input form, made from its JSON Schema: title, required mark, default,
// description, the Fixed / Expression switch and a control that fits the type — text, a number, a
// choice, yes/no, a group of fields, a list, key/value rows, or JSON where nothing else fits. In
// Expression mode every type takes `{{ … }}` text, with autocomplete and a preview.
import { useId } from 'react';
import { newItem } from '../../ui/schema-form-model.js';
import { modeOfValue, toExpressionValue, toFixedValue, inputKind, inputProperties, type InputProperty } from './action-input-model.js';
import { isRecord, withKey } from './config-fields.js';
import { ExpressionInput } from './ExpressionInput.js';
import { CodeEditor } from './CodeEditor.js';
import { JAVASCRIPT_MEDIA_TYPE } from '../../../shared/validate-code.js';
import { CREDENTIAL_MEDIA_TYPE } from '../../../shared/credential-kinds.js';
import { CredentialField } from './CredentialsWidget.js';
import type { FieldMode } from './expression-mode.js';
import { ModeToggle } from './ModeToggle.js';
import { JsonWidget, NumberWidget } from './SimpleWidgets.js';
import { ValueMapWidget } from './ValueMapWidget.js';
import { asString, useInspector } from './widget-kit.js';

export interface InputFieldProps {
  property: InputProperty;
  /** data-testid of the main control; the row is `${testId}-row`. */
  testId: string;
  /** Config path of the value ("input.url"). */
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  /** Problems of this field's value (the publish check's, and expression syntax). */
  problems?: readonly string[];
  depth?: number;
}

const COMPOSITE = new Set(['object', 'array', 'map']);

const describeDefault = (value: unknown) => (typeof value === 'string' ? `“${value}”` : JSON.stringify(value));
const isEmpty = (value: unknown) => (Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0);
const placeholderOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

export function InputField({ property, testId, path, value, onChange, problems = [], depth = 0 }: InputFieldProps) {
  const { readOnly } = useInspector();
  const baseId = useId();
  const controlId = `${baseId}control`;
  const titleId = `${baseId}title`;
  const { kind, title, required, defaultValue } = property;
  const mode = modeOfValue(kind, value);
  const composite = COMPOSITE.has(kind) && mode === 'fixed';
  // An empty default ({} for headers) says nothing a person needs: such a field is just optional.
  const mark = defaultValue !== undefined && !isEmpty(defaultValue) ? `default ${describeDefault(defaultValue)}` : required ? undefined : 'optional';

  const switchMode = (next: FieldMode) =>
    onChange(next === 'expression' ? toExpressionValue(value) : toFixedValue(kind, property.schema, asString(value)));

  return (
    <div
      className="cairn-inspector__field cairn-action-field"
      data-testid={`${testId}-row`}
      data-kind={kind}
      data-required={required || undefined}
      role={composite ? 'group' : undefined}
      aria-labelledby={composite ? titleId : undefined}
    >
      <div className="cairn-inspector__field-head">
        {composite ? (
          <span id={titleId} className="cairn-inspector__field-title">
            {title}
          </span>
        ) : (
          <label id={titleId} htmlFor={controlId} className="cairn-inspector__field-title">
            {title}
          </label>
        )}
        {required && (
          <abbr className="cairn-inspector__required" title="required" data-testid={`${testId}-required`}>
            *
          </abbr>
        )}
        {mark && <span className="cairn-inspector__mark">{mark}</span>}
        {!required && value !== undefined && (
          <button
            type="button"
            className="cairn-inspector__link-button cairn-inspector__field-action"
            data-testid={`${testId}-clear`}
            aria-label={`Clear ${title}`}
            disabled={readOnly}
            onClick={() => onChange(undefined)}
          >
            Clear
          </button>
        )}
      </div>
      {property.description && <p className="cairn-inspector__hint">{property.description}</p>}
      {kind === 'string' && (property.schema as { contentMediaType?: unknown }).contentMediaType === JAVASCRIPT_MEDIA_TYPE ? (
        <CodeEditor id={controlId} testId={testId} label={title} value={value} onChange={onChange} readOnly={readOnly} />
      ) : kind === 'string' && (property.schema as { contentMediaType?: unknown }).contentMediaType === CREDENTIAL_MEDIA_TYPE ? (
        <CredentialField id={controlId} testId={testId} label={title} value={value} onChange={onChange} path={path} />
      ) : kind === 'string' ? (
        // Text fields carry the switch themselves: fixed text or {{ … }}, read from the value.
        <ExpressionInput id={controlId} testId={testId} label={title} value={value} onChange={onChange} mode="value" toggle emptyIsUnset placeholder={placeholderOf(defaultValue)} fieldPath={path} />
      ) : (
        <>
          <ModeToggle testId={testId} label={title} mode={mode} onMode={switchMode} disabled={readOnly} />
          {mode === 'expression' ? (
            <ExpressionInput id={controlId} testId={testId} label={title} value={value} onChange={onChange} mode="expression" emptyIsUnset fieldPath={path} />
          ) : (
            <FixedControl property={property} id={controlId} testId={testId} path={path} value={value} onChange={onChange} depth={depth} />
          )}
        </>
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

interface FixedProps {
  property: InputProperty;
  id: string;
  testId: string;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  depth: number;
}

/** The control of a fixed value, by the field's kind. */
function FixedControl({ property, id, testId, path, value, onChange, depth }: FixedProps) {
  const { readOnly } = useInspector();
  const { kind, schema, title, defaultValue } = property;
  const common = { id, testId, label: title, value, onChange, fieldPath: path, emptyIsUnset: true, placeholder: placeholderOf(defaultValue) };
  switch (kind) {
    case 'enum':
    case 'boolean': {
      const options = kind === 'boolean' ? [true, false] : (schema.enum ?? []);
      const known = value === undefined || options.some((option) => JSON.stringify(option) === JSON.stringify(value));
      const unset = defaultValue !== undefined ? `Default (${asString(defaultValue)})` : 'Not set';
      return (
        <select
          id={id}
          className="cairn-inspector__input"
          data-testid={testId}
          data-field-path={path}
          value={value === undefined ? '' : JSON.stringify(value)}
          disabled={readOnly}
          onChange={(event) => onChange(event.target.value === '' ? undefined : JSON.parse(event.target.value))}
        >
          <option value="">{unset}</option>
          {options.map((option) => (
            <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
              {asString(option)}
            </option>
          ))}
          {!known && <option value={JSON.stringify(value)}>{asString(value)} (not a choice)</option>}
        </select>
      );
    }
    case 'number':
    case 'integer':
      return <NumberWidget {...common} />;
    case 'map':
      return <ValueMapWidget {...common} />;
    case 'object':
      return <ObjectFields testId={testId} path={path} schema={schema} value={value} onChange={onChange} depth={depth} id={id} />;
    case 'array':
      return <ListFields property={property} testId={testId} path={path} value={value} onChange={onChange} depth={depth} id={id} />;
    default:
      return <JsonWidget {...common} placeholder={common.placeholder ?? 'JSON: "text", 42, {"key": "value"}, [1, 2]'} />;
  }
}

function ObjectFields({ id, testId, path, schema, value, onChange, depth }: Omit<FixedProps, 'property'> & { schema: InputProperty['schema'] }) {
  const record = isRecord(value) ? value : {};
  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      {inputProperties(schema, depth + 1).map((sub) => (
        <InputField
          key={sub.key}
          property={sub}
          testId={`${testId}-${sub.key}`}
          path={`${path}.${sub.key}`}
          value={record[sub.key]}
          onChange={(next) => onChange(withKey(record, sub.key, next))}
          depth={depth + 1}
        />
      ))}
    </div>
  );
}

function ListFields({ id, property, testId, path, value, onChange, depth }: FixedProps) {
  const { readOnly } = useInspector();
  const items = Array.isArray(value) ? value : [];
  const itemSchema = property.schema.items ?? {};
  const set = (index: number, next: unknown) => onChange(items.map((item, i) => (i === index ? (next === undefined ? newItem(itemSchema) : next) : item)));
  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      {items.length === 0 && <p className="cairn-inspector__hint">No items.</p>}
      {items.map((item, index) => (
        <div className="cairn-action-field__item" key={index}>
          <InputField
            property={{ key: String(index), schema: itemSchema, kind: inputKind(itemSchema, depth + 1), title: `${property.title} ${index + 1}`, required: true }}
            testId={`${testId}-${index}`}
            path={`${path}.${index}`}
            value={item}
            onChange={(next) => set(index, next)}
            depth={depth + 1}
          />
          <button
            type="button"
            className="cairn-inspector__icon-button"
            data-testid={`${testId}-remove-${index}`}
            aria-label={`Remove ${property.title} ${index + 1}`}
            disabled={readOnly}
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="cairn-inspector__link-button" data-testid={`${testId}-add`} disabled={readOnly} onClick={() => onChange([...items, newItem(itemSchema)])}>
        + Add {property.title.toLowerCase()}
      </button>
    </div>
  );
}
