// The fields of a schema form, one component per kind of control: typed inputs, a group of fields for
// an object, a list with Add and Remove for an array, and JSON text (checked as it is typed) for what
// no control fits. Each field shows the problem at its own JSON pointer once it has been touched.
import { useState } from 'react';
import { fieldKind, fieldLabel, invalidJsonMessage, newItem, type FieldSchema } from './schema-form-model.js';

export interface FormContext {
  testId: string;
  disabled?: boolean;
  problems: Record<string, string>;
  touched: ReadonlySet<string>;
  touch(pointer: string): void;
  /** Record (message) or clear (null) unparsable JSON text at a pointer; `under` clears a whole subtree. */
  setInvalid(pointer: string, message: string | null, under?: boolean): void;
}

export interface FieldProps {
  schema: FieldSchema | undefined;
  value: unknown;
  pointer: string;
  label: string;
  required?: boolean;
  /** Inside a list: the label is for assistive technology only (the list shows the position). */
  inList?: boolean;
  depth: number;
  ctx: FormContext;
  onChange(next: unknown): void;
}

const fieldId = (ctx: FormContext, pointer: string) => `${ctx.testId}${pointer.replaceAll('/', '-')}`;

function Problem({ ctx, pointer }: { ctx: FormContext; pointer: string }) {
  const problem = ctx.touched.has(pointer) ? ctx.problems[pointer] : undefined;
  if (!problem) return null;
  return (
    <small className="cairn-error" data-testid={`${fieldId(ctx, pointer)}-problem`}>
      {problem}
    </small>
  );
}

