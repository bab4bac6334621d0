// Key/value rows for an object of inputs (a step's input). String values are templates, checked as
// typed; other JSON values (numbers, objects) are shown and edited as JSON text.
import { checkExpressions } from '../../../shared/expressions.js';
import { ExpressionInput } from './ExpressionInput.js';
import { isRecord } from './config-fields.js';
import { useDraft, useInspector, type WidgetProps } from './widget-kit.js';

export interface ValueRow {
  key: string;
  text: string;
  /** The stored value is not a string: `text` is its JSON. */
  json: boolean;
}

export function toRows(value: unknown): ValueRow[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([key, item]) =>
    typeof item === 'string' ? { key, text: item, json: false } : { key, text: JSON.stringify(item), json: true },
  );
}

export type RowsResult = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

/** The object of the rows; rows without a key are still being written and are left out. */
export function fromRows(rows: readonly ValueRow[]): RowsResult {
  const value: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const row of rows) {
    if (!row.key) continue;
    if (Object.hasOwn(value, row.key)) problems.push(`the key "${row.key}" is used twice`);
    if (!row.json) {
      value[row.key] = row.text;
      continue;
    }
    try {
      value[row.key] = JSON.parse(row.text);
    } catch {
      problems.push(`the value of "${row.key}" is not valid JSON`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

export function ValueMapWidget({ id, testId, label, value, onChange }: WidgetProps) {
  const { readOnly } = useInspector();
  const [rows, setRows] = useDraft(value, toRows);
  const result = fromRows(rows);

  const update = (next: ValueRow[]) => {
    const saved = fromRows(next);
    if (saved.ok) {
      setRows(next, { value: saved.value });
      onChange(saved.value);
    } else {
      setRows(next);
    }
  };
  const patch = (index: number, change: Partial<ValueRow>) => update(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <div className="cairn-inspector__map" id={id} data-testid={testId}>
      {rows.length === 0 && <p className="cairn-inspector__hint">No values.</p>}
      {rows.map((row, index) => {
        const problems = row.json ? [] : checkExpressions(row.text);
        const rowLabel = row.key || `row ${index + 1}`;
        return (
          <div className="cairn-inspector__map-row" key={index}>
            <input
              type="text"
              className="cairn-inspector__input cairn-inspector__map-key"
              data-testid={`${testId}-key-${index}`}
              aria-label={`${label}: key of ${rowLabel}`}
              placeholder="key"
              value={row.key}
              disabled={readOnly}
              onChange={(event) => patch(index, { key: event.target.value })}
            />
            <div className="cairn-inspector__map-value">
              <ExpressionInput
                id={`${id}-value-${index}`}
                testId={`${testId}-value-${index}`}
                label={`${label}: ${rowLabel}`}
                value={row.text}
                mode="template"
                placeholder={row.json ? 'JSON' : 'value or {{ expression }}'}
                onChange={(text) => patch(index, { text: typeof text === 'string' ? text : '' })}
              />
              {row.json && <span className="cairn-inspector__tag" title="This value is JSON, not text">JSON</span>}
            </div>
            <button
              type="button"
              className="cairn-inspector__icon-button"
              data-testid={`${testId}-remove-${index}`}
              aria-label={`Remove ${rowLabel}`}
              disabled={readOnly}
              onClick={() => update(rows.filter((_, i) => i !== index))}
            >
              ×
            </button>
            {problems.length > 0 && (
              <p className="cairn-inspector__problem cairn-inspector__map-problem" data-testid={`${testId}-problem-${index}`}>
                {problems.join('; ')}
              </p>
            )}
          </div>
        );
      })}
      {!result.ok && (
        <p className="cairn-inspector__problem" data-testid={`${testId}-draft-problem`}>
          {result.problems.join('; ')}
        </p>
      )}
      <button
        type="button"
        className="cairn-inspector__link-button"
        data-testid={`${testId}-add`}
        disabled={readOnly}
        onClick={() => setRows([...rows, { key: '', text: '', json: false }])}
      >
        + Add value
      </button>
    </div>
  );
}
