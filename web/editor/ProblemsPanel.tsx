// The live validation panel: every problem, with its node or edge; clicking one selects its node.
import { useReactFlow } from '@xyflow/react';
import type { Problem } from '../../shared/validate.js';
import type { EditorStore } from './editor.store.js';

export function ProblemsPanel({ store, problems }: { store: EditorStore; problems: Problem[] }) {
  const flow = useReactFlow();
  const focus = (problem: Problem) => {
    const edge = problem.edgeId ? store.getState().graph.edges.find((candidate) => candidate.id === problem.edgeId) : undefined;
    const nodeId = problem.nodeId ?? edge?.source;
    if (nodeId) {
      store.getState().select({ nodes: [nodeId] });
      void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
    } else if (problem.edgeId) {
      store.getState().select({ edges: [problem.edgeId] });
    }
  };
  return (
    <section className="cairn-problems" data-testid="problems">
      <h3>{problems.length === 0 ? 'No problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}</h3>
      <ul>
        {problems.map((problem, index) => (
          <li key={`${problem.code}-${problem.nodeId ?? problem.edgeId ?? ''}-${index}`}>
            <button type="button" onClick={() => focus(problem)} data-testid={`problem-${problem.code}-${problem.nodeId ?? problem.edgeId ?? 'graph'}`}>
              <code>{problem.code}</code> {problem.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
