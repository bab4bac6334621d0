// The scenario format `cairn.scenario/v1` (DESIGN §7): a workflow, an input, a script of steps on a
// virtual clock, and expectations. One zod schema per step kind; parse-scenarios.ts turns zod's
// issues into messages that name the step.
import { z } from 'zod';
import { parseDuration } from '../durations.js';
import { nodeIdSchema } from '../graph/graph.schema.js';
import { RUN_STATUSES } from '../runs/status.js';

export const SCENARIO_FORMAT = 'cairn.scenario/v1';
/** How many steps one scenario may have, and scenarios one file or workflow. */
export const MAX_STEPS = 1_000;
export const MAX_SCENARIOS = 200;

export const durationTextSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

const nodeRef = nodeIdSchema;

/** Which graph a scenario runs: a file (relative to the scenario file), the draft it is stored with, or a published version. */
export const workflowRefSchema = z.union([
  z.strictObject({ file: z.string().min(1).max(1_000) }),
  z.strictObject({ draft: z.literal(true) }),
  z.strictObject({ version: z.number().int().min(1).max(1_000_000) }),
]);

const errorSchema = z.union([
  z.string().min(1).max(2_000),
  z.strictObject({ message: z.string().min(1).max(2_000), code: z.string().min(1).max(100).optional(), retryable: z.boolean().optional() }),
]);

/** What one attempt of a stubbed action or node gives: a result, or an error. */
export const stubOutcomeSchema = z.union([z.strictObject({ result: z.unknown() }), z.strictObject({ error: errorSchema })]);

/** What one model call of an AI node answers: a JSON value, raw text (to test malformed answers) or a provider error. */
export const aiOutcomeSchema = z.union([z.strictObject({ answer: z.unknown() }), z.strictObject({ raw: z.string().max(256 * 1024) }), z.strictObject({ error: z.string().min(1).max(2_000) })]);

const durationBound = z.strictObject({ atLeast: durationTextSchema.optional(), atMost: durationTextSchema.optional() });

export const expectationsSchema = z.strictObject({
  /** Any status a run can have, an operator's queued and paused included. */
  status: z.enum(RUN_STATUSES).optional(),
  /** Every node entered, in order (a node entered twice appears twice). */
  path: z.array(nodeRef).max(10_000).optional(),
  visited: z.array(nodeRef).max(1_000).optional(),
  notVisited: z.array(nodeRef).max(1_000).optional(),
  /** The nodes the run waits at, in any order ([] for none). */
  waitingAt: z.array(nodeRef).max(1_000).optional(),
  /** Partial match: objects may have more keys than expected; arrays match element by element. */
  output: z.unknown().optional(),
  error: z.strictObject({ code: z.string().optional(), message: z.string().optional(), nodeId: nodeRef.optional() }).optional(),
  /** Partial match of each node's last output. */
  nodes: z.record(nodeRef, z.unknown()).optional(),
  /** JSONata that must be true, over { status, input, output, error, nodes, path, waitingAt, duration, attempts, history }. */
  assert: z.union([z.string().min(1).max(10_000), z.array(z.string().min(1).max(10_000)).min(1).max(100)]).optional(),
  /** Workflow time from the start of the run to its end (or to now, while it runs). */
  duration: z.union([durationTextSchema, durationBound]).optional(),
  /** Attempts per node (step attempts, model calls), over all its visits. */
  attempts: z.record(nodeRef, z.number().int().min(0)).optional(),
});

const common = { expect: expectationsSchema.optional() };

export const stepSchemas = {
  advance: z.strictObject({
    advance: z.union([
      durationTextSchema,
      z.strictObject({ untilNode: nodeRef, within: durationTextSchema.optional() }),
      z.strictObject({ untilWaiting: z.literal(true), within: durationTextSchema.optional() }),
    ]),
    ...common,
  }),
  signal: z.strictObject({ signal: z.string().min(1).max(200), data: z.unknown().optional(), ...common }),
  decide: z.strictObject({
    decide: nodeRef,
    decision: z.enum(['approve', 'reject']),
    as: z.union([z.string().min(1).max(200), z.strictObject({ user: z.string().min(1).max(200).optional(), roles: z.array(z.string().min(1).max(100)).max(50).optional(), admin: z.boolean().optional() })]).optional(),
    form: z.record(z.string(), z.unknown()).optional(),
    comment: z.string().max(10_000).optional(),
    ...common,
  }),
  ai: z.strictObject({
    ai: nodeRef,
    answer: z.unknown().optional(),
    raw: z.string().max(256 * 1024).optional(),
    error: z.string().min(1).max(2_000).optional(),
    sequence: z.array(aiOutcomeSchema).min(1).max(100).optional(),
    ...common,
  }),
  callback: z.strictObject({ callback: nodeRef, data: z.unknown().optional(), ...common }),
  stub: z.strictObject({
    stub: z.union([z.strictObject({ action: z.string().min(1).max(200) }), z.strictObject({ node: nodeRef })]),
    result: z.unknown().optional(),
    error: errorSchema.optional(),
    sequence: z.array(stubOutcomeSchema).min(1).max(100).optional(),
    ...common,
  }),
} as const;

export type StepKind = keyof typeof stepSchemas;
export const STEP_KINDS = Object.keys(stepSchemas) as StepKind[];

export const stepSchema = z.union([stepSchemas.advance, stepSchemas.signal, stepSchemas.decide, stepSchemas.ai, stepSchemas.callback, stepSchemas.stub]);

export const scenarioSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT).optional(),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).optional(),
  workflow: workflowRefSchema.optional(),
  /** Where the virtual clock starts (ISO 8601); default 2026-01-01T00:00:00Z. */
  startAt: z.iso.datetime({ offset: true }).optional(),
  input: z.unknown().optional(),
  steps: z.array(stepSchema).max(MAX_STEPS).default([]),
  expect: expectationsSchema.optional(),
});

/** A file of several scenarios sharing one workflow. */
export const scenarioSuiteSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT),
  workflow: workflowRefSchema.optional(),
  scenarios: z.array(scenarioSchema).min(1).max(MAX_SCENARIOS),
});

export type WorkflowRef = z.infer<typeof workflowRefSchema>;
export type StubOutcome = z.infer<typeof stubOutcomeSchema>;
export type AiOutcome = z.infer<typeof aiOutcomeSchema>;
export type Expectations = z.infer<typeof expectationsSchema>;
export type Step = z.infer<typeof stepSchema>;
export type StepOf<K extends StepKind> = z.infer<(typeof stepSchemas)[K]>;
export type Scenario = z.infer<typeof scenarioSchema>;

export const DEFAULT_START = '2026-01-01T00:00:00.000Z';

/** The kind of a step: the one step key it holds. */
export function stepKind(step: Step): StepKind {
  return STEP_KINDS.find((kind) => kind in step)!;
}

/** "advance 7d", "decide manager approve": a step as the runner's messages name it. */
export function describeStep(step: Step): string {
  if ('advance' in step) {
    const advance = step.advance;
    return typeof advance === 'string' ? `advance ${advance}` : 'untilNode' in advance ? `advance until node ${advance.untilNode}` : 'advance until the run waits';
  }
  if ('signal' in step) return `signal ${step.signal}`;
  if ('decide' in step) return `decide ${step.decide} ${step.decision}`;
  if ('ai' in step) return `ai ${step.ai}`;
  if ('callback' in step) return `callback ${step.callback}`;
  return `stub ${'action' in step.stub ? `action ${step.stub.action}` : `node ${step.stub.node}`}`;
}
