// A form generated from a JSON Schema object (a start node's inputSchema, an approval's form): one
// field per property — typed inputs, groups for objects, lists with Add/Remove for arrays, JSON text
// where nothing else fits — with the schema's own checks shown per field (ajv, shared/json-schema).
// JSON text that does not parse is reported through onInvalidChange, so that the caller's problem
// list says "not valid JSON" rather than what the schema says about the value left behind.
import { useMemo, useState } from 'react';
import { JsonField, ObjectFields, type FormContext } from './SchemaFields.js';
import { schemaFormProblems, type FieldSchema } from './schema-form-model.js';
import './schema-form.css';

export { schemaFormProblems } from './schema-form-model.js';

export interface SchemaFormProps {
  schema: unknown;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** JSON text that does not parse, by JSON pointer; include it in the problems that block submitting. */
  onInvalidChange?: (invalid: Record<string, string>) => void;
  disabled?: boolean;
  /** Prefix for data-testid attributes: `${testId}-${field}` (nested: `${testId}-items-0-sku`). */
  testId?: string;
}

/** "/a/0/b" and its ancestors "/a/0", "/a", "": touching a field counts for the groups around it. */
function withAncestors(pointer: string): string[] {
  const parts = pointer.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

export function SchemaForm({ schema, value, onChange, onInvalidChange, disabled, testId = 'form' }: SchemaFormProps) {
  const shape = (schema ?? {}) as FieldSchema;
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [invalid, setInvalidState] = useState<Record<string, string>>({});
  const problems = useMemo(() => schemaFormProblems(schema, value, invalid), [schema, value, invalid]);

  const ctx: FormContext = {
    testId,
    disabled,
    problems,
    touched,
    touch: (pointer) => setTouched((before) => (withAncestors(pointer).every((at) => before.has(at)) ? before : new Set([...before, ...withAncestors(pointer)]))),
    setInvalid: (pointer, message, under = false) => {
      const next = Object.fromEntries(Object.entries(invalid).filter(([at]) => at !== pointer && !(under && at.startsWith(`${pointer}/`))));
      if (message !== null) next[pointer] = message;
      if (JSON.stringify(next) === JSON.stringify(invalid)) return;
      setInvalidState(next);
      onInvalidChange?.(next);
    },
  };

  if (!shape.properties || Object.keys(shape.properties).length === 0) {
    return (
      <div className="cairn-schema-form">
        <JsonField schema={undefined} value={value} pointer="" label="Input" depth={0} ctx={{ ...ctx, testId: `${testId}-json` }} onChange={(next) => onChange((next ?? {}) as Record<string, unknown>)} />
      </div>
    );
  }
  return (
    <div className="cairn-schema-form">
      <ObjectFields schema={shape} value={value} pointer="" depth={0} ctx={ctx} onChange={(next) => onChange(next as Record<string, unknown>)} />
    </div>
  );
}
