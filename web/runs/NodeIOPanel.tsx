// The side panel of the run detail: the selected node's resolved input (its nodeEntered data), its
// output (the nodeCompleted port and output, else the run's outputs[nodeId]) and its attempts, per
// visit; with no node selected, the run's own input and output.
import { useState } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../shared/nodes/registry.js';
import { JsonBlock } from './JsonView.js';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { eventLabel, eventTone } from './history-events.js';
import { absoluteTime, clockTime } from './run-format.js';
import { nodeRunState, type RunPath } from './run-path.js';
import type { RunDetail } from './run-types.js';
import './node-io.css';

const STATE_LABELS = { current: 'Here now', failed: 'Failed here', stopped: 'Stopped here', visited: 'Visited', unvisited: 'Not reached' } as const;

interface PanelProps {
  detail: RunDetail;
  history: readonly HistoryEvent[];
  graph: Graph;
  path: RunPath;
  nodeId: string | null;
  onClear(): void;
}

export function NodeIOPanel({ detail, history, graph, path, nodeId, onClear }: PanelProps) {
  const node = nodeId ? graph.nodes.find((candidate) => candidate.id === nodeId) : undefined;
  return (
    <aside className="cairn-card cairn-node-io" aria-label="Input and output" data-testid="run-node-io">
      {node ? (
        <NodeIO key={node.id} detail={detail} history={history} node={node} path={path} onClear={onClear} />
      ) : (
        <>
          <header className="cairn-node-io__head">
            <div>
              <h2 className="cairn-section-title">Run input and output</h2>
              <p className="cairn-muted cairn-node-io__hint">Select a node on the canvas or in the history to see its input and output.</p>
            </div>
          </header>
          <div className="cairn-node-io__body">
            <JsonBlock title="Input" value={detail.run.input} testId="run-input-json" />
            <JsonBlock title="Output" value={detail.run.output ?? undefined} empty={detail.run.status === 'completed' ? 'The run ended without an output.' : 'Set when the run completes.'} testId="run-output-json" />
          </div>
        </>
      )}
    </aside>
  );
}

function NodeIO({ detail, history, node, path, onClear }: Omit<PanelProps, 'graph' | 'nodeId'> & { node: Graph['nodes'][number] }) {
  const kind = getNodeKind(node.kind);
  const events = history.filter((event) => event.nodeId === node.id);
  const visits = [...new Set(events.filter((event) => event.type === 'nodeEntered').map((event) => event.visit ?? 1))].sort((a, b) => a - b);
  // Follows the newest visit until one is picked.
  const [pinned, setVisit] = useState<number | null>(null);
  const shownVisit = pinned ?? visits.at(-1);
  const ofVisit = events.filter((event) => (event.visit ?? 1) === shownVisit);
  const entered = ofVisit.find((event) => event.type === 'nodeEntered');
  const completed = ofVisit.find((event): event is Extract<HistoryEvent, { type: 'nodeCompleted' }> => event.type === 'nodeCompleted');
  const completedData: { port?: string; output?: unknown } = completed?.data ?? {};
  const isLastVisit = shownVisit === visits.at(-1);
  const output = completed ? completedData.output : isLastVisit ? detail.outputs[node.id] : undefined;
  const attempts = ofVisit.filter((event) => event.attempt !== undefined && event.type !== 'nodeCompleted');
  const state = nodeRunState(path, node.id);

  return (
    <>
      <header className="cairn-node-io__head">
        <div className="cairn-node-io__title">
          <h2 className="cairn-section-title">{node.label || kind?.label || node.id}</h2>
          <p className="cairn-muted">
            <code>{node.id}</code> · {kind?.label ?? node.kind}
          </p>
        </div>
        <span className={`cairn-node-state cairn-node-state--${state}`} data-testid="node-io-state">
          {STATE_LABELS[state]}
        </span>
        <button type="button" className="cairn-icon-button" aria-label="Back to the run’s input and output" onClick={onClear}>
          ✕
        </button>
      </header>
      <div className="cairn-node-io__body">
        {visits.length > 1 && (
          <div className="cairn-node-io__visits" role="group" aria-label="Visit">
            <span className="cairn-muted">Visit</span>
            {visits.map((number) => (
              <button key={number} type="button" className={`cairn-chip-button${number === shownVisit ? ' cairn-chip-button--active' : ''}`} aria-pressed={number === shownVisit} onClick={() => setVisit(number)}>
                {number}
              </button>
            ))}
          </div>
        )}
        {visits.length === 0 ? (
          <p className="cairn-muted">The run has not entered this node{state === 'unvisited' ? '' : ' yet'}.</p>
        ) : (
          <>
            <JsonBlock title={<>Input {entered && <Timestamp event={entered} />}</>} value={entered?.data ?? undefined} empty="Nothing resolved on entry (this kind takes no input)." testId="node-input-json" />
            <JsonBlock
              title={
                <>
                  Output{' '}
                  {completedData.port && (
                    <span className="cairn-port" data-testid="node-output-port">
                      → {completedData.port}
                    </span>
                  )}{' '}
                  {completed && <Timestamp event={completed} />}
                </>
              }
              value={output}
              empty={state === 'current' ? 'Not finished yet.' : 'No output.'}
              testId="node-output-json"
            />
            {attempts.length > 0 && <Attempts events={attempts} />}
          </>
        )}
      </div>
    </>
  );
}

function Timestamp({ event }: { event: HistoryEvent }) {
  return (
    <time className="cairn-muted cairn-node-io__time" dateTime={event.at} title={absoluteTime(event.at)}>
      #{event.seq} · {clockTime(event.at)}
    </time>
  );
}

function Attempts({ events }: { events: HistoryEvent[] }) {
  return (
    <section className="cairn-json-block">
      <header className="cairn-json-block__head">
        <h4>Attempts</h4>
      </header>
      <ol className="cairn-attempts">
        {events.map((event) => {
          const { error, retryAt } = attemptFacts(event);
          return (
            <li key={event.seq} className={eventTone(event) === 'danger' ? 'cairn-attempts__item cairn-attempts__item--failed' : 'cairn-attempts__item'}>
              <span className="cairn-attempts__number">#{event.attempt}</span>
              <span>
                {eventLabel(event.type)}
                {error?.message && <span className="cairn-attempts__error">: {error.code ? `${error.code} — ` : ''}{error.message}</span>}
                {retryAt && <span className="cairn-muted"> · next attempt {absoluteTime(retryAt)}</span>}
              </span>
              <time className="cairn-muted" dateTime={event.at} title={absoluteTime(event.at)}>
                {clockTime(event.at)}
              </time>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** What an attempt's event says went wrong, and when the next attempt runs. */
function attemptFacts(event: HistoryEvent): { error?: { code?: string; message: string }; retryAt?: string } {
  switch (event.type) {
    case 'stepAttemptFailed':
    case 'compensationAttemptFailed':
      return { error: event.data.error, retryAt: event.data.retryAt };
    case 'stepFailed':
    case 'compensationFailed':
      return { error: event.data.error };
    case 'aiAttemptFailed':
      return { error: { code: event.data.code, message: event.data.message } };
    default:
      return {};
  }
}
