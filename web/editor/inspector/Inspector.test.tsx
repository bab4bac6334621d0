// @vitest-environment jsdom
// The inspector form of every registered node kind: generated from the registry, showing a full
// config, editing each field through its widget, and leaving an untouched config exactly as it was.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeKindList, nodeKinds } from '../../../shared/nodes/registry.js';
import { fieldMeta } from '../../../shared/nodes/fields.js';
import { describeFields } from './config-fields.js';
import { byTestId, click, expectShown, renderNode, type } from './test-kit.js';

afterEach(cleanup);

/** A representative config of every kind with every field set, plus a key no kind knows. */
const FULL: Record<string, Record<string, unknown>> = {
  start: {
    inputSchema: {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'number', description: 'In EUR' }, note: { type: 'string', maxLength: 200 } },
    },
  },
  step: {
    action: 'http.request',
    input: { url: 'https://example.com/{{ input.id }}', retries: 2 },
    retry: { maxAttempts: 5, initialInterval: '2s', backoffCoefficient: 3, maxInterval: '10m', jitter: 0.1 },
    timeout: '45s',
    compensate: { action: 'refund', input: { chargeId: '{{ nodes.review.id }}' } },
    // Chosen for a name http.request does not declare: shown, so that it can be removed.
    credentials: { api: 'stripe' },
  },
  wait: { duration: '7d' },
  event: { event: 'confirmed', timeout: '2d' },
  approval: {
    title: 'Approve {{ input.amount }} EUR?',
    details: 'Submitted by **{{ input.by }}**',
    data: '{{ input }}',
    assignees: { users: ['ann'], roles: ['manager', 'finance'] },
    form: { type: 'object', properties: { comment: { type: 'string' } } },
    quorum: 'count',
    approvalsNeeded: 2,
    forbidSelfApproval: true,
    selfApprover: '{{ input.by }}',
    // timeout is left out: decideAfter and timeout both end the wait, and the config may hold one.
    remindEvery: '1d',
    escalateAfter: '2d',
    escalateTo: { users: ['cy'] },
    escalation: 'reassign',
    decideAfter: '7d',
    autoDecision: 'approve',
  },
  ai: {
    model: 'fast',
    models: ['fast', 'careful'],
    system: 'You classify expenses.',
    variables: { text: '{{ input.text }}', limit: 3 },
    inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'The expense' } }, required: ['text'] },
    prompt: 'Classify: {{ vars.text }}',
    outputSchema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
    maxAttempts: 3,
    timeout: '90s',
    maxRetryWait: '2m',
    humanFallback: { users: ['ann'], roles: ['finance'] },
  },
  branch: { condition: '{{ input.amount > 100 }}' },
  parallel: {},
  join: {},
  subflow: { workflow: 'child', input: '{{ input }}' },
  end: { output: '{{ nodes.review }}' },
  fail: { message: 'Failed: {{ input.reason }}' },
};
for (const config of Object.values(FULL)) config['x-note'] = { kept: true };

/** Types into a control inside one field (the AI node's two schemas use the same test ids inside). */
const typeIn = (field: string, testId: string, value: string) =>
  fireEvent.change(within(byTestId<HTMLElement>(field)).getByTestId(testId), { target: { value } });

const UNSET = Symbol('unset');
interface Edit {
  key: string;
  act(): void;
  /** The field's new value, or UNSET when it must be gone from the config. */
  expected: unknown;
  /** Other fields the edit changes by design (switching the action drops the input it does not have). */
  others?: Record<string, unknown>;
}

