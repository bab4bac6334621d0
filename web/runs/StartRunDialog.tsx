// Starting a run: a form generated from the start node's inputSchema of the workflow's ACTIVE version
// (what the run will actually start on, not the draft), checked as it is typed, then runs.start and
// on to the run's page. Without a workflow given, the dialog first asks which one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useTRPC } from '../app/trpc.js';
import { SchemaForm, schemaFormProblems } from '../ui/SchemaForm.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog } from '../ui/Dialog.js';
import './runs-shared.css';
import './start-run.css';

type Properties = Record<string, { default?: unknown }>;

function inputSchemaOf(graph: Graph | undefined): unknown {
  return graph?.nodes.find((node) => node.kind === 'start')?.config.inputSchema;
}

function defaultsOf(schema: unknown): Record<string, unknown> {
  const properties = ((schema ?? {}) as { properties?: Properties }).properties ?? {};
  return Object.fromEntries(Object.entries(properties).flatMap(([key, property]) => (property.default === undefined ? [] : [[key, property.default]])));
}

export function StartRunDialog({ workflow, onClose }: { workflow?: string; onClose(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [slug, setSlug] = useState(workflow ?? '');
  const workflows = useQuery({ ...trpc.workflows.list.queryOptions(), enabled: !workflow });
  // Fresh on every opening: a version published a moment ago must be the one offered.
  const versions = useQuery({ ...trpc.workflows.versions.queryOptions({ slug }), enabled: Boolean(slug), staleTime: 0 });
  const active = versions.data?.find((version) => version.state === 'active')?.version;
  const version = useQuery({ ...trpc.workflows.version.queryOptions({ slug, version: active ?? 1 }), enabled: Boolean(slug && active) });
  const graph = version.data && version.data.version === active ? (version.data.graph as Graph) : undefined;
  const schema = inputSchemaOf(graph);

  const [value, setValue] = useState<Record<string, unknown>>({});
  // JSON text typed into the form that does not parse, by field: it blocks starting, named as such.
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [formFor, setFormFor] = useState<string | null>(null);
  const formKey = graph ? `${slug}@${active}` : null;
  if (formKey !== formFor) {
    // A different form (another workflow or version): start from its defaults.
    setFormFor(formKey);
    setValue(defaultsOf(schema));
    setInvalid({});
  }
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const keyId = useId();
  const workflowId = useId();

  const problems = useMemo(() => (schema === undefined ? invalid : schemaFormProblems(schema, value, invalid)), [schema, value, invalid]);
  const problemList = Object.values(problems);
  const start = useMutation(
    trpc.runs.start.mutationOptions({
      onSuccess: (run) => {
        void queryClient.invalidateQueries({ queryKey: trpc.runs.pathKey() });
        onClose();
        navigate(`/runs/${run.id}`);
      },
    }),
  );

  const loading = Boolean(slug) && (versions.isPending || (active !== undefined && !graph && !version.isError));
  const loadError = versions.error ?? version.error;
  const unpublished = Boolean(slug) && versions.isSuccess && active === undefined;

  return (
    <Dialog
      title="Start a run"
      description={
        slug && active ? (
          <>
            Runs <code>{slug}</code> on version <strong>v{active}</strong>, its active version. Unpublished draft changes are not part of it.
          </>
        ) : (
          'A run starts on the workflow’s active version.'
        )
      }
      submitLabel="Start run"
      busyLabel="Starting…"
      busy={start.isPending}
      canSubmit={Boolean(graph) && problemList.length === 0}
      error={start.error ? describeError(start.error) : null}
      testId="start-run-dialog"
      onClose={onClose}
      onSubmit={() => start.mutate({ workflow: slug, input: value, idempotencyKey: idempotencyKey.trim() || undefined })}
    >
      <div className="cairn-run-form">
        {!workflow && (
          <div className="cairn-field">
            <label htmlFor={workflowId} className="cairn-field__label">
              Workflow
            </label>
            <select id={workflowId} className="cairn-select" value={slug} onChange={(event) => setSlug(event.target.value)} data-testid="start-run-workflow" data-autofocus>
              <option value="">Choose a workflow…</option>
              {(workflows.data ?? []).map((entry) => (
                <option key={entry.slug} value={entry.slug} disabled={!entry.activeVersion}>
                  {entry.name}
                  {entry.activeVersion ? ` (v${entry.activeVersion})` : ' — not published'}
                </option>
              ))}
            </select>
          </div>
        )}
        {loading && <p className="cairn-muted">Loading the input form…</p>}
        {loadError && <p className="cairn-notice cairn-notice--danger">{describeError(loadError).message}</p>}
        {unpublished && (
          <div className="cairn-notice cairn-notice--info" data-testid="start-run-unpublished">
            <p className="cairn-notice__title">“{slug}” has no published version yet, so it cannot run.</p>
            <p>
              Publish it from the <Link href={`/workflows/${slug}`}>editor</Link> first.
            </p>
          </div>
        )}
        {graph && (
          <>
            <SchemaForm key={formKey} schema={schema} value={value} onChange={setValue} onInvalidChange={setInvalid} disabled={start.isPending} testId="run-input" />
            {schema === undefined && <p className="cairn-field__hint">The start node declares no input schema: any JSON object is accepted.</p>}
            {problemList.length > 0 && (
              <p className="cairn-field__hint" data-testid="start-run-problems">
                To start: {problemList.slice(0, 3).join('; ')}
                {problemList.length > 3 ? ` (and ${problemList.length - 3} more)` : ''}.
              </p>
            )}
            <details className="cairn-run-form__advanced">
              <summary>Advanced</summary>
              <div className="cairn-field">
                <label htmlFor={keyId} className="cairn-field__label">
                  Idempotency key
                </label>
                <input id={keyId} className="cairn-input cairn-input--mono" value={idempotencyKey} maxLength={200} onChange={(event) => setIdempotencyKey(event.target.value)} placeholder="optional, e.g. order-1042" />
                <p className="cairn-field__hint">Starting again with the same key opens the run it started, instead of a second one.</p>
              </div>
            </details>
          </>
        )}
      </div>
    </Dialog>
  );
}
