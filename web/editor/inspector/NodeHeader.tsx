// The top of the inspector: the node's kind, its id (renamed on Enter or blur, refusing a malformed or
// taken id) and its label.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { NodeKindSpec } from '../../../shared/nodes/kind.js';
import { nodeIdSchema } from '../../../shared/graph/graph.schema.js';
import type { EditorStore } from '../editor.store.js';
import { useInspector } from './widget-kit.js';
import { NodeIcon } from '../../canvas/NodeIcon.js';

/** Why `newId` cannot replace `nodeId`, or undefined when it can. */
export function renameProblem(nodeIds: readonly string[], nodeId: string, newId: string): string | undefined {
  if (newId === nodeId) return undefined;
  const parsed = nodeIdSchema.safeParse(newId);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid node id';
  if (nodeIds.includes(newId)) return `a node with the id "${newId}" already exists`;
  return undefined;
}

export function NodeHeader({ store, nodeId, spec, kind }: { store: EditorStore; nodeId: string; spec?: NodeKindSpec; kind: string }) {
  const { readOnly } = useInspector();
  const label = useStore(store, (state) => state.graph.nodes.find((node) => node.id === nodeId)?.label ?? '');
  const [draftId, setDraftId] = useState(nodeId);
  const [problem, setProblem] = useState<string>();
  const baseId = useId();
  const idInput = `${baseId}id`;
  const idProblem = `${baseId}id-problem`;
  const labelInput = `${baseId}label`;

  const commitId = () => {
    const newId = draftId.trim();
    const why = renameProblem(
      store.getState().graph.nodes.map((node) => node.id),
      nodeId,
      newId,
    );
    setProblem(why);
    if (!why && newId !== nodeId) store.getState().renameNode(nodeId, newId);
  };
  const revert = () => {
    setDraftId(nodeId);
    setProblem(undefined);
  };

  return (
    <header className="cairn-inspector__header">
      <div className="cairn-inspector__kind" data-testid="inspector-kind" data-kind={kind}>
        <span className="cairn-inspector__icon" data-icon={spec?.icon} data-testid="inspector-kind-icon" aria-hidden="true">
          <NodeIcon name={spec?.icon ?? ''} />
        </span>
        <span className="cairn-inspector__kind-label">{spec?.label ?? `Unknown kind “${kind}”`}</span>
      </div>
      {spec && <p className="cairn-inspector__hint">{spec.description}</p>}
      <div className="cairn-inspector__field">
        <label htmlFor={idInput} className="cairn-inspector__field-title">
          Id
        </label>
        <input
          id={idInput}
          type="text"
          className="cairn-inspector__input cairn-inspector__code"
          data-testid="node-id-input"
          value={draftId}
          disabled={readOnly}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? idProblem : undefined}
          onChange={(event) => {
            setDraftId(event.target.value);
            setProblem(undefined);
          }}
          onBlur={commitId}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commitId();
            if (event.key === 'Escape') revert();
          }}
        />
        {problem && (
          <p id={idProblem} className="cairn-inspector__problem" data-testid="node-id-problem" role="alert">
            {problem}
          </p>
        )}
      </div>
      <div className="cairn-inspector__field">
        <label htmlFor={labelInput} className="cairn-inspector__field-title">
          Label
        </label>
        <input
          id={labelInput}
          type="text"
          className="cairn-inspector__input"
          data-testid="node-label-input"
          value={label}
          placeholder={spec?.label}
          disabled={readOnly}
          onChange={(event) => store.getState().updateNode(nodeId, { label: event.target.value })}
        />
      </div>
    </header>
  );
}