/** One edit per field of every kind, through the controls a person would use. */
const EDITS: Record<string, Edit[]> = {
  start: [
    {
      key: 'inputSchema',
      act: () => type('schema-field-name-0', 'total'),
      expected: { type: 'object', properties: { total: { type: 'number', description: 'In EUR' }, note: { type: 'string', maxLength: 200 } }, required: ['total'] },
    },
    { key: 'inputSchema', act: () => click('field-inputSchema-remove'), expected: UNSET },
  ],
  step: [
    { key: 'action', act: () => type('field-action', 'log'), expected: 'log', others: { input: {}, credentials: undefined } },
    { key: 'credentials', act: () => click('field-credentials-api-remove'), expected: UNSET },
    { key: 'input', act: () => type('field-input-url', '{{ input.url }}'), expected: { url: '{{ input.url }}', retries: 2 } },
    { key: 'input', act: () => type('field-input-other-value-0', '3'), expected: { url: 'https://example.com/{{ input.id }}', retries: 3 } },
    {
      key: 'retry',
      act: () => type('field-retry-maxAttempts', '7'),
      expected: { maxAttempts: 7, initialInterval: '2s', backoffCoefficient: 3, maxInterval: '10m', jitter: 0.1 },
    },
    { key: 'retry', act: () => type('field-retry-mode', 'delays'), expected: { delays: ['1m'] } },
    { key: 'retry', act: () => type('field-retry-mode', 'none'), expected: UNSET },
    { key: 'timeout', act: () => type('field-timeout', '2m'), expected: '2m' },
    { key: 'timeout', act: () => type('field-timeout', ''), expected: UNSET },
    { key: 'compensate', act: () => type('field-compensate-action', 'log'), expected: { action: 'log', input: {} } },
    { key: 'compensate', act: () => type('field-compensate-input-chargeId', 'ch_1'), expected: { action: 'refund', input: { chargeId: 'ch_1' } } },
    { key: 'compensate', act: () => click('field-compensate-remove'), expected: UNSET },
  ],
  wait: [
    { key: 'duration', act: () => type('field-duration', '3d'), expected: '3d' },
    { key: 'until', act: () => type('field-until', '{{ input.at }}'), expected: '{{ input.at }}' },
  ],
  event: [
    { key: 'event', act: () => type('field-event', 'paid'), expected: 'paid' },
    { key: 'timeout', act: () => type('field-timeout', ''), expected: UNSET },
  ],
  approval: [
    { key: 'title', act: () => type('field-title', 'Approve?'), expected: 'Approve?' },
    { key: 'details', act: () => type('field-details', ''), expected: UNSET },
    { key: 'data', act: () => type('field-data', 'input.amount'), expected: 'input.amount' },
    { key: 'assignees', act: () => type('field-assignees-users', 'ann, bob'), expected: { users: ['ann', 'bob'], roles: ['manager', 'finance'] } },
    { key: 'assignees', act: () => type('field-assignees-users', ' '), expected: { roles: ['manager', 'finance'] } },
    {
      key: 'form',
      act: () => click('schema-field-required-0'),
      expected: { type: 'object', properties: { comment: { type: 'string' } }, required: ['comment'] },
    },
    { key: 'quorum', act: () => type('field-quorum', 'all'), expected: 'all' },
    { key: 'quorum', act: () => type('field-quorum', ''), expected: UNSET },
    { key: 'approvalsNeeded', act: () => type('field-approvalsNeeded', '3'), expected: 3 },
    { key: 'approvalsNeeded', act: () => type('field-approvalsNeeded', ''), expected: UNSET },
    { key: 'forbidSelfApproval', act: () => click('field-forbidSelfApproval'), expected: false },
    { key: 'selfApprover', act: () => type('field-selfApprover', '{{ input.owner }}'), expected: '{{ input.owner }}' },
    { key: 'selfApprover', act: () => type('field-selfApprover', ''), expected: UNSET },
    { key: 'timeout', act: () => type('field-timeout', 'P1W'), expected: 'P1W' },
    { key: 'remindEvery', act: () => type('field-remindEvery', '4h'), expected: '4h' },
    { key: 'remindEvery', act: () => type('field-remindEvery', ''), expected: UNSET },
    { key: 'escalateAfter', act: () => type('field-escalateAfter', '3d'), expected: '3d' },
    { key: 'escalateTo', act: () => type('field-escalateTo-roles', 'director'), expected: { users: ['cy'], roles: ['director'] } },
    { key: 'escalateTo', act: () => click('field-escalateTo-remove'), expected: UNSET },
    { key: 'escalation', act: () => type('field-escalation', 'add'), expected: 'add' },
    { key: 'decideAfter', act: () => type('field-decideAfter', ''), expected: UNSET },
    { key: 'autoDecision', act: () => type('field-autoDecision', 'reject'), expected: 'reject' },
  ],
  ai: [
    { key: 'model', act: () => type('field-model', ''), expected: UNSET },
    { key: 'models', act: () => type('field-models', 'fast, slow, local'), expected: ['fast', 'slow', 'local'] },
    { key: 'models', act: () => type('field-models', ' '), expected: UNSET },
    { key: 'system', act: () => type('field-system', 'Be brief.'), expected: 'Be brief.' },
    { key: 'variables', act: () => type('field-variables-value-0', '{{ input.subject }}'), expected: { text: '{{ input.subject }}', limit: 3 } },
    { key: 'variables', act: () => type('field-variables-key-1', 'max'), expected: { text: '{{ input.text }}', max: 3 } },
    { key: 'variables', act: () => click('field-variables-remove'), expected: UNSET },
    {
      key: 'inputSchema',
      act: () => typeIn('field-inputSchema', 'schema-field-name-0', 'note'),
      expected: { type: 'object', properties: { note: { type: 'string', description: 'The expense' } }, required: ['note'] },
    },
    { key: 'inputSchema', act: () => click('field-inputSchema-remove'), expected: UNSET },
    { key: 'prompt', act: () => type('field-prompt', 'Sum up {{ input }}'), expected: 'Sum up {{ input }}' },
    {
      key: 'outputSchema',
      act: () => typeIn('field-outputSchema', 'schema-field-type-0', 'integer'),
      expected: { type: 'object', properties: { label: { type: 'integer' } }, required: ['label'] },
    },
    { key: 'maxAttempts', act: () => type('field-maxAttempts', '4'), expected: 4 },
    { key: 'timeout', act: () => type('field-timeout', '5m'), expected: '5m' },
    { key: 'maxRetryWait', act: () => type('field-maxRetryWait', '30s'), expected: '30s' },
    { key: 'maxRetryWait', act: () => type('field-maxRetryWait', ''), expected: UNSET },
    { key: 'humanFallback', act: () => type('field-humanFallback-users', 'ann, bob'), expected: { users: ['ann', 'bob'], roles: ['finance'] } },
    { key: 'humanFallback', act: () => click('field-humanFallback-remove'), expected: UNSET },
  ],
  branch: [{ key: 'condition', act: () => type('field-condition', '{{ input.ok }}'), expected: '{{ input.ok }}' }],
  parallel: [],
  join: [],
  subflow: [
    { key: 'workflow', act: () => type('field-workflow', 'billing'), expected: 'billing' },
    { key: 'input', act: () => type('field-input', ''), expected: UNSET },
  ],
  end: [{ key: 'output', act: () => type('field-output', '{{ nodes.review.decision }}'), expected: '{{ nodes.review.decision }}' }],
  fail: [{ key: 'message', act: () => type('field-message', 'Rejected'), expected: 'Rejected' }],
};

