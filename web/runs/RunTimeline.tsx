// A run's history as a timeline: sequence, time (clock and offset from the start), event type, node,
// attempt, and the event's data folded into a JSON viewer. Events of the selected node stand out;
// the list can be narrowed to them.
import { useState } from 'react';
import { JsonView } from './JsonView.js';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { eventLabel, eventTone, portOf } from './history-events.js';
import { absoluteTime, clockTime, formatDuration } from './run-format.js';
import './timeline.css';

const SHOWN_AT_FIRST = 300;

export function RunTimeline(props: { history: readonly HistoryEvent[]; startedAt: string; selected: string | null; nodeLabel(nodeId: string): string; onSelect(nodeId: string): void }) {
  const { history, selected } = props;
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [onlySelected, setOnlySelected] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const start = Date.parse(props.startedAt);
  const filtered = onlySelected && selected ? history.filter((event) => event.nodeId === selected) : history;
  const shown = showAll || filtered.length <= SHOWN_AT_FIRST ? filtered : filtered.slice(-SHOWN_AT_FIRST);
  const toggle = (seq: number) => {
    const next = new Set(open);
    if (next.has(seq)) next.delete(seq);
    else next.add(seq);
    setOpen(next);
  };

  return (
    <section className="cairn-card cairn-timeline" aria-label="History" data-testid="run-timeline">
      <header className="cairn-card__toolbar">
        <h2 className="cairn-section-title">
          History <span className="cairn-muted">{history.length} events</span>
        </h2>
        <div className="cairn-timeline__tools">
          {selected && (
            <label className="cairn-check">
              <input type="checkbox" checked={onlySelected} onChange={(event) => setOnlySelected(event.target.checked)} data-testid="timeline-only-selected" />
              Only <code>{selected}</code>
            </label>
          )}
          <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={() => setOpen(open.size ? new Set() : new Set(shown.filter((event) => event.data !== undefined).map((event) => event.seq)))}>
            {open.size ? 'Collapse all' : 'Expand all'}
          </button>
        </div>
      </header>
      {shown.length < filtered.length && (
        <div className="cairn-timeline__more">
          Showing the last {shown.length} of {filtered.length} events.{' '}
          <button type="button" className="cairn-link-button" onClick={() => setShowAll(true)}>
            Show all
          </button>
        </div>
      )}
      <ol className="cairn-timeline__list">
        {shown.map((event) => {
          const expanded = open.has(event.seq);
          const hasData = event.data !== undefined && event.data !== null;
          const offset = Date.parse(event.at) - start;
          const port = portOf(event);
          const classes = ['cairn-timeline__event', `cairn-timeline__event--${eventTone(event)}`, selected && event.nodeId === selected ? 'cairn-timeline__event--selected' : ''].filter(Boolean).join(' ');
          return (
            <li key={event.seq} className={classes} data-testid={`timeline-event-${event.seq}`} data-type={event.type}>
              <div className="cairn-timeline__row">
                <span className="cairn-timeline__seq">#{event.seq}</span>
                <time className="cairn-timeline__time" dateTime={event.at} title={absoluteTime(event.at)}>
                  {clockTime(event.at)}
                  <span className="cairn-timeline__offset">+{formatDuration(offset)}</span>
                </time>
                <span className="cairn-timeline__dot" aria-hidden="true" />
                <span className="cairn-timeline__type">{eventLabel(event.type)}</span>
                <span className="cairn-timeline__node">
                  {event.nodeId && (
                    <button type="button" className="cairn-node-chip cairn-node-chip--button" onClick={() => props.onSelect(event.nodeId!)} title={`Select ${props.nodeLabel(event.nodeId)}`}>
                      {props.nodeLabel(event.nodeId)}
                    </button>
                  )}
                  {port && <span className="cairn-port"> → {port}</span>}
                  {event.visit !== undefined && event.visit > 1 && <span className="cairn-muted"> visit {event.visit}</span>}
                </span>
                <span className="cairn-timeline__attempt">{event.attempt !== undefined ? `attempt ${event.attempt}` : ''}</span>
                {hasData ? (
                  <button type="button" className="cairn-timeline__toggle" aria-expanded={expanded} onClick={() => toggle(event.seq)} data-testid={`timeline-toggle-${event.seq}`}>
                    {expanded ? 'Hide data' : 'Data'}
                  </button>
                ) : (
                  <span />
                )}
              </div>
              {expanded && hasData && (
                <div className="cairn-timeline__data">
                  <JsonView value={event.data} openDepth={3} />
                </div>
              )}
            </li>
          );
        })}
        {shown.length === 0 && <li className="cairn-timeline__empty cairn-muted">No events{onlySelected ? ' for this node' : ''}.</li>}
      </ol>
    </section>
  );
}
