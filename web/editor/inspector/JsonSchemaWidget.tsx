// A JSON Schema as a field list (name, type, required, description) or as raw JSON text. Both views
// edit the same stored schema; one the list cannot show faithfully is edited as raw JSON only.
import { useState } from 'react';
import { isRecord } from './config-fields.js';
import { FIELD_TYPES, extraKeywords, rowProblems, rowsToSchema, schemaToRows, type FieldType, type SchemaFieldRow } from './json-schema-fields.js';
import { useDraft, useInspector, type WidgetProps } from './widget-kit.js';

export function JsonSchemaWidget(props: WidgetProps) {
  const listable = schemaToRows(props.value ?? {});
  // Switching views edits nothing, so it stays possible in read-only mode.
  const [raw, setRaw] = useState(!listable.ok);
  const showRaw = raw || !listable.ok;
  return (
    <div className="cairn-inspector__schema" id={props.id} data-testid={props.testId}>
      <label className="cairn-inspector__toggle">
        <input
          type="checkbox"
          data-testid="schema-raw-toggle"
          checked={showRaw}
          disabled={!listable.ok}
          onChange={(event) => setRaw(event.target.checked)}
        />
        Edit as JSON
      </label>
      {!listable.ok && (
        <p className="cairn-inspector__hint" data-testid="schema-raw-only">
          Shown as JSON: {listable.reason}.
        </p>
      )}
      {showRaw ? <RawSchema {...props} /> : <FieldList {...props} />}
    </div>
  );
}

function FieldList({ label, value, onChange }: WidgetProps) {
  const { readOnly } = useInspector();
  const [rows, setRows] = useDraft(value, (stored) => {
    const result = schemaToRows(stored ?? {});
    return result.ok ? result.rows : [];
  });
  const problems = rowProblems(rows);

  const update = (next: SchemaFieldRow[]) => {
    if (rowProblems(next).length) return setRows(next);
    const schema = rowsToSchema(next, value);
    setRows(next, { value: schema });
    onChange(schema);
  };
  const patch = (index: number, change: Partial<SchemaFieldRow>) => update(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <div className="cairn-inspector__schema-fields" data-testid="schema-fields">
      {rows.length === 0 && <p className="cairn-inspector__hint">No fields.</p>}
      {rows.map((row, index) => {
        const name = row.name || `field ${index + 1}`;
        const extra = extraKeywords(row);
        return (
          <div className="cairn-inspector__schema-row" key={index} data-testid={`schema-field-${index}`}>
            <input
              type="text"
              className="cairn-inspector__input"
              data-testid={`schema-field-name-${index}`}
              aria-label={`${label}: name of ${name}`}
              placeholder="name"
              value={row.name}
              disabled={readOnly}
              onChange={(event) => patch(index, { name: event.target.value })}
            />
            <select
              className="cairn-inspector__input"
              data-testid={`schema-field-type-${index}`}
              aria-label={`${label}: type of ${name}`}
              value={row.type}
              disabled={readOnly}
              onChange={(event) => patch(index, { type: event.target.value as FieldType })}
            >
              {FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
            <label className="cairn-inspector__check" title="Required">
              <input
                type="checkbox"
                data-testid={`schema-field-required-${index}`}
                aria-label={`${label}: ${name} is required`}
                checked={row.required}
                disabled={readOnly}
                onChange={(event) => patch(index, { required: event.target.checked })}
              />
              req.
            </label>
            <button
              type="button"
              className="cairn-inspector__icon-button"
              data-testid={`schema-field-remove-${index}`}
              aria-label={`Remove ${name}`}
              disabled={readOnly}
              onClick={() => update(rows.filter((_, i) => i !== index))}
            >
              ×
            </button>
            <input
              type="text"
              className="cairn-inspector__input cairn-inspector__schema-description"
              data-testid={`schema-field-description-${index}`}
              aria-label={`${label}: description of ${name}`}
              placeholder="description"
              value={row.description}
              disabled={readOnly}
              onChange={(event) => patch(index, { description: event.target.value })}
            />
            {extra.length > 0 && (
              <span className="cairn-inspector__tag" title="Kept as they are; edit them as JSON">
                also {extra.join(', ')}
              </span>
            )}
          </div>
        );
      })}
      {problems.length > 0 && (
        <p className="cairn-inspector__problem" data-testid="schema-draft-problem">
          {problems.join('; ')}
        </p>
      )}
      <button
        type="button"
        className="cairn-inspector__link-button"
        data-testid="schema-field-add"
        disabled={readOnly}
        onClick={() => setRows([...rows, { name: '', type: 'string', required: false, description: '', extra: {} }])}
      >
        + Add field
      </button>
    </div>
  );
}

const rawText = (stored: unknown) => ({ text: JSON.stringify(stored ?? {}, null, 2), problem: '' });

/** Raw JSON, saved whenever it parses to an object; whether it compiles is the field's problem to show. */
function RawSchema({ label, value, onChange }: WidgetProps) {
  const { readOnly } = useInspector();
  const [draft, setDraft] = useDraft(value, rawText);
  const change = (text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return setDraft({ text, problem: `not valid JSON: ${(error as Error).message}` });
    }
    if (!isRecord(parsed)) return setDraft({ text, problem: 'a JSON Schema must be an object' });
    setDraft({ text, problem: '' }, { value: parsed });
    onChange(parsed);
  };
  return (
    <>
      <textarea
        className="cairn-inspector__input cairn-inspector__code"
        data-testid="schema-raw"
        aria-label={`${label} as JSON`}
        rows={8}
        spellCheck={false}
        value={draft.text}
        disabled={readOnly}
        onChange={(event) => change(event.target.value)}
      />
      {draft.problem && (
        <p className="cairn-inspector__problem" data-testid="schema-draft-problem">
          {draft.problem}
        </p>
      )}
    </>
  );
}
