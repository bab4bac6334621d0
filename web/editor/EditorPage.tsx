// The editor for one workflow: palette, canvas, inspector and live problems over one editor store,
// autosaved; publishing, and the versions drawer with read-only views and diffs.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { ActionDescription } from '../../shared/runs/actions.js';
import { useTRPC, useTRPCClient } from '../app/trpc.js';
import { StartRunDialog } from '../runs/StartRunDialog.js';
import { layoutPositions } from './auto-layout.js';
import { restoreRevision } from './autosave.js';
import { Canvas } from './Canvas.js';
import { DraftConflict } from './DraftConflict.js';
import { createEditorStore } from './editor.store.js';
import './editor.css';
import { Inspector } from './inspector/Inspector.js';
import type { LastRunData } from './inspector/expression-scope.js';
import { Palette } from './Palette.js';
import { ProblemsPanel } from './ProblemsPanel.js';
import { PublishDialog } from './PublishDialog.js';
import { RevisionBanner, RevisionDiffPanel, RevisionsDrawer, type RevisionView } from './RevisionsDrawer.js';
import { useDraftSync } from './useDraftSync.js';
import { useEditorShortcuts } from './useEditorShortcuts.js';
import { useRevisionView } from './use-revision-view.js';
import { useLegibleFit } from '../canvas/use-legible-fit.js';
import { useVersionView, type VersionView } from './use-version-view.js';
import { VersionsDrawer } from './VersionsDrawer.js';
import { TriggersDrawer } from './triggers/TriggersDrawer.js';
import { AiTools } from './describe/AiTools.js';
import { createTestsStore } from './tests/tests.store.js';
import { TestsOverlay } from './tests/TestsOverlay.js';
import { TestsPanel } from './tests/TestsPanel.js';

export function EditorPage({ slug }: { slug: string }) {
  const trpc = useTRPC();
  // The editor always starts from the newest draft, fetched as it opens: a copy cached from an
  // earlier visit would show an old graph whose first save then conflicts with the real one.
  const [openedAt] = useState(() => Date.now());
  const workflow = useQuery({ ...trpc.workflows.get.queryOptions({ slug }), staleTime: 0, refetchOnMount: 'always' });
  const actions = useQuery(trpc.actions.queryOptions());
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  if (workflow.error) return <main className="cairn-page cairn-error">Cannot open “{slug}”: {workflow.error.message}</main>;
  if (!workflow.data || workflow.dataUpdatedAt < openedAt || !actions.data) return <main className="cairn-page cairn-muted">Loading…</main>;
  return (
    <ReactFlowProvider>
      <Editor key={slug} slug={slug} name={workflow.data.name} draft={workflow.data.draft} rev={workflow.data.draftRev} actions={actions.data as ActionDescription[]} workflowSlugs={(workflows.data ?? []).map((entry) => entry.slug)} />
    </ReactFlowProvider>
  );
}

