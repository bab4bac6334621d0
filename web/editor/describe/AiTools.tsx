// The editor bar's AI buttons — "Ask AI" and "Evals" — and the drawer each opens. A draft just made
// from a description (the workflows page opens it with ?review=ai) starts with Ask AI's review open.
import { useState } from 'react';
import type { EditorStore } from '../editor.store.js';
import { EvalsDrawer } from '../evals/EvalsDrawer.js';
import { AskAiDrawer } from './AskAiDrawer.js';

const fromDescription = () => new URLSearchParams(window.location.search).get('review') === 'ai';

export function AiTools(props: { slug: string; store: EditorStore; disabled: boolean }) {
  const [open, setOpen] = useState<'ask' | 'evals' | null>(() => (fromDescription() ? 'ask' : null));
  const [review, setReview] = useState(fromDescription);
  const toggle = (drawer: 'ask' | 'evals') => setOpen((current) => (current === drawer ? null : drawer));
  const reviewed = () => {
    setReview(false);
    window.history.replaceState(null, '', window.location.pathname);
  };
  return (
    <>
      <button type="button" className="cairn-button" onClick={() => toggle('ask')} disabled={props.disabled} data-testid="ask-ai-button" aria-pressed={open === 'ask'} title="Change the draft by instruction">
        Ask AI
      </button>
      <button type="button" className="cairn-button" onClick={() => toggle('evals')} data-testid="evals-button" aria-pressed={open === 'evals'} title="Eval sets of the AI nodes">
        Evals
      </button>
      {open === 'ask' && <AskAiDrawer store={props.store} review={review} onReviewed={reviewed} onClose={() => setOpen(null)} />}
      {open === 'evals' && <EvalsDrawer slug={props.slug} store={props.store} onClose={() => setOpen(null)} />}
    </>
  );
}
