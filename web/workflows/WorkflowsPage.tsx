// The workflows list: every workflow with its active version, and the ways in and out of it — create,
// rename, duplicate, delete, export (the draft as <slug>.json, with its scenarios and eval sets) and
// import (such a file, or a bare graph, as a new workflow).
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { StartRunDialog } from '../runs/StartRunDialog.js';
import { describeError, type ErrorReport } from '../ui/api-errors.js';
import { CreateWorkflowDialog, ImportWorkflowDialog } from './CreateWorkflowDialog.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { PlusIcon, UploadIcon } from '../ui/icons.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import { DeleteDialog, DuplicateDialog, RenameDialog } from './WorkflowDialogs.js';
import { WorkflowsTable } from './WorkflowsTable.js';
import { DescribeBox } from './DescribeBox.js';
import { downloadJson, readImportFile, type ImportCandidate, type WorkflowSummary } from './workflow-files.js';

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'import'; candidate: ImportCandidate }
  | { kind: 'rename' | 'duplicate' | 'delete' | 'start'; workflow: WorkflowSummary };

export function WorkflowsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const { canEditWorkflows } = useSession();
  const list = useQuery(trpc.workflows.list.queryOptions());
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState<ErrorReport | null>(null);
  const [filter, setFilter] = useState('');
  const [highlight, setHighlight] = useState<string | null>(null);
  const { toasts, push, dismiss } = useToasts();
  const fileInput = useRef<HTMLInputElement>(null);
  const taken = useMemo(() => new Set((list.data ?? []).map((workflow) => workflow.slug)), [list.data]);

  useEffect(() => {
    document.title = 'Workflows · Cairn';
  }, []);

  const close = () => setDialog(null);
  const spotlight = (slug: string) => {
    setHighlight(slug);
    setTimeout(() => setHighlight((current) => (current === slug ? null : current)), 2_500);
  };

  async function exportDraft(workflow: WorkflowSummary) {
    try {
      // The draft with its scenarios and eval sets, as `cairn export` writes it.
      const file = await queryClient.fetchQuery({ ...trpc.workflowFiles.export.queryOptions({ slug: workflow.slug }), staleTime: 0 });
      downloadJson(`${workflow.slug}.json`, file);
      push('ok', `Exported the draft of “${workflow.name}” as ${workflow.slug}.json`);
    } catch (error) {
      setNotice(describeError(error));
    }
  }

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const read = readImportFile(await file.text(), file.name);
    if (read.ok) {
      setNotice(null);
      setDialog({ kind: 'import', candidate: read.candidate });
    } else {
      setNotice({ message: read.message, problems: [] });
    }
  }

  const workflows = list.data ?? [];
  const query = filter.trim().toLowerCase();
  const shown = query ? workflows.filter((workflow) => `${workflow.name} ${workflow.slug}`.toLowerCase().includes(query)) : workflows;

  return (
    <main className="cairn-page" data-testid="workflows-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Workflows</h1>
          <p className="cairn-page__subtitle">Draw a process once. Publish it, and every run keeps its place through restarts, deploys and months of waiting.</p>
        </div>
        {canEditWorkflows && (
          <div className="cairn-page__actions">
            <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={readFile} data-testid="import-file-input" aria-label="Workflow file to import" />
            <button type="button" className="cairn-button cairn-button--secondary" data-testid="import-workflow" onClick={() => fileInput.current?.click()}>
              <UploadIcon /> Import
            </button>
            <button type="button" className="cairn-button cairn-button--primary" data-testid="new-workflow" onClick={() => setDialog({ kind: 'create' })}>
              <PlusIcon /> New workflow
            </button>
          </div>
        )}
      </header>
      {canEditWorkflows && <DescribeBox />}

      {notice && (
        <div className="cairn-page__notice">
          <ErrorNotice report={notice} testId="page-error" />
          <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}

      {list.isError ? (
        <div className="cairn-page__notice">
          <ErrorNotice report={describeError(list.error)} testId="workflows-error" />
          <button type="button" className="cairn-button cairn-button--secondary cairn-button--small" onClick={() => list.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <WorkflowsTable
          workflows={shown}
          total={workflows.length}
          loading={list.isPending}
          filter={filter}
          onFilter={setFilter}
          highlight={highlight}
          canEdit={canEditWorkflows}
          onOpen={(workflow) => navigate(`/workflows/${workflow.slug}`)}
          onCreate={() => setDialog({ kind: 'create' })}
          onImport={() => fileInput.current?.click()}
          onAction={(kind, workflow) => (kind === 'export' ? void exportDraft(workflow) : setDialog({ kind, workflow }))}
        />
      )}

      {dialog?.kind === 'start' && <StartRunDialog workflow={dialog.workflow.slug} onClose={close} />}
      {dialog?.kind === 'create' && <CreateWorkflowDialog taken={taken} onClose={close} onCreated={(slug) => navigate(`/workflows/${slug}`)} />}
      {dialog?.kind === 'import' && (
        <ImportWorkflowDialog
          candidate={dialog.candidate}
          taken={taken}
          onClose={close}
          onImported={(workflow) => {
            close();
            spotlight(workflow.slug);
            push('ok', `Imported “${workflow.name}” as a draft`);
          }}
        />
      )}
      {dialog?.kind === 'rename' && (
        <RenameDialog
          workflow={dialog.workflow}
          onClose={close}
          onDone={(name) => {
            close();
            spotlight(dialog.workflow.slug);
            push('ok', `Renamed to “${name}”`);
          }}
        />
      )}
      {dialog?.kind === 'duplicate' && (
        <DuplicateDialog
          workflow={dialog.workflow}
          taken={taken}
          onClose={close}
          onDone={(copy) => {
            close();
            spotlight(copy.slug);
            push('ok', `Duplicated as “${copy.name}”`);
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          workflow={dialog.workflow}
          onClose={close}
          onDone={() => {
            close();
            push('ok', `Deleted “${dialog.workflow.name}”`);
          }}
        />
      )}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </main>
  );
}
