// "Save a run as a scenario": pick one of the workflow's runs and name the scenario; its input,
// signals, decisions, AI answers and action results become the script, its path and output the
// expectations (server/scenarios/from-run.ts).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../app/trpc.js';
import { describeError, type ErrorReport } from '../../ui/api-errors.js';
import { Dialog } from '../../ui/Dialog.js';

export function SaveRunForm(props: { slug: string; onSaved(name: string): void; onClose(): void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const runs = useQuery(trpc.runs.list.queryOptions({ workflow: props.slug, limit: 30 }));
  const [runId, setRunId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorReport | null>(null);
  const list = (runs.data?.runs ?? []) as { id: string; status: string; version: number; createdAt: string }[];
  const chosen = runId || list[0]?.id || '';

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.tests.fromRun.mutate({ runId: chosen, name });
      props.onSaved(name.trim());
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Save a run as a scenario" description="The run's input, signals, decisions, AI answers and action results become the script; its path and output what the scenario expects." submitLabel="Save scenario" busyLabel="Saving…" busy={busy} canSubmit={Boolean(chosen && name.trim())} error={error} testId="save-run-form" onSubmit={() => void save()} onClose={props.onClose}>
      <label className="cairn-field">
        <span className="cairn-field__label">Run</span>
        <select className="cairn-input" value={chosen} onChange={(event) => setRunId(event.target.value)} data-testid="save-run-pick">
          {list.length === 0 && <option value="">No runs yet</option>}
          {list.map((run) => (
            <option key={run.id} value={run.id}>
              {run.status} · v{run.version} · {new Date(run.createdAt).toLocaleString()} · {run.id.slice(-8)}
            </option>
          ))}
        </select>
      </label>
      <label className="cairn-field">
        <span className="cairn-field__label">Scenario name</span>
        <input className="cairn-input" data-autofocus value={name} onChange={(event) => setName(event.target.value)} data-testid="save-run-name" />
      </label>
    </Dialog>
  );
}
