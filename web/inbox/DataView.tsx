// A value shown for reading: an object as key/value rows (nested values as indented JSON), anything
// else as JSON. Used for a task's data and the form values of a decision.
import './data-view.css';

export function DataView({ value, testId, empty = 'No data' }: { value: unknown; testId?: string; empty?: string }) {
  if (value === null || value === undefined || (isRecord(value) && Object.keys(value).length === 0)) {
    return (
      <p className="cairn-muted cairn-data-view__empty" data-testid={testId}>
        {empty}
      </p>
    );
  }
  if (!isRecord(value)) {
    return (
      <pre className="cairn-data-view__json" data-testid={testId}>
        {JSON.stringify(value, null, 2)}
      </pre>
    );
  }
  return (
    <dl className="cairn-data-view" data-testid={testId}>
      {Object.entries(value).map(([key, item]) => (
        <div key={key} className="cairn-data-view__row">
          <dt>{key}</dt>
          <dd>
            <Scalar value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function Scalar({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="cairn-muted">—</span>;
  if (typeof value === 'string') return <span className="cairn-data-view__text">{value || <span className="cairn-muted">(empty)</span>}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <code className="cairn-data-view__literal">{String(value)}</code>;
  return <pre className="cairn-data-view__json">{JSON.stringify(value, null, 2)}</pre>;
}