const kinds = nodeKindList.map((spec) => [spec.kind, spec] as const);

describe('the inspector form of every node kind', () => {
  it('has a full config and edits for every kind of the registry', () => {
    expect(Object.keys(FULL).sort()).toEqual(Object.keys(nodeKinds).sort());
    for (const spec of nodeKindList) {
      expect(spec.config.safeParse(FULL[spec.kind]).success, spec.kind).toBe(true);
      const keys = Object.keys(spec.config.shape);
      expect([...new Set(EDITS[spec.kind].map((edit) => edit.key))].sort(), spec.kind).toEqual([...keys].sort());
    }
  });

  it.each(kinds)('%s: one field per config key, in order, with the widget of its metadata', (kind, spec) => {
    renderNode(kind, FULL[kind]);
    expect(byTestId('inspector-kind').textContent).toContain(spec.label);
    expect(byTestId('inspector-kind-icon').dataset.icon).toBe(spec.icon);
    expect(byTestId('node-id-input').value).toBe('node');
    const rows = screen.queryAllByTestId(/^field-row-/);
    const shape = spec.config.shape as Record<string, Parameters<typeof fieldMeta>[0]>;
    expect(rows.map((row) => row.dataset.testid)).toEqual(Object.keys(shape).map((key) => `field-row-${key}`));
    for (const [key, schema] of Object.entries(shape)) {
      const row = byTestId<HTMLElement>(`field-row-${key}`);
      expect(row.dataset.widget).toBe(fieldMeta(schema)!.widget);
      expect(row.textContent).toContain(fieldMeta(schema)!.title);
    }
    if (rows.length === 0) expect(byTestId('inspector-no-config')).toBeTruthy();
    for (const control of screen.getByTestId('inspector').querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      const named = (control.labels?.length ?? 0) > 0 || !!control.getAttribute('aria-label');
      expect(named, `an unlabelled control: ${control.outerHTML}`).toBe(true);
    }
  });

  it.each(kinds)('%s: the fields show the config', (kind, spec) => {
    renderNode(kind, FULL[kind]);
    for (const field of describeFields(spec.config)) expectShown(field.widget, field.key, FULL[kind][field.key]);
  });

  it.each(kinds)('%s: a full config survives rendering, focus and blur untouched', (kind) => {
    const { store, config } = renderNode(kind, FULL[kind]);
    const before = store.getState().graph;
    for (const element of screen.getByTestId('inspector').querySelectorAll('input, textarea, select')) {
      fireEvent.focus(element);
      fireEvent.blur(element);
    }
    expect(store.getState().graph).toBe(before);
    expect(config()).toEqual(FULL[kind]);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it.each(kinds.flatMap(([kind]) => EDITS[kind].map((edit, index) => [kind, edit.key, index] as const)))(
    '%s: editing %s (#%i) changes exactly that field',
    (kind, key, index) => {
      const { config } = renderNode(kind, FULL[kind]);
      const edit = EDITS[kind][index];
      edit.act();
      const expected = { ...FULL[kind] };
      if (edit.expected === UNSET) delete expected[key];
      else expected[key] = edit.expected;
      Object.assign(expected, edit.others);
      expect(config()).toEqual(expected);
      expect(Object.hasOwn(config()!, key)).toBe(edit.expected !== UNSET);
      expect(config()!['x-note']).toEqual({ kept: true });
    },
  );
});
