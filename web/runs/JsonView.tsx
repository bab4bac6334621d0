// A small JSON viewer: objects and arrays fold (native <details>, so keyboard and screen readers work),
// primitives are coloured by type, and a block can be copied as pretty-printed JSON.
import { useState, type ReactNode } from 'react';
import './json-view.css';

const MAX_ENTRIES = 200;

export function JsonView({ value, openDepth = 2, testId }: { value: unknown; openDepth?: number; testId?: string }) {
  return (
    <div className="cairn-json" data-testid={testId}>
      <JsonNode value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

/** A titled JSON view with a copy button; `empty` is shown instead when the value is undefined. */
export function JsonBlock(props: { title: ReactNode; value: unknown; empty?: ReactNode; testId?: string; openDepth?: number }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(props.value, null, 2));
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="cairn-json-block" data-testid={props.testId}>
      <header className="cairn-json-block__head">
        <h4>{props.title}</h4>
        {props.value !== undefined && (
          <button type="button" className="cairn-json-block__copy" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
      </header>
      {props.value === undefined ? <p className="cairn-muted cairn-json-block__empty">{props.empty ?? 'Nothing'}</p> : <JsonView value={props.value} openDepth={props.openDepth} />}
    </section>
  );
}

function JsonNode({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const label = name !== undefined && (
    <>
      <span className="cairn-json__key">{name}</span>
      <span className="cairn-json__punct">: </span>
    </>
  );
  if (value === null || typeof value !== 'object') {
    return (
      <div className="cairn-json__row">
        {label}
        <Primitive value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="cairn-json__row">
        {label}
        <span className="cairn-json__punct">{open + close}</span>
      </div>
    );
  }
  const shown = entries.slice(0, MAX_ENTRIES);
  return (
    <details className="cairn-json__node" open={depth < openDepth}>
      <summary className="cairn-json__row">
        {label}
        <span className="cairn-json__punct">{open}</span>
        <span className="cairn-json__preview">
          …{close} <span className="cairn-json__count">{entries.length === 1 ? (isArray ? '1 item' : '1 key') : `${entries.length} ${isArray ? 'items' : 'keys'}`}</span>
        </span>
      </summary>
      <div className="cairn-json__children">
        {shown.map(([key, item]) => (
          <JsonNode key={key} name={key} value={item} depth={depth + 1} openDepth={openDepth} />
        ))}
        {entries.length > shown.length && <div className="cairn-json__more">… {entries.length - shown.length} more</div>}
      </div>
      <span className="cairn-json__punct">{close}</span>
    </details>
  );
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="cairn-json__string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="cairn-json__number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="cairn-json__boolean">{String(value)}</span>;
  if (value === null) return <span className="cairn-json__null">null</span>;
  return <span className="cairn-json__null">undefined</span>;
}
