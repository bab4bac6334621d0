// "Run to here": the draft as it is in the editor runs as a test run up to the selected node (on the
// scenario runner's virtual clock: waits skipped, approvals approved, awaited signals sent), with the
// input of your choice and the actions real or stubbed; each node's input and output appear on the canvas.
import { useState } from 'react';
import { useStore } from 'zustand';
import { useTRPCClient } from '../../app/trpc.js';
import { describeError, type ErrorReport } from '../../ui/api-errors.js';
import { ErrorNotice } from '../../ui/ErrorNotice.js';
import type { EditorStore } from '../editor.store.js';
import type { TestsStore, TrialOutcome } from './tests.store.js';

function parse(text: string, what: string): { value?: unknown; error?: string } {
  if (!text.trim()) return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${what} is not JSON: ${(error as Error).message}` };
  }
}

export function RunToHere({ slug, store, tests }: { slug: string; store: EditorStore; tests: TestsStore }) {
  const client = useTRPCClient();
  const selected = useStore(store, (state) => (state.selection.nodes.length === 1 ? state.selection.nodes[0] : null));
  const trial = useStore(tests, (state) => state.trial);
  const [input, setInput] = useState('{}');
  const [stub, setStub] = useState(false);
  const [stubResult, setStubResult] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorReport | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  const run = async () => {
    if (!selected) return;
    const given = parse(input, 'The input');
    const stubbed = stub ? parse(stubResult, 'The stub result') : { value: undefined };
    setFieldError(given.error ?? stubbed.error ?? null);
    if (given.error || stubbed.error) return;
    setBusy(true);
    setError(null);
    const graph = store.getState().graph;
    try {
      const result = await client.tests.runToHere.mutate({ slug, graph, untilNode: selected, input: given.value ?? {}, ...(stub ? { stubResult: { value: stubbed.value ?? null } } : {}) });
      tests.getState().setTrial({ ...(result as Omit<TrialOutcome, 'untilNode' | 'graph'>), untilNode: selected, graph });
      tests.getState().show(null);
      tests.getState().showCoverage(false);
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cairn-tests__section" aria-label="Run to here" data-testid="run-to-here">
      <h4>Run to here</h4>
      <p className="cairn-muted cairn-tests__hint">{selected ? <>Runs the draft from the start to <code>{selected}</code>.</> : 'Select one node on the canvas to run the draft up to it.'}</p>
      <label className="cairn-field">
        <span className="cairn-field__label">Input (JSON)</span>
        <textarea className="cairn-input cairn-input--mono" rows={2} value={input} onChange={(event) => setInput(event.target.value)} data-testid="run-to-here-input" aria-invalid={Boolean(fieldError?.startsWith('The input'))} />
      </label>
      <label className="cairn-tests__check">
        <input type="checkbox" checked={stub} onChange={(event) => setStub(event.target.checked)} data-testid="run-to-here-stub" /> Stub every action (steps answer the result below; otherwise actions run for real)
      </label>
      {stub && <input className="cairn-input cairn-input--mono" value={stubResult} onChange={(event) => setStubResult(event.target.value)} aria-label="Stub result (JSON)" data-testid="run-to-here-stub-result" />}
      {fieldError && <p className="cairn-field__error" data-testid="run-to-here-field-error">{fieldError}</p>}
      <div className="cairn-tests__actions">
        <button type="button" className="cairn-button cairn-button--primary" disabled={!selected || busy} onClick={() => void run()} data-testid="run-to-here-go">
          {busy ? 'Running…' : selected ? `Run to ${selected}` : 'Run to here'}
        </button>
        {trial && (
          <button type="button" className="cairn-button" onClick={() => tests.getState().setTrial(null)} data-testid="run-to-here-clear">
            Clear results
          </button>
        )}
      </div>
      {error && <ErrorNotice report={error} testId="run-to-here-error" />}
      {trial && (
        <div className="cairn-tests__trial" data-testid="run-to-here-summary">
          <strong>{trial.reached ? `Reached ${trial.untilNode}` : `Did not reach ${trial.untilNode}`}</strong>
          {trial.error && <span className="cairn-tests__failure"> — {trial.error}</span>}
          {trial.notes.length > 0 && (
            <ul className="cairn-tests__notes">
              {trial.notes.map((note, index) => (
                <li key={index}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
