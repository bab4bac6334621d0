// "Describe a workflow" on the workflows page: a description in words becomes a new draft (never
// published) that opens in the editor with a review of what was added. Without a model configured
// the box says how to configure one instead.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { useTRPC } from '../app/trpc.js';
import '../editor/describe/ai.css';

/** The server refuses more (ai.router.ts); the box says so before sending. */
const MAX_DESCRIPTION = 20_000;

export function DescribeBox() {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const [text, setText] = useState('');
  const status = useQuery(trpc.ai.describe.status.queryOptions());
  const create = useMutation(trpc.ai.describe.create.mutationOptions({ onSuccess: (result) => navigate(`/workflows/${result.slug}?review=ai`) }));
  if (!status.data) return null;
  if (!status.data.configured) {
    return (
      <section className="cairn-ai-box" aria-label="Describe a workflow">
        <h2>Describe a workflow</h2>
        <p className="cairn-muted" data-testid="describe-not-configured">
          {status.data.hint}
        </p>
      </section>
    );
  }
  const tooLong = text.length > MAX_DESCRIPTION;
  return (
    <form
      className="cairn-ai-box"
      aria-label="Describe a workflow"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() && !tooLong) create.mutate({ description: text });
      }}
    >
      <h2>Describe a workflow</h2>
      <textarea
        className="cairn-ai-box__text"
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={4}
        placeholder="When an expense report is submitted: notify the manager, wait for approval (7 days), …"
        data-testid="describe-text"
        aria-label="Description"
        disabled={create.isPending}
      />
      <div className="cairn-ai-box__row">
        <button type="submit" className="cairn-button cairn-button--primary" disabled={!text.trim() || tooLong || create.isPending} data-testid="describe-submit">
          {create.isPending ? 'Asking the model…' : 'Create a draft'}
        </button>
        <span className="cairn-muted">The model's draft is checked like any draft and never published by itself (model: {status.data.model}).</span>
      </div>
      {tooLong && <p className="cairn-error" role="alert">The description is {text.length.toLocaleString('en')} characters; at most {MAX_DESCRIPTION.toLocaleString('en')}.</p>}
      {create.error && (
        <p className="cairn-error" role="alert" data-testid="describe-error">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
