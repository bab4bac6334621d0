// New workflow and import: both create a new workflow only — a save with `rev: 0`, and an import
// (workflowFiles.import, with the file's scenarios and eval sets) — so an existing workflow's draft is
// never overwritten: CONFLICT.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError, type ErrorReport } from '../ui/api-errors.js';
import { Dialog } from '../ui/Dialog.js';
import { NameSlugFields, useNameSlug } from './NameSlugFields.js';
import { emptyGraph, importSummary, type ImportCandidate } from './workflow-files.js';

function useCreateDraft(onCreated: (workflow: { slug: string; name: string }) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.workflows.saveDraft.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
        onCreated(result.workflow);
      },
    }),
  );
}

function useImport(onImported: (workflow: { slug: string; name: string }) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.workflowFiles.import.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
        onImported(result);
      },
    }),
  );
}

/** A conflict on a create-only save means the slug was taken meanwhile; say that rather than "revision 0". */
function createError(error: unknown, slug: string): ErrorReport | null {
  if (!error) return null;
  const report = describeError(error);
  return report.code === 'CONFLICT' ? { message: `A workflow with the slug “${slug}” already exists. Choose another slug.`, problems: [] } : report;
}

export function CreateWorkflowDialog({ taken, onClose, onCreated }: { taken: ReadonlySet<string>; onClose(): void; onCreated(slug: string): void }) {
  const fields = useNameSlug({ derive: true, taken });
  const create = useCreateDraft((workflow) => onCreated(workflow.slug));
  return (
    <Dialog
      title="New workflow"
      description="Start from an empty canvas with just a start node. Nothing runs until you publish."
      submitLabel="Create workflow"
      busyLabel="Creating…"
      busy={create.isPending}
      error={createError(create.error, create.variables?.slug ?? fields.slug)}
      testId="new-workflow-dialog"
      onClose={onClose}
      onSubmit={() => {
        fields.attempt();
        if (fields.valid) create.mutate({ slug: fields.slug, name: fields.name.trim(), graph: emptyGraph(), rev: 0 });
      }}
    >
      <NameSlugFields state={fields} testIdPrefix="new-workflow" />
    </Dialog>
  );
}

export function ImportWorkflowDialog(props: { candidate: ImportCandidate; taken: ReadonlySet<string>; onClose(): void; onImported(workflow: { slug: string; name: string }): void }) {
  const { candidate, taken, onClose, onImported } = props;
  const fields = useNameSlug({ name: candidate.name, slug: candidate.slug, derive: false, taken });
  const save = useImport(onImported);
  return (
    <Dialog
      title="Import workflow"
      description={
        <>
          <span className="cairn-file-chip" data-testid="import-file">
            {candidate.fileName}
          </span>{' '}
          <span className="cairn-muted" data-testid="import-summary">
            {importSummary(candidate)}
          </span>
          <br />
          The graph is saved as the draft of a new workflow, with its scenarios and eval sets; the server checks them all first.
        </>
      }
      submitLabel="Import"
      busyLabel="Importing…"
      busy={save.isPending}
      error={createError(save.error, save.variables?.slug ?? fields.slug)}
      testId="import-workflow-dialog"
      onClose={onClose}
      onSubmit={() => {
        fields.attempt();
        if (fields.valid) save.mutate({ slug: fields.slug, name: fields.name.trim(), graph: candidate.graph, scenarios: candidate.scenarios, evals: candidate.evals });
      }}
    >
      <NameSlugFields state={fields} testIdPrefix="import-workflow" autoFocus={taken.has(candidate.slug) ? 'slug' : 'name'} />
    </Dialog>
  );
}
