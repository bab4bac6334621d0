// The difference between two graphs as a list to read: each added, removed or changed node and
// edge, and for a changed node every field that differs with both values. Used by the conflict
// dialog (theirs against yours) and the revisions drawer (a revision against the draft).
import { diffEntries, fieldName, formatDiffValue, type GraphDiff } from './graph-diff.js';
import './drafts.css';

export function DiffList(props: { diff: GraphDiff; before: string; after: string; testId?: string }) {
  const entries = diffEntries(props.diff);
  const mark = { added: `only in ${props.after}`, removed: `only in ${props.before}`, changed: 'changed' } as const;
  if (entries.length === 0) {
    return (
      <p className="cairn-muted cairn-difflist__none" data-testid={props.testId}>
        No node, field or edge differs{props.diff.merged.nodes.length ? ' (node positions may)' : ''}.
      </p>
    );
  }
  return (
    <table className="cairn-difflist" data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{capitalize(props.before)}</th>
          <th scope="col">{capitalize(props.after)}</th>
        </tr>
      </thead>
      {entries.map((entry) => (
        <tbody key={entry.id} data-testid={`diff-entry-${entry.id}`} data-mark={entry.mark}>
          <tr className="cairn-difflist__entry">
            <th scope="rowgroup" colSpan={3}>
              <span className={`cairn-difflist__mark cairn-difflist__mark--${entry.mark}`}>{mark[entry.mark as keyof typeof mark] ?? entry.mark}</span>
              <span className="cairn-difflist__title">{entry.title}</span>
            </th>
          </tr>
          {entry.fields.map((field) => (
            <tr key={field.path} data-testid={`diff-field-${entry.id}-${field.path}`}>
              <td className="cairn-difflist__field">{fieldName(field.path)}</td>
              <td className="cairn-difflist__before" title={fullValue(field.before)}>
                {formatDiffValue(field.before)}
              </td>
              <td className="cairn-difflist__after" title={fullValue(field.after)}>
                {formatDiffValue(field.after)}
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The whole value, for the tooltip of a clipped one. */
const fullValue = (value: unknown) => (value === undefined ? 'absent' : typeof value === 'string' ? value : JSON.stringify(value, null, 2));
