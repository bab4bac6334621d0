// Reads scenario JSON (one scenario, or a suite `{ format, workflow, scenarios }`) into checked
// scenarios. Every problem is reported, each naming the scenario and step it is in, never just "invalid".
import type { z } from 'zod';
import { MAX_SCENARIOS, MAX_STEPS, SCENARIO_FORMAT, STEP_KINDS, scenarioSchema, stepSchemas, workflowRefSchema, type Scenario, type Step, type StepKind, type WorkflowRef } from './scenario.schema.js';

export type ScenariosRead = { ok: true; scenarios: Scenario[] } | { ok: false; problems: string[] };

const scenarioHead = scenarioSchema.omit({ steps: true });

function issues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => `${prefix}${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Outcome fields of `ai` and `stub` steps: exactly one may be given. */
const OUTCOME_FIELDS: Partial<Record<StepKind, string[]>> = { ai: ['answer', 'raw', 'error', 'sequence'], stub: ['result', 'error', 'sequence'] };

function parseStep(raw: unknown, where: string): { step?: Step; problems: string[] } {
  if (!isObject(raw)) return { problems: [`${where}: a step is an object such as { "advance": "7d" }, not ${JSON.stringify(raw)?.slice(0, 60)}`] };
  const kinds = STEP_KINDS.filter((kind) => kind in raw);
  if (kinds.length === 0) {
    const keys = Object.keys(raw).slice(0, 5).map((key) => `"${key}"`).join(', ') || 'no keys';
    return { problems: [`${where}: unknown step (${keys}); a step is one of ${STEP_KINDS.join(', ')}`] };
  }
  if (kinds.length > 1) return { problems: [`${where}: one step per object, but this one holds ${kinds.join(' and ')}`] };
  const kind = kinds[0];
  const named = `${where} (${kind})`;
  const outcomes = (OUTCOME_FIELDS[kind] ?? []).filter((field) => raw[field] !== undefined);
  if (OUTCOME_FIELDS[kind] && outcomes.length !== 1) {
    return { problems: [`${named}: give exactly one of ${OUTCOME_FIELDS[kind]!.join(', ')}${outcomes.length ? ` (it has ${outcomes.join(' and ')})` : ''}`] };
  }
  const parsed = stepSchemas[kind].safeParse(raw);
  return parsed.success ? { step: parsed.data as Step, problems: [] } : { problems: issues(parsed.error, `${named}: `) };
}

function parseOne(raw: unknown, where: string, inherited: { workflow?: WorkflowRef }): { scenario?: Scenario; problems: string[] } {
  if (!isObject(raw)) return { problems: [`${where}: a scenario is a JSON object`] };
  const label = typeof raw.name === 'string' && raw.name.trim() ? `${where} "${raw.name.trim().slice(0, 80)}"` : where;
  const { steps: rawSteps, ...head } = raw;
  const problems: string[] = [];
  const parsedHead = scenarioHead.safeParse(head);
  if (!parsedHead.success) problems.push(...issues(parsedHead.error, `${label}: `));
  const steps: Step[] = [];
  if (rawSteps !== undefined && !Array.isArray(rawSteps)) problems.push(`${label}: steps must be a list`);
  else if (Array.isArray(rawSteps) && rawSteps.length > MAX_STEPS) problems.push(`${label}: ${rawSteps.length} steps; a scenario has at most ${MAX_STEPS}`);
  else {
    for (const [index, rawStep] of (rawSteps ?? []).entries()) {
      const read = parseStep(rawStep, `${label}, step ${index + 1}`);
      problems.push(...read.problems);
      if (read.step) steps.push(read.step);
    }
  }
  if (problems.length > 0 || !parsedHead.success) return { problems };
  return { scenario: { ...parsedHead.data, workflow: parsedHead.data.workflow ?? inherited.workflow, steps }, problems };
}

/**
 * Parse one scenario or a suite. `where` names the source ("examples/x.scenarios.json") in messages;
 * scenarios of a suite inherit its `workflow`.
 */
export function parseScenarios(value: unknown, where = 'scenario'): ScenariosRead {
  if (!isObject(value)) return { ok: false, problems: [`${where}: expected a ${SCENARIO_FORMAT} scenario or { "format", "workflow", "scenarios": [...] }, not ${Array.isArray(value) ? 'a list' : typeof value}`] };
  if (!('scenarios' in value)) {
    if (value.format !== SCENARIO_FORMAT) return { ok: false, problems: [`${where}: "format" must be "${SCENARIO_FORMAT}"${value.format === undefined ? '' : `, not ${JSON.stringify(value.format).slice(0, 60)}`}`] };
    const one = parseOne(value, `${where}: scenario`, {});
    return one.scenario ? { ok: true, scenarios: [one.scenario] } : { ok: false, problems: one.problems };
  }
  const problems: string[] = [];
  if (value.format !== SCENARIO_FORMAT) problems.push(`${where}: "format" must be "${SCENARIO_FORMAT}"`);
  const unknown = Object.keys(value).filter((key) => !['format', 'workflow', 'scenarios'].includes(key));
  if (unknown.length) problems.push(`${where}: unknown field(s) ${unknown.map((key) => `"${key}"`).join(', ')} (a suite has format, workflow, scenarios)`);
  const workflow = value.workflow === undefined ? undefined : workflowRefSchema.safeParse(value.workflow);
  if (workflow && !workflow.success) problems.push(`${where}: workflow must be { "file": "…" }, { "draft": true } or { "version": N }`);
  const list = value.scenarios;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SCENARIOS) {
    return { ok: false, problems: [...problems, `${where}: scenarios must be a list of 1 to ${MAX_SCENARIOS} scenarios`] };
  }
  const scenarios: Scenario[] = [];
  for (const [index, raw] of list.entries()) {
    const one = parseOne(raw, `${where}: scenario ${index + 1}`, { workflow: workflow?.success ? workflow.data : undefined });
    problems.push(...one.problems);
    if (one.scenario) scenarios.push(one.scenario);
  }
  const names = scenarios.map((scenario) => scenario.name);
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length) problems.push(`${where}: two scenarios are named "${twice[0]}"; names must be unique`);
  return problems.length ? { ok: false, problems } : { ok: true, scenarios };
}

/** Parse JSON text as scenarios; bad JSON is a problem naming the source. */
export function parseScenariosText(text: string, where: string): ScenariosRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${where}: not valid JSON: ${(error as Error).message}`] };
  }
  return parseScenarios(value, where);
}
