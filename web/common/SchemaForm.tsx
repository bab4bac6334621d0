// A form generated from a JSON Schema object (a start node's inputSchema, an approval's form):
// one field per property, with the schema's own checks shown per field (ajv, shared/json-schema).
import { useMemo, useState } from 'react';
import { schemaViolations } from '../../shared/json-schema.js';

type Schema = { type?: string | string[]; properties?: Record<string, Property>; required?: string[] };
type Property = { type?: string | string[]; title?: string; description?: string; enum?: unknown[]; format?: string; default?: unknown; items?: { type?: string } };

export interface SchemaFormProps {
  schema: unknown;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  disabled?: boolean;
  /** Prefix for data-testid attributes: `${testId}-${field}`. */
  testId?: string;
}

/** The value's problems against the schema, by field name ("" for the whole value). */
export function schemaFormProblems(schema: unknown, value: unknown): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const violation of schemaViolations(schema, value)) {
    const field = violation.path.split('/')[1] ?? '';
    problems[field] ??= violation.message;
  }
  return problems;
}

const typeOf = (property: Property) => (Array.isArray(property.type) ? property.type.find((type) => type !== 'null') : property.type) ?? 'json';

export function SchemaForm({ schema, value, onChange, disabled, testId = 'form' }: SchemaFormProps) {
  const shape = (schema ?? {}) as Schema;
  const properties = Object.entries(shape.properties ?? {});
  const required = new Set(shape.required ?? []);
  const problems = useMemo(() => schemaFormProblems(schema, value), [schema, value]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const set = (key: string, next: unknown) => {
    const copy = { ...value };
    if (next === undefined || next === '') delete copy[key];
    else copy[key] = next;
    setTouched(new Set(touched).add(key));
    onChange(copy);
  };

  if (properties.length === 0) {
    return <JsonField label="Input (JSON)" value={value} disabled={disabled} testId={`${testId}-json`} onChange={(next) => onChange((next ?? {}) as Record<string, unknown>)} />;
  }
  return (
    <div className="cairn-schema-form">
      {properties.map(([key, property]) => {
        const type = typeOf(property);
        const label = `${property.title ?? key}${required.has(key) ? ' *' : ''}`;
        const problem = touched.has(key) ? problems[key] : undefined;
        const id = `${testId}-${key}`;
        let control;
        if (property.enum) {
          control = (
            <select id={id} data-testid={id} disabled={disabled} value={value[key] === undefined ? '' : JSON.stringify(value[key])} onChange={(event) => set(key, event.target.value ? JSON.parse(event.target.value) : undefined)}>
              <option value="">—</option>
              {property.enum.map((option) => (
                <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
                  {String(option)}
                </option>
              ))}
            </select>
          );
        } else if (type === 'boolean') {
          control = <input id={id} data-testid={id} type="checkbox" disabled={disabled} checked={value[key] === true} onChange={(event) => set(key, event.target.checked)} />;
        } else if (type === 'number' || type === 'integer') {
          control = (
            <input id={id} data-testid={id} type="number" step={type === 'integer' ? 1 : 'any'} disabled={disabled} value={typeof value[key] === 'number' ? String(value[key]) : ''} onChange={(event) => set(key, event.target.value === '' ? undefined : Number(event.target.value))} />
          );
        } else if (type === 'string') {
          control = <input id={id} data-testid={id} type="text" disabled={disabled} placeholder={property.format === 'date-time' ? '2026-12-31T09:00:00Z' : undefined} value={typeof value[key] === 'string' ? (value[key] as string) : ''} onChange={(event) => set(key, event.target.value)} />;
        } else {
          return <JsonField key={key} label={label} value={value[key]} disabled={disabled} testId={id} problem={problem} onChange={(next) => set(key, next)} description={property.description} />;
        }
        return (
          <div key={key} className="cairn-field">
            <label htmlFor={id}>{label}</label>
            {control}
            {property.description && <small className="cairn-muted">{property.description}</small>}
            {problem && <small className="cairn-error" data-testid={`${id}-problem`}>{problem}</small>}
          </div>
        );
      })}
    </div>
  );
}

function JsonField(props: { label: string; value: unknown; onChange: (value: unknown) => void; disabled?: boolean; testId: string; problem?: string; description?: string }) {
  const [text, setText] = useState(() => (props.value === undefined ? '' : JSON.stringify(props.value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="cairn-field">
      <label htmlFor={props.testId}>{props.label}</label>
      <textarea
        id={props.testId}
        data-testid={props.testId}
        rows={4}
        disabled={props.disabled}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (!event.target.value.trim()) {
            setError(null);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(event.target.value));
            setError(null);
          } catch (parseError) {
            setError(`not JSON: ${(parseError as Error).message}`);
          }
        }}
      />
      {props.description && <small className="cairn-muted">{props.description}</small>}
      {(error ?? props.problem) && <small className="cairn-error">{error ?? props.problem}</small>}
    </div>
  );
}
