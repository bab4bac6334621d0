// "New scenario": a form over cairn.scenario/v1 — its input, the script as a list of steps, and the
// expectations. Bad JSON is named by field before anything is sent; the server names the rest.
import { useState } from 'react';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import type { ErrorReport } from '../../ui/api-errors.js';
import { Dialog } from '../../ui/Dialog.js';
import { emptyDraft, emptyStep, FORM_STEP_KINDS, toScenario, type FormErrors, type ScenarioDraft, type StepDraft } from './scenario-form-model.js';

const NODE_KIND: Partial<Record<StepDraft['kind'], string>> = { decide: 'approval', ai: 'ai', stub: 'step' };
const TEXT_LABEL: Partial<Record<StepDraft['kind'], string>> = { advance: 'Duration (empty: until the run waits)', signal: 'Signal name', decide: 'Comment' };
const DATA_LABEL: Partial<Record<StepDraft['kind'], string>> = { signal: 'Data (JSON)', ai: 'Answer (JSON)', stub: 'Result (JSON) or error message' };

function Field(props: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className="cairn-field">
      <span className="cairn-field__label">{props.label}</span>
      {props.children}
      {props.error && <span className="cairn-field__error">{props.error}</span>}
    </label>
  );
}

function StepRow(props: { step: StepDraft; index: number; graph: Graph; errors: FormErrors; onChange(step: StepDraft): void; onRemove(): void }) {
  const { step, index, errors } = props;
  const set = (patch: Partial<StepDraft>) => props.onChange({ ...step, ...patch });
  const kind = NODE_KIND[step.kind];
  const nodes = props.graph.nodes.filter((node) => !kind || node.kind === kind);
  const at = `steps.${index}`;
  return (
    <li className="cairn-scenario-form__step" data-testid={`scenario-step-${index}`}>
      <select className="cairn-input" value={step.kind} onChange={(event) => set({ ...emptyStep(event.target.value as StepDraft['kind']) })} aria-label={`Step ${index + 1} kind`}>
        {FORM_STEP_KINDS.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
      {step.kind !== 'signal' && (
        <select className="cairn-input" value={step.node} onChange={(event) => set({ node: event.target.value })} aria-label={`Step ${index + 1} node`} aria-invalid={Boolean(errors[`${at}.node`])}>
          <option value="">{step.kind === 'advance' ? '(no node)' : 'choose a node'}</option>
          {nodes.map((node) => (
            <option key={node.id} value={node.id}>
              {node.label ? `${node.label} (${node.id})` : node.id}
            </option>
          ))}
        </select>
      )}
      {step.kind === 'decide' && (
        <select className="cairn-input" value={step.decision} onChange={(event) => set({ decision: event.target.value as StepDraft['decision'] })} aria-label={`Step ${index + 1} decision`}>
          <option value="approve">approve</option>
          <option value="reject">reject</option>
        </select>
      )}
      {step.kind === 'stub' && (
        <select className="cairn-input" value={step.outcome} onChange={(event) => set({ outcome: event.target.value as StepDraft['outcome'] })} aria-label={`Step ${index + 1} outcome`}>
          <option value="result">result</option>
          <option value="error">error</option>
        </select>
      )}
      {TEXT_LABEL[step.kind] && <input className="cairn-input" placeholder={TEXT_LABEL[step.kind]} aria-label={`Step ${index + 1} ${TEXT_LABEL[step.kind]}`} value={step.text} onChange={(event) => set({ text: event.target.value })} aria-invalid={Boolean(errors[`${at}.text`])} />}
      {DATA_LABEL[step.kind] && <input className="cairn-input cairn-input--mono" placeholder={DATA_LABEL[step.kind]} aria-label={`Step ${index + 1} ${DATA_LABEL[step.kind]}`} value={step.data} onChange={(event) => set({ data: event.target.value })} aria-invalid={Boolean(errors[`${at}.data`])} />}
      <button type="button" className="cairn-button cairn-button--small" onClick={props.onRemove} aria-label={`Remove step ${index + 1}`}>
        ✕
      </button>
      {['node', 'text', 'data'].map((field) => errors[`${at}.${field}`] && <span key={field} className="cairn-field__error" data-testid={`step-error-${index}`}>Step {index + 1}: {errors[`${at}.${field}`]}</span>)}
    </li>
  );
}

export function ScenarioForm(props: { graph: Graph; busy: boolean; error: ErrorReport | null; onSave(scenario: Record<string, unknown>): void; onClose(): void }) {
  const [draft, setDraft] = useState<ScenarioDraft>(() => ({ ...emptyDraft(), path: props.graph.nodes.find((node) => node.kind === 'start')?.id ?? '' }));
  const [errors, setErrors] = useState<FormErrors>({});
  const set = (patch: Partial<ScenarioDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const submit = () => {
    const built = toScenario(draft);
    setErrors(built.errors ?? {});
    if (built.scenario) props.onSave(built.scenario);
  };
  return (
    <Dialog title="New scenario" submitLabel="Save scenario" busyLabel="Saving…" busy={props.busy} error={props.error} testId="scenario-form" onSubmit={submit} onClose={props.onClose}>
      <div className="cairn-scenario-form">
        <Field label="Name" error={errors.name}>
          <input className="cairn-input" data-autofocus value={draft.name} onChange={(event) => set({ name: event.target.value })} aria-invalid={Boolean(errors.name)} data-testid="scenario-name" />
        </Field>
        <Field label="Input (JSON)" error={errors.input}>
          <textarea className="cairn-input cairn-input--mono" rows={2} value={draft.input} onChange={(event) => set({ input: event.target.value })} aria-invalid={Boolean(errors.input)} data-testid="scenario-input" />
        </Field>
        <fieldset className="cairn-scenario-form__steps">
          <legend>Steps, in order</legend>
          <ol>
            {draft.steps.map((step, index) => (
              <StepRow key={index} step={step} index={index} graph={props.graph} errors={errors} onChange={(next) => set({ steps: draft.steps.map((old, at) => (at === index ? next : old)) })} onRemove={() => set({ steps: draft.steps.filter((_, at) => at !== index) })} />
            ))}
          </ol>
          <button type="button" className="cairn-button cairn-button--small" onClick={() => set({ steps: [...draft.steps, emptyStep()] })} data-testid="scenario-add-step">
            + Add a step
          </button>
        </fieldset>
        <Field label="Expected status">
          <select className="cairn-input" value={draft.status} onChange={(event) => set({ status: event.target.value as ScenarioDraft['status'] })} data-testid="scenario-status">
            {['', 'completed', 'failed', 'waiting', 'cancelled'].map((status) => (
              <option key={status} value={status}>
                {status || '(any)'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expected path (node ids in order)">
          <input className="cairn-input cairn-input--mono" value={draft.path} onChange={(event) => set({ path: event.target.value })} data-testid="scenario-path" />
        </Field>
        <Field label="Expected output (JSON, partial match)" error={errors['expect.output']}>
          <input className="cairn-input cairn-input--mono" value={draft.output} onChange={(event) => set({ output: event.target.value })} aria-invalid={Boolean(errors['expect.output'])} data-testid="scenario-output" />
        </Field>
      </div>
    </Dialog>
  );
}
