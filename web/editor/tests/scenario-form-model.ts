// The scenario form's state and how it becomes a cairn.scenario/v1 scenario: each JSON field parsed
// with an error that names the field and the step, so nothing is sent that the form can already tell
// is wrong; what only the server can check (node ids, durations) comes back named by it.
export const FORM_STEP_KINDS = ['advance', 'signal', 'decide', 'ai', 'stub'] as const;
export type FormStepKind = (typeof FORM_STEP_KINDS)[number];

export interface StepDraft {
  kind: FormStepKind;
  /** advance: until this node; decide / ai / stub: the node. */
  node: string;
  /** advance: a duration; signal: its name; decide: a comment. */
  text: string;
  /** signal: data; ai: the answer; stub: the result (JSON), or the error message. */
  data: string;
  decision: 'approve' | 'reject';
  outcome: 'result' | 'error';
}

export interface ScenarioDraft {
  name: string;
  description: string;
  input: string;
  steps: StepDraft[];
  status: '' | 'completed' | 'failed' | 'waiting' | 'cancelled';
  /** Node ids in order, separated by commas or spaces. */
  path: string;
  output: string;
}

export const emptyStep = (kind: FormStepKind = 'advance'): StepDraft => ({ kind, node: '', text: '', data: '', decision: 'approve', outcome: 'result' });
export const emptyDraft = (): ScenarioDraft => ({ name: '', description: '', input: '{}', steps: [], status: 'completed', path: '', output: '' });

export type FormErrors = Record<string, string>;

function json(text: string, field: string, errors: FormErrors, required = false): { ok: boolean; value?: unknown } {
  if (!text.trim()) {
    if (required) errors[field] = 'required';
    return { ok: !required };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    errors[field] = `not JSON: ${(error as Error).message}`;
    return { ok: false };
  }
}

function stepOf(step: StepDraft, index: number, errors: FormErrors): Record<string, unknown> | undefined {
  const at = `steps.${index}`;
  const need = (value: string, field: string, what: string) => {
    if (!value.trim()) errors[`${at}.${field}`] = `${what} is required`;
    return value.trim();
  };
  switch (step.kind) {
    case 'advance':
      if (step.node.trim()) return { advance: { untilNode: step.node.trim() } };
      return { advance: step.text.trim() ? step.text.trim() : { untilWaiting: true } };
    case 'signal': {
      const name = need(step.text, 'text', 'the signal name');
      const data = json(step.data, `${at}.data`, errors);
      return { signal: name, ...(data.value !== undefined ? { data: data.value } : {}) };
    }
    case 'decide':
      return { decide: need(step.node, 'node', 'the approval node'), decision: step.decision, ...(step.text.trim() ? { comment: step.text } : {}) };
    case 'ai': {
      const answer = json(step.data, `${at}.data`, errors, true);
      return { ai: need(step.node, 'node', 'the AI node'), answer: answer.value };
    }
    case 'stub': {
      const node = need(step.node, 'node', 'the step node');
      if (step.outcome === 'error') return { stub: { node }, error: need(step.data, 'data', 'the error message') };
      const result = json(step.data, `${at}.data`, errors);
      return { stub: { node }, result: result.value ?? null };
    }
  }
}

/** The scenario, or the errors by field ("name", "input", "steps.2.data", "expect.output"). */
export function toScenario(draft: ScenarioDraft): { scenario: Record<string, unknown>; errors?: undefined } | { errors: FormErrors; scenario?: undefined } {
  const errors: FormErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'a scenario needs a name';
  else if (name.length > 200) errors.name = 'at most 200 characters';
  const input = json(draft.input, 'input', errors);
  const steps = draft.steps.map((step, index) => stepOf(step, index, errors));
  const output = json(draft.output, 'expect.output', errors);
  const path = draft.path.split(/[\s,]+/).filter(Boolean);
  const expect = { ...(draft.status ? { status: draft.status } : {}), ...(path.length ? { path } : {}), ...(output.value !== undefined ? { output: output.value } : {}) };
  if (Object.keys(errors).length) return { errors };
  return {
    scenario: {
      name,
      ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
      ...(input.value !== undefined ? { input: input.value } : {}),
      steps,
      ...(Object.keys(expect).length ? { expect } : {}),
    },
  };
}
