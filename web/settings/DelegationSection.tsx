// "Away until…, my tasks go to…": the signed-in person's delegations (made by them, or naming them as
// the delegate), a form for a new one and revoking. The server checks everything (oneself, unknown
// users, overlaps, loops) and its refusal is shown as it words it.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useTRPC, type AppRouter } from '../app/trpc.js';
import { describeError, type ErrorReport } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { dateTimeText } from '../ui/time.js';
import './delegation.css';

type Delegation = inferRouterOutputs<AppRouter>['delegations']['list'][number];

/** A datetime-local value (the browser's local time) as ISO 8601; null when empty or not a time. */
function isoOf(local: string): string | null {
  if (!local) return null;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

export function DelegationSection({ me, notify }: { me: string; notify(message: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const delegations = useQuery(trpc.delegations.list.queryOptions());
  const [to, setTo] = useState('');
  const [until, setUntil] = useState('');
  const [problem, setProblem] = useState<ErrorReport | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.delegations.pathFilter());
  const create = useMutation(
    trpc.delegations.create.mutationOptions({
      onSuccess: async (made) => {
        await refresh();
        setTo('');
        setUntil('');
        notify(`Your tasks go to ${made.toUser} until ${dateTimeText(made.endsAt)}`);
      },
      onError: (error) => setProblem(describeError(error)),
    }),
  );
  const revoke = useMutation(trpc.delegations.revoke.mutationOptions({ onSuccess: async (revoked) => (await refresh(), notify(`Delegation to ${revoked.toUser} revoked`)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const iso = isoOf(until);
    if (!to.trim()) return setProblem({ message: 'Name the person who decides for you while you are away.', problems: [] });
    if (!iso) return setProblem({ message: 'Choose when you are back: the delegation ends then.', problems: [] });
    create.mutate({ to: to.trim(), until: iso });
  };

  const list: Delegation[] = delegations.data ?? [];
  return (
    <section className="cairn-card cairn-settings__section" aria-labelledby="delegation-heading" data-testid="delegation-section">
      <div className="cairn-settings__head">
        <div>
          <h2 id="delegation-heading">Delegation</h2>
          <p className="cairn-muted">While you are away, the person you name sees and decides your approval tasks, on your behalf; the record says so.</p>
        </div>
      </div>
      <form className="cairn-delegation__form" onSubmit={submit} data-testid="delegation-form" noValidate>
        <label>
          <span>Delegate to</span>
          <input className="cairn-input" value={to} onChange={(event) => setTo(event.target.value)} placeholder="user name" maxLength={200} data-testid="delegation-to" />
        </label>
        <label>
          <span>Until</span>
          <input className="cairn-input" type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} data-testid="delegation-until" />
        </label>
        <button type="submit" className="cairn-button cairn-button--primary cairn-button--small" disabled={create.isPending} data-testid="delegation-submit">
          {create.isPending ? 'Saving…' : 'Delegate my tasks'}
        </button>
      </form>
      {problem && <ErrorNotice report={problem} testId="delegation-error" />}
      {delegations.isError && <ErrorNotice report={describeError(delegations.error)} testId="delegations-error" />}
      <ul className="cairn-delegation__list" data-testid="delegation-list">
        {!delegations.isPending && list.length === 0 && <li className="cairn-muted">No delegations.</li>}
        {list.map((delegation) => (
          <li key={delegation.id} data-testid={`delegation-${delegation.fromUser}-${delegation.toUser}`}>
            <span>
              {delegation.fromUser === me ? (
                <>
                  Your tasks go to <strong>{delegation.toUser}</strong>
                </>
              ) : (
                <>
                  You decide for <strong>{delegation.fromUser}</strong>
                </>
              )}{' '}
              <span className="cairn-muted">
                {delegation.active ? 'now' : `from ${dateTimeText(delegation.startsAt)}`} until {dateTimeText(delegation.endsAt)}
              </span>
            </span>
            {delegation.fromUser === me && (
              <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={() => revoke.mutate({ id: delegation.id })} data-testid={`revoke-delegation-${delegation.toUser}`}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
