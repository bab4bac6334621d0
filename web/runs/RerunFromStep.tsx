// "Rerun from a step" on the run page: the links between this run and its reruns (both ways, read from
// history), and for a finished run, rerunning from the selected node — a new run that reuses what this
// one recorded before that node, optionally with a changed input for it (a step's or a subflow's).
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { isFinished, type RunStatus } from '../../shared/runs/status.js';
import { useTRPCClient } from '../app/trpc.js';
import { describeError, type ErrorReport } from '../ui/api-errors.js';
import { Dialog } from '../ui/Dialog.js';
import { shortId } from './run-format.js';

const TAKES_INPUT = new Set(['step', 'subflow']);

function links(history: readonly HistoryEvent[]) {
  const start = history.find((event) => event.type === 'runStarted');
  const of = start?.type === 'runStarted' ? start.data.rerunOf : undefined;
  const reruns = history.flatMap((event) => (event.type === 'rerunStarted' ? [event.data] : []));
  return { of, reruns };
}

export function RerunFromStep(props: { run: { id: string; status: RunStatus }; graph: Graph; history: readonly HistoryEvent[]; selected: string | null; canEdit: boolean; nodeLabel(id: string): string }) {
  const { run, graph, history, selected } = props;
  const client = useTRPCClient();
  const [, navigate] = useLocation();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState('');
  const [onActive, setOnActive] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorReport | null>(null);
  const { of, reruns } = links(history);
  const reached = selected !== null && history.some((event) => event.type === 'nodeEntered' && event.nodeId === selected);
  const node = graph.nodes.find((candidate) => candidate.id === selected);
  const offer = props.canEdit && isFinished(run.status) && reached && node && node.kind !== 'join';
  if (!of && reruns.length === 0 && !offer) return null;

  const rerun = async () => {
    let changed: { input?: unknown } = {};
    if (input.trim()) {
      try {
        changed = { input: JSON.parse(input) };
      } catch (thrown) {
        setError({ message: `The changed input is not JSON: ${(thrown as Error).message}`, problems: [] });
        return;
      }
    }
    setBusy(true);
    setError(null);
    try {
      const started = await client.reruns.start.mutate({ id: run.id, fromNode: selected!, ...changed, ...(onActive ? { onVersion: 'active' as const } : {}) });
      setOpen(false);
      navigate(`/runs/${started.id}`);
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cairn-notice cairn-notice--neutral cairn-rerun" data-testid="rerun-links">
      {of && (
        <span data-testid="rerun-of">
          A rerun of <Link href={`/runs/${of.runId}`}>run {shortId(of.runId)}</Link> from {props.nodeLabel(of.fromNode)}
          {of.reused.length > 0 && <> (reusing {of.reused.map(props.nodeLabel).join(', ')})</>}
          {of.inputChanged && ', with a changed input'}.{' '}
        </span>
      )}
      {reruns.length > 0 && (
        <span data-testid="reruns">
          Rerun as{' '}
          {reruns.map((rerun, index) => (
            <span key={rerun.runId}>
              {index > 0 && ', '}
              <Link href={`/runs/${rerun.runId}`}>run {shortId(rerun.runId)}</Link> (from {props.nodeLabel(rerun.fromNode)})
            </span>
          ))}
          .{' '}
        </span>
      )}
      {offer && (
        <button type="button" className="cairn-button cairn-button--small" onClick={() => setOpen(true)} data-testid="rerun-from-here">
          Rerun from {props.nodeLabel(selected!)}
        </button>
      )}
      {open && selected && node && (
        <Dialog
          title={`Rerun from ${props.nodeLabel(selected)}`}
          description="A new run reuses what this run recorded before this node and continues from it. The nodes before it are not run again."
          submitLabel="Rerun"
          busyLabel="Starting…"
          busy={busy}
          error={error}
          testId="rerun-dialog"
          onSubmit={() => void rerun()}
          onClose={() => setOpen(false)}
        >
          {TAKES_INPUT.has(node.kind) && (
            <label className="cairn-field">
              <span className="cairn-field__label">Changed input (JSON; empty: as the run resolved it)</span>
              <textarea className="cairn-input cairn-input--mono" rows={3} value={input} onChange={(event) => setInput(event.target.value)} data-testid="rerun-input" />
            </label>
          )}
          <label className="cairn-field cairn-field--inline">
            <input type="checkbox" checked={onActive} onChange={(event) => setOnActive(event.target.checked)} data-testid="rerun-on-active" /> On the workflow's active version (its node ids must match)
          </label>
        </Dialog>
      )}
    </div>
  );
}
