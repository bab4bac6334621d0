// The editor's Evals drawer: each AI node's eval set (cases as JSON: vars, and what the answer must
// satisfy — fields, a JSONata assertion, a schema — with an optional threshold that gates
// publishing), "Run evals" on the saved draft against the configured models, the results, and the
// newest score of the draft and of each version.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { EvalReport } from '../../../shared/evals/eval-report.js';
import type { EvalSet } from '../../../shared/evals/eval-set.schema.js';
import { useTRPC } from '../../app/trpc.js';
import type { EditorStore } from '../editor.store.js';
import { EvalResults } from './EvalResults.js';
import '../describe/ai.css';

const TEMPLATE = { threshold: 0.8, cases: [{ name: 'a first case', vars: {}, expect: { fields: {} } }] };

const setText = (set: EvalSet | undefined) => {
  if (!set) return JSON.stringify(TEMPLATE, null, 2);
  const { node: _node, ...rest } = set;
  return JSON.stringify(rest, null, 2);
};

export function EvalsDrawer(props: { slug: string; store: EditorStore; onClose: () => void }) {
  const { slug, store } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const aiNodes = useStore(store, (state) => state.graph.nodes.filter((node) => node.kind === 'ai').map((node) => node.id).join('\n')).split('\n').filter(Boolean);
  const selected = useStore(store, (state) => state.selection.nodes[0]);
  const [node, setNode] = useState<string | undefined>(aiNodes.includes(selected ?? '') ? selected : aiNodes[0]);
  const list = useQuery(trpc.ai.evals.list.queryOptions({ slug }));
  const stored = list.data?.sets.find((set) => set.node === node);
  const [text, setTextValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setTextValue(setText(stored)), [stored, node]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.ai.evals.list.queryKey({ slug }) });
  const save = useMutation(trpc.ai.evals.put.mutationOptions({ onSuccess: () => (setError(null), void refresh()), onError: (failure) => setError(failure.message) }));
  const run = useMutation(trpc.ai.evals.run.mutationOptions({ onSuccess: () => void refresh() }));
  // A version's own run (its frozen sets on its graph): shown in the scores per version.
  const runVersion = useMutation(trpc.ai.evals.run.mutationOptions({ onSuccess: () => void refresh() }));

  const submit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (failure) {
      return setError(`The set is not JSON: ${(failure as Error).message}`);
    }
    save.mutate({ slug, set: parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...parsed, node } : parsed });
  };

  return (
    <aside className="cairn-ai-drawer" data-testid="evals-drawer" aria-label="Evals">
      <header>
        <h3>Evals</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={props.onClose} aria-label="Close evals">
          ✕
        </button>
      </header>
      {aiNodes.length === 0 ? (
        <p className="cairn-ai-note">This workflow has no AI node. Eval sets belong to AI nodes.</p>
      ) : (
        <>
          <label className="cairn-ai-drawer__actions">
            AI node
            <select value={node} onChange={(event) => setNode(event.target.value)} data-testid="eval-node">
              {aiNodes.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
            {!stored && <span className="cairn-ai-note">no set yet</span>}
          </label>
          <textarea className="cairn-ai-drawer__code" rows={12} value={text} onChange={(event) => setTextValue(event.target.value)} aria-label="Eval set (JSON)" data-testid="eval-set-json" spellCheck={false} />
          <p className="cairn-ai-note">
            Each case: <code>name</code>, <code>vars</code> (the node's variables) and <code>expect</code> — <code>fields</code> (exact values), <code>assert</code> (JSONata over answer, vars, input) or <code>schema</code>. A <code>threshold</code> (0 to 1) blocks publishing below it.
          </p>
          <div className="cairn-ai-drawer__actions">
            <button type="button" className="cairn-button" onClick={submit} disabled={save.isPending || !node} data-testid="eval-save">
              Save set
            </button>
            <button type="button" className="cairn-button cairn-button--primary" onClick={() => run.mutate({ slug })} disabled={run.isPending || !list.data?.sets.length} data-testid="eval-run">
              {run.isPending ? 'Running…' : 'Run evals'}
            </button>
            <span className="cairn-ai-note">Runs on the saved draft.</span>
          </div>
          {save.isSuccess && !error && <p className="cairn-ai-note" data-testid="eval-saved">Saved.</p>}
          {error && (
            <p className="cairn-error" role="alert" data-testid="eval-error">
              {error}
            </p>
          )}
        </>
      )}
      {run.error && (
        <p className="cairn-error" role="alert" data-testid="eval-run-error">
          {run.error.message}
        </p>
      )}
      {run.data && (
        <EvalResults
          report={run.data.report as EvalReport}
          compare={runVersion.data && runVersion.data.run.version !== null ? { version: runVersion.data.run.version, run: runVersion.data.run } : run.data.compare}
          onRunVersion={(version) => runVersion.mutate({ slug, version })}
          runningVersion={runVersion.isPending}
        />
      )}
      {runVersion.error && (
        <p className="cairn-error" role="alert">
          {runVersion.error.message}
        </p>
      )}
      {list.data && list.data.versions.length > 0 && (
        <section aria-label="Scores per version">
          <h4>Scores per version</h4>
          <ul className="cairn-eval-versions" data-testid="eval-versions">
            {list.data.versions.map((entry) => (
              <li key={entry.id}>
                <span>{entry.version === null ? 'draft' : `v${entry.version}`}</span>
                <span>{entry.score}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
