// Rename, duplicate and delete one workflow. Each refreshes every workflows query on success; the
// server's refusals (a taken slug, runs still in flight) are shown in the dialog as it words them.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import { NameSlugFields, useNameSlug } from './NameSlugFields.js';
import { freeSlug, NAME_MAX, type WorkflowSummary } from './workflow-files.js';

function useRefreshWorkflows() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.workflows.pathFilter());
}

export function RenameDialog({ workflow, onClose, onDone }: { workflow: WorkflowSummary; onClose(): void; onDone(name: string): void }) {
  const trpc = useTRPC();
  const refresh = useRefreshWorkflows();
  const [name, setName] = useState(workflow.name);
  const [attempted, setAttempted] = useState(false);
  const rename = useMutation(trpc.workflows.rename.mutationOptions({ onSuccess: async (result) => (await refresh(), onDone(result.name)) }));
  const problem = name.trim() ? null : 'Enter a name.';
  return (
    <Dialog
      title="Rename workflow"
      description={
        <>
          The slug <code>{workflow.slug}</code> stays the same, so links and API clients keep working.
        </>
      }
      submitLabel="Rename"
      busyLabel="Renaming…"
      busy={rename.isPending}
      error={rename.error ? describeError(rename.error) : null}
      testId="rename-workflow-dialog"
      onClose={onClose}
      onSubmit={() => {
        setAttempted(true);
        if (!problem) rename.mutate({ slug: workflow.slug, name: name.trim() });
      }}
    >
      <Field label="Name" error={attempted ? problem : null}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className="cairn-input"
            data-testid="rename-workflow-name"
            data-autofocus
            value={name}
            maxLength={NAME_MAX}
            autoComplete="off"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(event) => setName(event.target.value)}
            onFocus={(event) => event.target.select()}
          />
        )}
      </Field>
    </Dialog>
  );
}

export function DuplicateDialog(props: { workflow: WorkflowSummary; taken: ReadonlySet<string>; onClose(): void; onDone(copy: WorkflowSummary): void }) {
  const { workflow, taken, onClose, onDone } = props;
  const trpc = useTRPC();
  const refresh = useRefreshWorkflows();
  const fields = useNameSlug({ name: `${workflow.name} (copy)`, slug: freeSlug(workflow.slug, taken), derive: false, taken });
  const duplicate = useMutation(trpc.workflows.duplicate.mutationOptions({ onSuccess: async (copy) => (await refresh(), onDone(copy)) }));
  return (
    <Dialog
      title={`Duplicate “${workflow.name}”`}
      description="The copy gets this workflow’s current draft. It starts unpublished, with no runs."
      submitLabel="Duplicate"
      busyLabel="Duplicating…"
      busy={duplicate.isPending}
      error={duplicate.error ? describeError(duplicate.error) : null}
      testId="duplicate-workflow-dialog"
      onClose={onClose}
      onSubmit={() => {
        fields.attempt();
        if (fields.valid) duplicate.mutate({ slug: workflow.slug, newSlug: fields.slug, name: fields.name.trim() });
      }}
    >
      <NameSlugFields state={fields} testIdPrefix="duplicate-workflow" autoFocus="slug" />
    </Dialog>
  );
}

export function DeleteDialog({ workflow, onClose, onDone }: { workflow: WorkflowSummary; onClose(): void; onDone(): void }) {
  const trpc = useTRPC();
  const refresh = useRefreshWorkflows();
  const remove = useMutation(trpc.workflows.remove.mutationOptions({ onSuccess: async () => (await refresh(), onDone()) }));
  return (
    <Dialog
      title={`Delete “${workflow.name}”?`}
      description={
        <>
          This removes <code>{workflow.slug}</code>: its draft, every published version and the history of its finished runs. It cannot be undone.
          Cairn refuses while runs are still in flight.
        </>
      }
      tone="danger"
      submitLabel="Delete workflow"
      busyLabel="Deleting…"
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      testId="delete-workflow-dialog"
      onClose={onClose}
      onSubmit={() => remove.mutate({ slug: workflow.slug })}
    />
  );
}
