// Test helpers for the inspector's component tests: a store holding one node under test (plus two
// neighbours whose ids expressions can name), and reads of what the form shows.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { expect } from 'vitest';
import type { ActionDescription } from '../../../shared/runs/actions.js';
import type { CredentialChoice } from '../../../shared/credential-kinds.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { createEditorStore } from '../editor.store.js';
import { Inspector } from './Inspector.js';
import type { LastRunData } from './expression-scope.js';
import type { WidgetKind } from './config-fields.js';

export const ACTIONS: ActionDescription[] = [
  {
    name: 'http.request',
    description: 'Calls a URL and returns the response.',
    inputSchema: {
      type: 'object',
      properties: { url: { type: 'string', description: 'Where to send it' }, method: { type: 'string' }, body: {} },
      required: ['url'],
    },
  },
  { name: 'refund', description: 'Refunds a charge.', inputSchema: { type: 'object', properties: { chargeId: { type: 'string' } }, required: ['chargeId'] } },
  { name: 'log', description: 'Writes a line to the run log.', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } },
];

export const WORKFLOWS = ['child', 'billing'];

export interface RenderOptions {
  readOnly?: boolean;
  label?: string;
  /** Edges among node, review and step-2 (none by default: then no node runs before another). */
  edges?: Graph['edges'];
  actions?: ActionDescription[];
  lastRun?: LastRunData | null;
  /** The stored credentials the pickers offer (undefined: not known, names are typed). */
  credentials?: CredentialChoice[];
}

/** The node under test is "node"; "review" and "step-2" are there to be named by expressions. */
export function renderNode(kind: string, config: Record<string, unknown>, options: RenderOptions = {}) {
  const graph: Graph = {
    format: 'cairn.graph/v2',
    nodes: [
      { id: 'node', kind, position: { x: 0, y: 0 }, config, ...(options.label ? { label: options.label } : {}) },
      { id: 'review', kind: 'approval', position: { x: 200, y: 0 }, config: { title: 'Ok?', assignees: { roles: ['manager'] } } },
      { id: 'step-2', kind: 'end', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: options.edges ?? [],
  };
  return renderGraph(graph, 'node', options);
}

/** Any graph, with `selected` selected in the inspector. */
export function renderGraph(graph: Graph, selected: string, options: RenderOptions = {}) {
  const actions = options.actions ?? ACTIONS;
  const store = createEditorStore({
    graph,
    readOnly: options.readOnly,
    actions: actions.map((action) => action.name),
    actionInputs: Object.fromEntries(actions.map((action) => [action.name, action.inputSchema])),
    actionCredentials: Object.fromEntries(actions.map((action) => [action.name, action.credentials ?? {}])),
  });
  store.getState().select({ nodes: [selected] });
  const view = render(<Inspector store={store} actions={actions} workflows={WORKFLOWS} lastRun={options.lastRun} credentials={options.credentials} />);
  const node = (id = selected) => store.getState().graph.nodes.find((candidate) => candidate.id === id);
  return { store, view, node, config: () => node()?.config };
}

export const byTestId = <T extends HTMLElement = HTMLInputElement>(testId: string) => screen.getByTestId(testId) as T;

export function type(testId: string, value: string) {
  fireEvent.change(byTestId(testId), { target: { value } });
}

export function click(testId: string) {
  fireEvent.click(byTestId(testId));
}

const valueOf = (testId: string) => byTestId<HTMLInputElement>(testId).value;

/** The form shows `value` for field `key` with the controls of `widget`. */
export function expectShown(widget: WidgetKind, key: string, value: unknown) {
  const id = `field-${key}`;
  const record = (value ?? {}) as Record<string, unknown>;
  switch (widget) {
    case 'valueMap':
      if (screen.getByTestId(id).dataset.action) {
        expectActionInput(id, record);
        return;
      }
      Object.entries(record).forEach(([name, item], index) => {
        expect(valueOf(`${id}-key-${index}`)).toBe(name);
        expect(valueOf(`${id}-value-${index}`)).toBe(typeof item === 'string' ? item : JSON.stringify(item));
      });
      expect(screen.queryByTestId(`${id}-key-${Object.keys(record).length}`)).toBeNull();
      return;
    case 'jsonSchema': {
      // A form may hold two schemas (the AI node's input and output): read inside this field's own.
      const inField = within(screen.getByTestId(id));
      const control = (testId: string) => inField.getByTestId(testId) as HTMLInputElement;
      const properties = (record.properties ?? {}) as Record<string, { type: string; description?: string }>;
      const required = (record.required ?? []) as string[];
      Object.entries(properties).forEach(([name, property], index) => {
        expect(control(`schema-field-name-${index}`).value).toBe(name);
        expect(control(`schema-field-type-${index}`).value).toBe(property.type);
        expect(control(`schema-field-required-${index}`).checked).toBe(required.includes(name));
        expect(control(`schema-field-description-${index}`).value).toBe(property.description ?? '');
      });
      expect(inField.queryByTestId(`schema-field-name-${Object.keys(properties).length}`)).toBeNull();
      return;
    }
    case 'stringList':
      expect(valueOf(id)).toBe(((value ?? []) as string[]).join(', '));
      return;
    case 'boolean':
      // A checkbox: its value attribute is always "on"; what it shows is whether it is checked.
      expect(byTestId(id).type).toBe('checkbox');
      expect(byTestId(id).checked).toBe(value === true);
      return;
    case 'retryPolicy':
      expect(valueOf(`${id}-mode`)).toBe(value === undefined ? 'none' : 'delays' in record ? 'delays' : 'backoff');
      if (Array.isArray(record.delays)) record.delays.forEach((delay, index) => expect(valueOf(`${id}-delay-${index}`)).toBe(delay));
      else for (const [name, item] of Object.entries(record)) expect(valueOf(`${id}-${name}`)).toBe(String(item));
      return;
    case 'compensation':
      expect(valueOf(`${id}-action`)).toBe(record.action);
      expectShown('valueMap', `${key}-input`, record.input);
      return;
    case 'credentials':
      for (const [slot, name] of Object.entries(record)) {
        const picker = screen.queryByTestId(`${id}-${slot}`) as HTMLInputElement | null;
        if (picker) expect(picker.value, slot).toBe(name);
        else expect(screen.getByTestId(`${id}-${slot}-undeclared`).textContent).toContain(`no credential “${slot}”`);
      }
      return;
    case 'assignees':
      expect(valueOf(`${id}-users`)).toBe(((record.users ?? []) as string[]).join(', '));
      expect(valueOf(`${id}-roles`)).toBe(((record.roles ?? []) as string[]).join(', '));
      return;
    default:
      expect(valueOf(id)).toBe(value === undefined ? '' : String(value));
  }
}

/** An action's input form shows each value: in its own field, or among the other fields. */
export function expectActionInput(id: string, input: Record<string, unknown>) {
  const others = Object.entries(input).filter(([name]) => !screen.queryByTestId(`${id}-${name}-row`));
  for (const [name, item] of Object.entries(input)) {
    if (!screen.queryByTestId(`${id}-${name}-row`)) continue;
    const control = screen.getByTestId(`${id}-${name}`) as HTMLInputElement;
    const shown = control.tagName === 'SELECT' ? (control.value === '' ? undefined : JSON.parse(control.value)) : control.value;
    expect(shown, name).toEqual(typeof item === 'string' || control.tagName === 'SELECT' ? item : typeof item === 'number' ? String(item) : JSON.stringify(item, null, 2));
  }
  if (others.length) expectShown('valueMap', `${id.replace(/^field-/, '')}-other`, Object.fromEntries(others));
}
