// The editor's "Ask AI" drawer. After a description became this draft, it reviews what was added
// (one line per node, read from the graph). An instruction ("add a reminder after 2 days") asks the
// model for a change to the graph shown, which the server keeps inside what the instruction concerns;
// the change is put on the canvas as one undo step and listed as a diff to accept or reject —
// rejecting takes exactly that step back.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { reviewLines, type ReviewLine } from '../../../shared/describe/review-lines.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { useTRPC } from '../../app/trpc.js';
import { useLegibleFit } from '../../canvas/use-legible-fit.js';
import { DiffList } from '../DiffList.js';
import type { EditorStore } from '../editor.store.js';
import { diffGraphs } from '../graph-diff.js';
import './ai.css';

interface Proposal {
  base: Graph;
  proposed: Graph;
  lines: ReviewLine[];
  repairs: number;
}

export function AskAiDrawer(props: { store: EditorStore; review: boolean; onReviewed: () => void; onClose: () => void }) {
  const { store } = props;
  const trpc = useTRPC();
  const fit = useLegibleFit();
  const graph = useStore(store, (state) => state.graph);
  const status = useQuery(trpc.ai.describe.status.queryOptions());
  const [instruction, setInstruction] = useState('');
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const review = useMemo(() => (props.review ? reviewLines(graph) : []), [props.review, graph]);
  const change = useMutation(trpc.ai.describe.change.mutationOptions());
  const diff = useMemo(() => (proposal ? diffGraphs(proposal.base, proposal.proposed) : null), [proposal]);

  const ask = () => {
    const state = store.getState();
    setNotice(null);
    const base = state.graph;
    change.mutate(
      { graph: base, instruction, focus: state.selection.nodes },
      {
        onSuccess: (result) => {
          // One undo step: the whole reply, however many nodes it touches.
          store.getState().replaceGraph(result.graph);
          setProposal({ base, proposed: store.getState().graph, lines: result.lines, repairs: result.repairs });
          // What changed is selected and brought into view once the canvas has drawn it.
          const touched = [...result.added, ...result.changed];
          if (touched.length) {
            store.getState().select({ nodes: touched });
            requestAnimationFrame(() => fit({ duration: 300, focus: touched }));
          }
        },
      },
    );
  };
  const reject = () => {
    if (!proposal) return;
    // The proposal is the newest step: undo takes it back exactly. Edited since: put the base back as a step of its own.
    if (store.getState().graph === proposal.proposed) store.temporal.getState().undo();
    else store.getState().replaceGraph(proposal.base);
    store.getState().select({ nodes: [] });
    setProposal(null);
    setNotice('Rejected: the draft is as it was.');
  };
  const accept = () => {
    setProposal(null);
    setInstruction('');
    setNotice('Accepted. Undo takes the whole change back.');
  };

  return (
    <aside className="cairn-ai-drawer" data-testid="ask-ai-drawer" aria-label="Ask AI">
      <header>
        <h3>Ask AI</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={props.onClose} aria-label="Close Ask AI">
          ✕
        </button>
      </header>
      {status.data && !status.data.configured && (
        <p className="cairn-ai-note" data-testid="ai-not-configured">
          {status.data.hint}
        </p>
      )}
      {props.review && (
        <section data-testid="ai-review" aria-label="What the model added">
          <h4>Drafted from your description — review each node</h4>
          <ol className="cairn-ai-review">
            {review.map((line) => (
              <li key={line.nodeId} data-testid={`ai-review-line-${line.nodeId}`}>
                <span className="cairn-ai-review__kind">{line.kind}</span> {line.text}
              </li>
            ))}
          </ol>
          <p className="cairn-ai-note">This draft is not published. Check it, run its scenario, then publish.</p>
          <button type="button" className="cairn-button cairn-button--small" onClick={props.onReviewed} data-testid="ai-review-close">
            Done reviewing
          </button>
        </section>
      )}
      {status.data?.configured && (
        <form
          className="cairn-ai-drawer__actions"
          onSubmit={(event) => {
            event.preventDefault();
            if (instruction.trim() && !proposal) ask();
          }}
        >
          <textarea
            rows={3}
            value={instruction}
            onChange={(event) => setInstruction(event.target.value)}
            placeholder="Add a reminder after 2 days"
            aria-label="Instruction"
            data-testid="ai-instruction"
            disabled={change.isPending || proposal !== null}
            maxLength={5_000}
          />
          <button type="submit" className="cairn-button cairn-button--primary" disabled={!instruction.trim() || change.isPending || proposal !== null} data-testid="ai-ask">
            {change.isPending ? 'Asking the model…' : 'Propose a change'}
          </button>
          <span className="cairn-ai-note">Only the nodes the instruction names (or you selected) may change; new nodes may be added.</span>
        </form>
      )}
      {change.error && (
        <p className="cairn-error" role="alert" data-testid="ai-error">
          {change.error.message}
        </p>
      )}
      {proposal && diff && (
        <section className="cairn-ai-proposal" data-testid="ai-proposal" aria-label="Proposed change">
          <h4>
            Proposed change{proposal.repairs > 0 ? ` (after ${proposal.repairs} repair turn${proposal.repairs > 1 ? 's' : ''})` : ''}
          </h4>
          <ul className="cairn-ai-review">
            {proposal.lines.map((line) => (
              <li key={line.nodeId}>{line.text}</li>
            ))}
          </ul>
          <DiffList diff={diff} before="draft" after="proposal" testId="ai-diff" />
          <div className="cairn-ai-drawer__actions">
            <button type="button" className="cairn-button cairn-button--primary" onClick={accept} data-testid="ai-accept">
              Accept
            </button>
            <button type="button" className="cairn-button" onClick={reject} data-testid="ai-reject">
              Reject
            </button>
          </div>
        </section>
      )}
      {notice && (
        <p className="cairn-ai-note" role="status" data-testid="ai-notice">
          {notice}
        </p>
      )}
    </aside>
  );
}
