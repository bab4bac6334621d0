// What an unfinished run waits on — a timer, a retry back-off, a signal, an approval or a child run —
// at which node, and until when, with a live countdown.
import { Link } from 'wouter';
import { countdown } from '../ui/time.js';
import { absoluteTime, shortId, WAIT_KIND_LABELS } from './run-format.js';
import type { WaitingOn } from './run-types.js';
import './run-detail.css';

export function WaitingOnPanel(props: { waits: WaitingOn[]; now: number; nodeLabel(nodeId: string): string; onSelect(nodeId: string): void; onSignal?: (name: string) => void }) {
  return (
    <section className="cairn-waiting" aria-label="Waiting on" data-testid="waiting-on">
      <h2 className="cairn-waiting__title">Waiting on</h2>
      <ul className="cairn-waiting__list">
        {props.waits.map((wait, index) => {
          const left = wait.until ? countdown(wait.until, props.now) : null;
          return (
            <li key={`${wait.nodeId}-${index}`} className="cairn-waiting__item">
              <button type="button" className="cairn-node-chip cairn-node-chip--button cairn-node-chip--current" onClick={() => props.onSelect(wait.nodeId)}>
                {props.nodeLabel(wait.nodeId)}
              </button>
              <span className="cairn-waiting__kind">{WAIT_KIND_LABELS[wait.kind] ?? wait.kind}</span>
              <span className="cairn-waiting__sep" aria-hidden="true">·</span>
              <WaitDetail wait={wait} onSignal={props.onSignal} />
              {wait.until && left && (
                <span className="cairn-waiting__until">
                  until <time dateTime={wait.until}>{absoluteTime(wait.until)}</time>{' '}
                  <span className={left.overdue ? 'cairn-countdown cairn-countdown--due' : 'cairn-countdown'} data-testid="waiting-countdown">
                    {left.text}
                  </span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function WaitDetail({ wait, onSignal }: { wait: WaitingOn; onSignal?: (name: string) => void }) {
  if (wait.kind === 'signal' && wait.on) {
    return (
      <span className="cairn-waiting__on">
        <code>{wait.on}</code>
        {onSignal && (
          <button type="button" className="cairn-link-button" onClick={() => onSignal(wait.on!)} data-testid="waiting-send-signal">
            Send it…
          </button>
        )}
      </span>
    );
  }
  if (wait.kind === 'approval') {
    return (
      <span className="cairn-waiting__on">
        a decision in the <Link href="/inbox">inbox</Link>
      </span>
    );
  }
  if (wait.kind === 'child' && wait.on) {
    return (
      <span className="cairn-waiting__on">
        <Link href={`/runs/${wait.on}`}>run {shortId(wait.on)}</Link>
      </span>
    );
  }
  if (wait.kind === 'retry') return <span className="cairn-waiting__on cairn-muted">the next attempt</span>;
  return null;
}
