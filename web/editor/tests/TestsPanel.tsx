// The editor's Tests panel: the workflow's scenarios with their last outcome (the path of the one
// picked painted on the canvas, a failing one's expectations explained), run one or all against the
// draft, the coverage overlay, a new scenario from the form or from a real run, the setting that makes
// failing scenarios block publish, and "run to here".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useStore } from 'zustand';
import { useTRPC, useTRPCClient } from '../../app/trpc.js';
import { describeError, type ErrorReport } from '../../ui/api-errors.js';
import { ErrorNotice } from '../../ui/ErrorNotice.js';
import type { EditorStore } from '../editor.store.js';
import { RunToHere } from './RunToHere.js';
import { SaveRunForm } from './SaveRunForm.js';
import { ScenarioForm } from './ScenarioForm.js';
import type { SuiteOutcome, TestsStore } from './tests.store.js';
import './tests.css';

export function TestsPanel({ slug, store, tests, onClose }: { slug: string; store: EditorStore; tests: TestsStore; onClose(): void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const listed = useQuery(trpc.tests.list.queryOptions({ slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tests.list.queryKey({ slug }) });
  const suite = useStore(tests, (state) => state.suite);
  const shown = useStore(tests, (state) => state.shown);
  const coverage = useStore(tests, (state) => state.coverage);
  const [creating, setCreating] = useState<'form' | 'run' | null>(null);
  const [error, setError] = useState<ErrorReport | null>(null);
  const [formError, setFormError] = useState<ErrorReport | null>(null);

  const running = useMutation({
    mutationFn: (names?: string[]) => client.tests.run.mutate({ slug, names }),
    onMutate: () => setError(null),
    onSuccess: (outcome, names) => {
      const merged: SuiteOutcome = names && suite ? { ...outcome, results: [...suite.results.filter((old) => !names.includes(old.name)), ...outcome.results], coverage: suite.coverage } : outcome;
      tests.getState().setSuite(merged);
      tests.getState().setTrial(null);
    },
    onError: (thrown) => setError(describeError(thrown)),
  });
  const saving = useMutation({
    mutationFn: (scenario: Record<string, unknown>) => client.tests.save.mutate({ slug, name: String(scenario.name ?? ''), scenario }),
    onMutate: () => setFormError(null),
    onSuccess: () => {
      setCreating(null);
      void refresh();
    },
    onError: (thrown) => setFormError(describeError(thrown)),
  });
  const removing = useMutation({ mutationFn: (name: string) => client.tests.remove.mutate({ slug, name }), onSuccess: () => void refresh(), onError: (thrown) => setError(describeError(thrown)) });
  const setting = useMutation({ mutationFn: (on: boolean) => client.tests.setRequirePassing.mutate({ slug, on }), onSuccess: () => void refresh(), onError: (thrown) => setError(describeError(thrown)) });

  const scenarios = listed.data?.scenarios ?? [];
  const outcomeOf = (name: string) => suite?.results.find((result) => result.name === name);
  const covered = suite?.coverage;

  return (
    <aside className="cairn-drawer cairn-tests" data-testid="tests-panel" aria-label="Tests">
      <header>
        <h3>Tests</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={onClose} aria-label="Close tests">
          ✕
        </button>
      </header>
      <label className="cairn-tests__check" title="Publishing runs every scenario on the draft first; one that fails refuses the publish">
        <input type="checkbox" checked={listed.data?.requirePassing ?? false} disabled={!listed.data || setting.isPending} onChange={(event) => setting.mutate(event.target.checked)} data-testid="tests-require-passing" /> Failing scenarios block publish
      </label>
      <div className="cairn-tests__actions">
        <button type="button" className="cairn-button cairn-button--primary" disabled={scenarios.length === 0 || running.isPending} onClick={() => running.mutate(undefined)} data-testid="tests-run-all">
          {running.isPending ? 'Running…' : `Run all (${scenarios.length})`}
        </button>
        <button type="button" className="cairn-button" onClick={() => setCreating('form')} data-testid="tests-new">
          New scenario
        </button>
        <button type="button" className="cairn-button" onClick={() => setCreating('run')} data-testid="tests-from-run">
          Save a run…
        </button>
      </div>
      {error && <ErrorNotice report={error} testId="tests-error" />}
      {suite && (
        <p className={`cairn-tests__summary cairn-tests__summary--${suite.failed ? 'failed' : 'passed'}`} data-testid="tests-summary">
          {suite.passed} passed, {suite.failed} failed
        </p>
      )}
      {listed.isLoading && <p className="cairn-muted">Loading…</p>}
      {listed.data && scenarios.length === 0 && <p className="cairn-muted" data-testid="tests-empty">No scenarios yet: write one, or save a real run as one.</p>}
      <ol className="cairn-tests__list">
        {scenarios.map((scenario) => {
          const outcome = outcomeOf(scenario.name);
          const state = outcome ? (outcome.passed ? 'passed' : 'failed') : 'not-run';
          return (
            <li key={scenario.name} className={`cairn-tests__item cairn-tests__item--${state}${shown === scenario.name ? ' cairn-tests__item--shown' : ''}`} data-testid={`scenario-${scenario.name}`} data-state={state}>
              <div className="cairn-tests__row">
                <span className={`cairn-tests__badge cairn-tests__badge--${state}`}>{state === 'not-run' ? 'not run' : state}</span>
                <button type="button" className="cairn-tests__name" onClick={() => tests.getState().show(shown === scenario.name ? null : scenario.name)} disabled={!outcome} title={outcome ? 'Show its path on the canvas' : 'Run it to see its path'}>
                  {scenario.name}
                </button>
                <button type="button" className="cairn-button cairn-button--small" disabled={running.isPending} onClick={() => running.mutate([scenario.name])} data-testid={`scenario-run-${scenario.name}`}>
                  Run
                </button>
                <button type="button" className="cairn-button cairn-button--small" onClick={() => removing.mutate(scenario.name)} aria-label={`Delete ${scenario.name}`}>
                  ✕
                </button>
              </div>
              {outcome && !outcome.passed && (
                <ul className="cairn-tests__failures" data-testid={`scenario-failures-${scenario.name}`}>
                  {outcome.failures.map((failure, index) => (
                    <li key={index}>{failure}</li>
                  ))}
                </ul>
              )}
              {outcome && shown === scenario.name && <p className="cairn-tests__path">Path: {outcome.path.join(' → ') || 'none'}</p>}
            </li>
          );
        })}
      </ol>
      {covered && (
        <section className="cairn-tests__section" aria-label="Coverage" data-testid="tests-coverage">
          <h4>Coverage</h4>
          <p>
            {covered.nodes.reached}/{covered.nodes.total} nodes, {covered.edges.reached}/{covered.edges.total} edges reached
          </p>
          {(covered.nodes.missed.length > 0 || covered.edges.missed.length > 0) && (
            <p className="cairn-tests__missed" data-testid="tests-missed">
              Not reached: {[...covered.nodes.missed, ...covered.edges.missed].join(', ')}
            </p>
          )}
          <label className="cairn-tests__check">
            <input type="checkbox" checked={coverage} onChange={(event) => tests.getState().showCoverage(event.target.checked)} data-testid="tests-show-coverage" /> Show what no scenario reaches on the canvas
          </label>
        </section>
      )}
      <RunToHere slug={slug} store={store} tests={tests} />
      {creating === 'form' && <ScenarioForm graph={store.getState().graph} busy={saving.isPending} error={formError} onSave={(scenario) => saving.mutate(scenario)} onClose={() => setCreating(null)} />}
      {creating === 'run' && (
        <SaveRunForm
          slug={slug}
          onSaved={(name) => {
            setCreating(null);
            void refresh();
            tests.getState().setSuite(suite && { ...suite, results: suite.results.filter((result) => result.name !== name) });
          }}
          onClose={() => setCreating(null)}
        />
      )}
    </aside>
  );
}