export function SchemaField(props: FieldProps) {
  const kind = fieldKind(props.schema, props.depth);
  if (kind === 'object') return <ObjectField {...props} />;
  if (kind === 'array') return <ArrayField {...props} />;
  if (kind === 'json') return <JsonField {...props} />;
  const { schema = {}, value, pointer, label, required, inList, ctx, onChange } = props;
  const id = fieldId(ctx, pointer);
  const change = (next: unknown) => {
    ctx.touch(pointer);
    onChange(next);
  };
  let control;
  if (kind === 'enum') {
    control = (
      <select id={id} data-testid={id} disabled={ctx.disabled} value={value === undefined || value === null ? '' : JSON.stringify(value)} onChange={(event) => change(event.target.value ? JSON.parse(event.target.value) : inList ? null : undefined)} aria-label={inList ? label : undefined}>
        <option value="">—</option>
        {schema.enum!.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'boolean') {
    control = <input id={id} data-testid={id} type="checkbox" disabled={ctx.disabled} checked={value === true} onChange={(event) => change(event.target.checked)} aria-label={inList ? label : undefined} />;
  } else if (kind === 'number' || kind === 'integer') {
    control = (
      <input
        id={id}
        data-testid={id}
        type="number"
        step={kind === 'integer' ? 1 : 'any'}
        disabled={ctx.disabled}
        aria-label={inList ? label : undefined}
        value={typeof value === 'number' ? String(value) : ''}
        onChange={(event) => change(event.target.value === '' ? (inList ? null : undefined) : Number(event.target.value))}
      />
    );
  } else {
    const placeholder = schema.format === 'date-time' ? '2026-12-31T09:00:00Z' : undefined;
    control = <input id={id} data-testid={id} type="text" disabled={ctx.disabled} placeholder={placeholder} aria-label={inList ? label : undefined} value={typeof value === 'string' ? value : ''} onChange={(event) => change(event.target.value)} />;
  }
  if (inList) return control;
  return (
    <div className="cairn-field">
      <label htmlFor={id}>
        {label}
        {required ? ' *' : ''}
      </label>
      {control}
      {schema.description && <small className="cairn-muted">{schema.description}</small>}
      <Problem ctx={ctx} pointer={pointer} />
    </div>
  );
}

/** The fields of an object's properties; the form itself is one of these without a frame. */
export function ObjectFields({ schema, value, pointer, depth, ctx, onChange }: Omit<FieldProps, 'label'>) {
  const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const required = new Set(schema?.required ?? []);
  return (
    <>
      {Object.entries(schema?.properties ?? {}).map(([key, property]) => (
        <SchemaField
          key={key}
          schema={property}
          value={object[key]}
          pointer={`${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`}
          label={fieldLabel(key, property)}
          required={required.has(key)}
          depth={depth + 1}
          ctx={ctx}
          onChange={(next) => {
            const copy = { ...object };
            // An emptied field is left out, so that "required" means filled in.
            if (next === undefined || next === '') delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </>
  );
}

function ObjectField(props: FieldProps) {
  const { schema, pointer, label, required, ctx } = props;
  return (
    <fieldset className="cairn-schema-group" data-testid={fieldId(ctx, pointer)}>
      <legend>
        {label}
        {required ? ' *' : ''}
      </legend>
      {schema?.description && <small className="cairn-muted">{schema.description}</small>}
      <ObjectFields {...props} />
      <Problem ctx={ctx} pointer={pointer} />
    </fieldset>
  );
}

function ArrayField({ schema, value, pointer, label, required, depth, ctx, onChange }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema?.items;
  const itemName = itemSchema?.title?.trim() || 'item';
  const id = fieldId(ctx, pointer);
  // Items are keyed by position; removing one remounts the rest so that no JSON text moves to another item.
  const [generation, setGeneration] = useState(0);
  const grouped = fieldKind(itemSchema, depth + 1) === 'object' || fieldKind(itemSchema, depth + 1) === 'array';
  const set = (next: unknown[]) => {
    ctx.touch(pointer);
    onChange(next);
  };
  return (
    <fieldset className="cairn-schema-group cairn-schema-list" data-testid={id}>
      <legend>
        {label}
        {required ? ' *' : ''}
      </legend>
      {schema?.description && <small className="cairn-muted">{schema.description}</small>}
      {items.length === 0 && <p className="cairn-schema-list__empty cairn-muted">No {itemName}s yet.</p>}
      {items.map((item, index) => (
        <div key={`${generation}:${index}`} className={grouped ? 'cairn-schema-list__item cairn-schema-list__item--group' : 'cairn-schema-list__item'} data-testid={`${id}-${index}-item`}>
          <SchemaField
            schema={itemSchema}
            value={item}
            pointer={`${pointer}/${index}`}
            label={`${fieldLabel(itemName, itemSchema)} ${index + 1}`}
            inList={!grouped}
            depth={depth + 1}
            ctx={ctx}
            onChange={(next) => set(items.map((old, at) => (at === index ? (next === undefined ? null : next) : old)))}
          />
          <button
            type="button"
            className="cairn-button cairn-button--ghost cairn-button--small cairn-schema-list__remove"
            disabled={ctx.disabled}
            aria-label={`Remove ${itemName} ${index + 1}`}
            data-testid={`${id}-remove-${index}`}
            onClick={() => {
              ctx.setInvalid(pointer, null, true);
              setGeneration(generation + 1);
              set(items.filter((_, at) => at !== index));
            }}
          >
            Remove
          </button>
          {!grouped && <Problem ctx={ctx} pointer={`${pointer}/${index}`} />}
        </div>
      ))}
      <div>
        <button type="button" className="cairn-button cairn-button--small" disabled={ctx.disabled} data-testid={`${id}-add`} onClick={() => set([...items, newItem(itemSchema)])}>
          + Add {itemName}
        </button>
      </div>
      <Problem ctx={ctx} pointer={pointer} />
    </fieldset>
  );
}

/** JSON text for what no control fits; text that does not parse is reported, never taken for "empty". */
export function JsonField({ schema, value, pointer, label, required, ctx, onChange }: FieldProps) {
  const id = fieldId(ctx, pointer);
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  return (
    <div className="cairn-field">
      <label htmlFor={id}>
        {label}
        {required ? ' *' : ''} <span className="cairn-muted">(JSON)</span>
      </label>
      <textarea
        id={id}
        data-testid={id}
        className="cairn-json-input"
        rows={4}
        spellCheck={false}
        disabled={ctx.disabled}
        value={text}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          ctx.touch(pointer);
          if (!next.trim()) {
            ctx.setInvalid(pointer, null);
            onChange(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(next);
            ctx.setInvalid(pointer, null);
            onChange(parsed);
          } catch (error) {
            ctx.setInvalid(pointer, invalidJsonMessage(pointer, error));
          }
        }}
      />
      {schema?.description && <small className="cairn-muted">{schema.description}</small>}
      <Problem ctx={ctx} pointer={pointer} />
    </div>
  );
}
