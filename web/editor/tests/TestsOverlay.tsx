// Drawn inside the editor's canvas: the picked scenario's path and the coverage overlay (as marks on
// the nodes and edges), and under each node a "run to here" reached, what it was given and what it
// gave — marked stale once an edit upstream means the result no longer holds.
import { useNodes, ViewportPortal } from '@xyflow/react';
import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { markCss, missedEdgeIds, pathEdges, staleNodes } from './overlay-model.js';
import type { NodeRun, TestsStore } from './tests.store.js';

const brief = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? '—' : text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** A step's entry records its action too: the card shows only what it was given. */
const givenOf = (run: NodeRun) => (run.input && typeof run.input === 'object' && 'input' in run.input ? (run.input as { input: unknown }).input : run.input);

export function TestsOverlay({ tests, graph }: { tests: TestsStore; graph: Graph }) {
  const suite = useStore(tests, (state) => state.suite);
  const shown = useStore(tests, (state) => state.shown);
  const coverage = useStore(tests, (state) => state.coverage);
  const trial = useStore(tests, (state) => state.trial);
  const nodes = useNodes();

  const css = useMemo(() => {
    if (coverage && suite?.coverage) {
      const missed = new Set(suite.coverage.nodes.missed);
      const missedEdges = new Set(missedEdgeIds(suite.coverage.edges.missed));
      return markCss({
        nodes: { unreached: [...missed], reached: graph.nodes.map((node) => node.id).filter((id) => !missed.has(id)) },
        edges: { unreached: [...missedEdges], reached: graph.edges.map((edge) => edge.id).filter((id) => !missedEdges.has(id)) },
      });
    }
    const result = suite?.results.find((candidate) => candidate.name === shown);
    if (result) return markCss({ nodes: { path: result.path }, edges: { path: pathEdges(graph, result.path) } });
    if (trial) return markCss({ nodes: { path: trial.path }, edges: { path: pathEdges(graph, trial.path) } });
    return '';
  }, [coverage, suite, shown, trial, graph]);

  const stale = useMemo(() => (trial ? staleNodes(trial.graph, graph) : new Set<string>()), [trial, graph]);

  return (
    <>
      {css && <style data-testid="tests-marks">{css}</style>}
      {trial && (
        <ViewportPortal>
          {nodes
            .filter((node) => trial.nodes[node.id])
            .map((node) => {
              const run = trial.nodes[node.id];
              const old = stale.has(node.id);
              return (
                <div
                  key={node.id}
                  className={`cairn-trial-card cairn-trial-card--${old ? 'stale' : run.state}`}
                  style={{ transform: `translate(${node.position.x}px, ${node.position.y + (node.measured?.height ?? 60) + 8}px)`, width: Math.max(node.measured?.width ?? 180, 200) }}
                  data-testid={`trial-card-${node.id}`}
                  data-stale={old ? 'true' : 'false'}
                >
                  {old && <strong className="cairn-trial-card__stale">Stale: an edit upstream changed this</strong>}
                  <div>
                    <span className="cairn-trial-card__label">in</span> <code>{brief(givenOf(run))}</code>
                  </div>
                  <div>
                    <span className="cairn-trial-card__label">{run.state === 'failed' ? 'error' : run.state === 'waiting' ? 'waits' : `out${run.port ? ` · ${run.port}` : ''}`}</span>{' '}
                    <code data-testid={`trial-output-${node.id}`}>{run.state === 'waiting' ? '…' : brief(run.output)}</code>
                  </div>
                </div>
              );
            })}
        </ViewportPortal>
      )}
    </>
  );
}