function Editor(props: { slug: string; name: string; draft: Graph; rev: number; actions: ActionDescription[]; workflowSlugs: string[] }) {
  const { slug } = props;
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const fit = useLegibleFit();
  const [store] = useState(() =>
    createEditorStore({
      graph: props.draft,
      rev: props.rev,
      actions: props.actions.map((action) => action.name),
      actionInputs: Object.fromEntries(props.actions.map((action) => [action.name, action.inputSchema])),
      actionCredentials: Object.fromEntries(props.actions.map((action) => [action.name, action.credentials ?? {}])),
    }),
  );
  const graph = useStore(store, (state) => state.graph);
  const save = useStore(store, (state) => state.save);
  const saveError = useStore(store, (state) => state.saveError);
  const canUndo = useStore(store.temporal, (state) => state.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (state) => state.futureStates.length > 0);
  const problems = useMemo(() => store.getState().problems(), [store, graph]);
  const [publishing, setPublishing] = useState(false);
  const [startingRun, setStartingRun] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [view, setView] = useState<VersionView>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** What the last publish warned about (it published all the same). */
  const [warnings, setWarnings] = useState<string[]>([]);

  // Autosave, and saves made elsewhere shown live (or as a conflict when something here is unsaved).
  const { api, autosave } = useDraftSync(store, slug);
  const me = useQuery(trpc.me.queryOptions()).data?.principal?.name;
  // The newest run's data: the inspector previews expressions against it (null before any run).
  const lastRun = useQuery({ ...trpc.runs.latestData.queryOptions({ workflow: slug }), staleTime: 0 }).data as LastRunData | null | undefined;
  // The stored credentials' names for the inspector's pickers (refused to those who may not edit: names are typed then).
  const credentials = useQuery({ ...trpc.credentials.names.queryOptions(), retry: false }).data?.credentials;
  const [history, setHistory] = useState(false);
  const [triggersOpen, setTriggersOpen] = useState(false);
  const [testsOpen, setTestsOpen] = useState(false);
  const [tests] = useState(createTestsStore);
  // With the Tests panel open, an empty inspector gives its room to the canvas.
  const nothingSelected = useStore(store, (state) => state.selection.nodes.length + state.selection.edges.length === 0);
  const [revisionView, setRevisionView] = useState<RevisionView>(null);
  const revision = useRevisionView(slug, revisionView, graph);
  const viewing = view !== null || revisionView !== null;
  // One drawer and one view at a time: opening the versions closes the history, and a version view a revision view.
  useEffect(() => {
    if (drawer) setHistory(false);
  }, [drawer]);
  useEffect(() => {
    if (view) setRevisionView(null);
  }, [view]);
  const showRevision = (next: RevisionView) => {
    setView(null);
    setRevisionView(next);
  };
  /** Restoring is a new save, shown as one undoable step (Undo takes it back and saves that too). */
  const restore = async (rev: number): Promise<string | null> => {
    const autosaving = autosave();
    if (!autosaving) return 'the editor is closing';
    try {
      await restoreRevision(store, api, autosaving, rev);
      setRevisionView(null);
      setNotice(`Restored revision ${rev} as a new save. Undo takes it back.`);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  useEditorShortcuts(store, !viewing);

  const versions = useQuery(trpc.workflows.versions.queryOptions({ slug }));
  const { store: versionStore, diff, title: viewTitle } = useVersionView(slug, view, graph);

  const refreshVersions = () => queryClient.invalidateQueries({ queryKey: trpc.workflows.versions.queryKey({ slug }) });
  const promote = useMutation(trpc.workflows.promote.mutationOptions({ onSuccess: () => void refreshVersions() }));

  const publish = async (note: string): Promise<string | null> => {
    try {
      const result = await client.workflows.publish.mutate({ slug, note: note || undefined });
      setNotice(result.created ? `Published version ${result.version}` : `Nothing changed since version ${result.version}`);
      setWarnings((result.warnings ?? []).map((warning) => warning.message));
      void refreshVersions();
      setDrawer(true);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  const layout = () => {
    const positions = layoutPositions(store.getState().graph);
    store.getState().moveNodes(positions);
    fit({ duration: 300, positions });
  };

  const saveLabel = { saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', conflict: 'Conflict', error: 'Not saved' }[save];
  const canPublish = problems.length === 0 && save === 'saved' && !viewing;

  return (
    <div className="cairn-editor" data-testid="editor">
      <header className="cairn-editor__bar">
        <h1>{props.name}</h1>
        <span className={`cairn-save cairn-save--${save}`} data-testid="save-state" title={saveError}>
          {saveLabel}
        </span>
        <div className="cairn-editor__tools">
          <button type="button" className="cairn-button" onClick={() => store.temporal.getState().undo()} disabled={!canUndo || viewing} data-testid="undo" title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button type="button" className="cairn-button" onClick={() => store.temporal.getState().redo()} disabled={!canRedo || viewing} data-testid="redo" title="Redo (Ctrl+Shift+Z)">
            ↷ Redo
          </button>
          <button type="button" className="cairn-button" onClick={layout} disabled={viewing} data-testid="auto-layout">
            Auto-layout
          </button>
          <button type="button" className="cairn-button" onClick={() => fit({ duration: 300 })}>
            Fit view
          </button>
          <button type="button" className="cairn-button" onClick={() => setDrawer((open) => !open)} data-testid="versions-button">
            Versions
          </button>
          <button
            type="button"
            className="cairn-button"
            onClick={() => {
              setDrawer(false);
              setHistory((open) => !open);
            }}
            data-testid="revisions-button"
            title="Every save of the draft: view one, compare it, restore it"
          >
            History
          </button>
          <button type="button" className="cairn-button" onClick={() => setTriggersOpen((open) => !open)} data-testid="triggers-button" title="Webhooks and schedules that start runs">
            Triggers
          </button>
          <button type="button" className="cairn-button" onClick={() => setTestsOpen((open) => !open)} data-testid="tests-button" title="Scenarios, coverage and run to here">
            Tests
          </button>
          <AiTools slug={slug} store={store} disabled={viewing} />
          <button type="button" className="cairn-button" onClick={() => setStartingRun(true)} data-testid="start-run" title="Start a run on the active version">
            Start run
          </button>
          <button type="button" className="cairn-button cairn-button--primary" disabled={!canPublish} onClick={() => setPublishing(true)} data-testid="publish" title={problems.length ? 'Fix the problems first' : undefined}>
            Publish
          </button>
        </div>
      </header>
      <DraftConflict slug={slug} store={store} api={api} me={me} onNotice={setNotice} />
      {revisionView && <RevisionBanner slug={slug} view={revisionView} me={me} currentRev={store.getState().rev} onRestore={restore} onBack={() => setRevisionView(null)} />}
      {view && (
        <div className="cairn-banner" data-testid="viewing-version">
          <span>{viewTitle}</span>
          <button type="button" className="cairn-button" onClick={() => setView(null)} data-testid="back-to-draft">
            Back to the draft
          </button>
        </div>
      )}
      {notice && (
        <div className="cairn-banner cairn-banner--ok" data-testid="notice">
          <span>{notice}</span>
          <button type="button" className="cairn-button cairn-button--small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="cairn-banner cairn-banner--warning" data-testid="publish-warnings">
          <span>{warnings.map((warning) => <span key={warning}>Warning: {warning}. </span>)}</span>
          <button type="button" className="cairn-button cairn-button--small" onClick={() => setWarnings([])} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <div className="cairn-editor__body">
        <Palette store={store} disabled={viewing} />
        <div className="cairn-editor__main">
          {view && versionStore ? <Canvas key={`v${view.version}-${view.diff}-${view.against ?? 'draft'}`} store={versionStore} diff={diff} /> : revisionView && revision.store ? (
            <Canvas key={revision.key} store={revision.store} diff={revision.diff} />
          ) : (
            <Canvas store={store} overlay={testsOpen && <TestsOverlay tests={tests} graph={graph} />} />
          )}
          {!viewing && <ProblemsPanel store={store} problems={problems} />}
          {revisionView?.diff && revision.diff && <RevisionDiffPanel view={revisionView} diff={revision.diff} />}
        </div>
        {!viewing && !(testsOpen && nothingSelected) && <Inspector store={store} actions={props.actions} workflows={props.workflowSlugs.filter((other) => other !== slug)} lastRun={lastRun} credentials={credentials} />}
        {drawer && (
          <VersionsDrawer slug={slug} versions={versions.data ?? []} viewing={view} diff={diff} onView={setView} onPromote={(version) => promote.mutate({ slug, version })} onClose={() => setDrawer(false)} />
        )}
        {testsOpen && !viewing && <TestsPanel slug={slug} store={store} tests={tests} onClose={() => setTestsOpen(false)} />}
        {triggersOpen && <TriggersDrawer slug={slug} onClose={() => setTriggersOpen(false)} />}
        {history && <RevisionsDrawer slug={slug} me={me} viewing={revisionView} onView={showRevision} onRestore={restore} onClose={() => setHistory(false)} />}
      </div>
      <PublishDialog open={publishing} onClose={() => setPublishing(false)} onPublish={publish} />
      {startingRun && <StartRunDialog workflow={slug} onClose={() => setStartingRun(false)} />}
    </div>
  );
}
