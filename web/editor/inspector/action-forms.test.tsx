// @vitest-environment jsdom
// A step's input as the form of its action's declared input, for every built-in action as the
// server's registry describes it: fields from the schema (titles, required marks, choices, help),
// values that round-trip through the node's config, the Fixed / Expression switch per field, and
// switching the action keeping only the fields the new one has (undoable).
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinActions } from '../../../server/actions/builtin.actions.js';
import { ActionRegistry, type ActionDescription } from '../../../server/actions/registry.js';
import { inputProperties } from './action-input-model.js';
import { byTestId, click, renderNode, type } from './test-kit.js';

afterEach(cleanup);

const BUILT_IN = new ActionRegistry(builtinActions).describe();
const builtIn = { actions: BUILT_IN };

/** A value a person would type for each field of the built-ins, and how to type it. */
function fill(key: string, kind: string, options: unknown[]): { act(): void; expected: unknown } {
  const id = `field-input-${key}`;
  switch (kind) {
    case 'enum':
      return { act: () => type(id, JSON.stringify(options[1])), expected: options[1] };
    case 'map':
      return {
        act: () => {
          click(`${id}-add`);
          type(`${id}-key-0`, 'X-Trace');
          type(`${id}-value-0`, 'abc-{{ instance.id }}');
        },
        expected: { 'X-Trace': 'abc-{{ instance.id }}' },
      };
    case 'json': {
      // email.send's recipients are an address or a list of them (anyOf); other JSON fields take any value.
      const value = key === 'to' ? 'ann@example.com' : key === 'cc' ? ['bob@example.com', 'cy@example.org'] : { sku: 'A1', qty: 2 };
      return { act: () => type(id, JSON.stringify(value)), expected: value };
    }
    default:
      return { act: () => type(id, key === 'url' ? 'https://example.com/{{ input.id }}' : key === 'timeout' ? '10s' : `a ${key}`), expected: key === 'url' ? 'https://example.com/{{ input.id }}' : key === 'timeout' ? '10s' : `a ${key}` };
  }
}

describe.each(BUILT_IN.map((action) => [action.name, action] as const))('the input form of %s', (name, action) => {
  const properties = inputProperties(action.inputSchema);
  // Code fields are a CodeMirror editor with no Fixed / Expression switch (web/e2e/code-editor.e2e.test.ts).
  const typed = properties.filter((property) => (property.schema as { contentMediaType?: unknown }).contentMediaType !== 'text/javascript');
  const preset = Object.fromEntries(properties.filter((property) => !typed.includes(property)).map((property) => [property.key, 'return input']));

  it('has one field per declared property: its title, required mark, choices and description', () => {
    renderNode('step', { action: name, input: {} }, builtIn);
    expect(byTestId<HTMLElement>('field-input').dataset.action).toBe(name);
    const rows = within(byTestId<HTMLElement>('field-input')).getAllByTestId(/^field-input-[A-Za-z]+-row$/);
    expect(rows.map((row) => row.dataset.testid)).toEqual(properties.map((property) => `field-input-${property.key}-row`));
    for (const property of properties) {
      const row = byTestId<HTMLElement>(`field-input-${property.key}-row`);
      expect(row.querySelector('.cairn-inspector__field-title')!.textContent).toBe(property.title);
      expect(property.title, 'a title from the schema, not the key').not.toBe(property.key);
      expect(!!screen.queryByTestId(`field-input-${property.key}-required`), property.key).toBe(property.required);
      if (property.description) expect(row.textContent).toContain(property.description);
      if (property.kind === 'enum') {
        const select = byTestId<HTMLSelectElement>(`field-input-${property.key}`);
        expect(select.tagName).toBe('SELECT');
        expect([...select.options].slice(1).map((option) => option.textContent)).toEqual(property.schema.enum);
        if (property.defaultValue !== undefined) expect(select.options[0].textContent).toBe(`Default (${String(property.defaultValue)})`);
      }
      if (typeof property.defaultValue === 'string' && property.kind === 'string') expect(byTestId(`field-input-${property.key}`).placeholder).toBe(property.defaultValue);
    }
    // A required field left empty says so under itself, as the publish check would.
    for (const property of properties.filter((candidate) => candidate.required)) {
      expect(byTestId<HTMLElement>(`field-input-${property.key}-problem`).textContent).toContain(`${property.key} is required`);
    }
  });

  it('a value typed into each field is stored in the node’s config and shown again from it', () => {
    const { config } = renderNode('step', { action: name, input: { ...preset } }, builtIn);
    const expected: Record<string, unknown> = { ...preset };
    for (const property of typed) {
      const edit = fill(property.key, property.kind, property.schema.enum ?? []);
      edit.act();
      expected[property.key] = edit.expected;
      expect(config()!.input).toEqual(expected);
    }
    expect(screen.queryAllByTestId(/^field-input-[A-Za-z]+-problem$/)).toEqual([]);
    cleanup();
    const { config: again, store } = renderNode('step', { action: name, input: expected }, builtIn);
    for (const property of typed) {
      const control = byTestId<HTMLInputElement>(`field-input-${property.key}`);
      if (property.kind === 'map') expect(byTestId(`field-input-${property.key}-value-0`).value).toBe('abc-{{ instance.id }}');
      else if (property.kind === 'enum') expect(control.value).toBe(JSON.stringify(expected[property.key]));
      else if (property.kind === 'json') expect(JSON.parse(control.value)).toEqual(expected[property.key]);
      else expect(control.value).toBe(expected[property.key]);
    }
    // Showing, focusing and leaving every control changes nothing.
    for (const element of byTestId<HTMLElement>('field-input').querySelectorAll('input, textarea, select')) {
      fireEvent.focus(element);
      fireEvent.blur(element);
    }
    expect(again()!.input).toEqual(expected);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('switches each field between a fixed value and an expression, keeping what it can', () => {
    const { config } = renderNode('step', { action: name, input: {} }, builtIn);
    for (const property of typed) {
      const id = `field-input-${property.key}`;
      click(`${id}-mode-expression`);
      expect(byTestId(`${id}-mode-expression`).getAttribute('aria-pressed')).toBe('true');
      type(id, '{{ input.value }}');
      expect((config()!.input as Record<string, unknown>)[property.key]).toBe('{{ input.value }}');
      click(`${id}-mode-fixed`);
      expect(byTestId(`${id}-mode-fixed`).getAttribute('aria-pressed')).toBe('true');
    }
  });
});

describe('fixed values and expressions in typed fields', () => {
  it('a choice becomes {{ "POST" }} and back; an expression that is no choice leaves it unset', () => {
    const { config } = renderNode('step', { action: 'http.request', input: { url: 'https://x.test', method: 'POST' } }, builtIn);
    click('field-input-method-mode-expression');
    expect(config()!.input).toEqual({ url: 'https://x.test', method: '{{ "POST" }}' });
    click('field-input-method-mode-fixed');
    expect(config()!.input).toEqual({ url: 'https://x.test', method: 'POST' });
    click('field-input-method-mode-expression');
    type('field-input-method', '{{ input.verb }}');
    click('field-input-method-mode-fixed');
    expect(config()!.input).toEqual({ url: 'https://x.test' });
    expect(byTestId<HTMLSelectElement>('field-input-method').value).toBe('');
  });

  it('a JSON body becomes an expression giving the same object, and text shows as text', () => {
    const { config } = renderNode('step', { action: 'http.request', input: { url: 'https://x.test', body: { a: [1] } } }, builtIn);
    expect(byTestId('field-input-body-mode-fixed').getAttribute('aria-pressed')).toBe('true');
    click('field-input-body-mode-expression');
    expect((config()!.input as Record<string, unknown>).body).toBe('{{ {"a":[1]} }}');
    click('field-input-body-mode-fixed');
    expect((config()!.input as Record<string, unknown>).body).toEqual({ a: [1] });
  });

  it('numbers, yes/no, nested objects and lists of a custom action', () => {
    const custom: ActionDescription = {
      name: 'ship',
      description: 'Ships an order.',
      inputSchema: {
        type: 'object',
        required: ['count'],
        properties: {
          count: { type: 'integer', title: 'Count' },
          express: { type: 'boolean', title: 'Express', default: false },
          address: { type: 'object', title: 'Address', properties: { city: { type: 'string', title: 'City' } } },
          tags: { type: 'array', title: 'Tag', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    };
    const { config } = renderNode('step', { action: 'ship', input: { stray: 1 } }, { actions: [custom] });
    // A key the schema refuses is listed to remove, not offered as an "other field".
    expect(screen.queryByTestId('field-input-other')).toBeNull();
    click('field-input-unknown-remove-stray');
    expect(config()!.input).toEqual({});
    type('field-input-count', '3');
    type('field-input-express', 'true');
    type('field-input-address-city', 'Lyon');
    click('field-input-tags-add');
    type('field-input-tags-0', 'fragile');
    expect(config()!.input).toEqual({ count: 3, express: true, address: { city: 'Lyon' }, tags: ['fragile'] });
    click('field-input-count-mode-expression');
    expect((config()!.input as Record<string, unknown>).count).toBe('{{ 3 }}');
    click('field-input-count-mode-fixed');
    expect((config()!.input as Record<string, unknown>).count).toBe(3);
    click('field-input-tags-remove-0');
    expect((config()!.input as Record<string, unknown>).tags).toEqual([]);
    // A number field holding bare text shows it as an expression to fix, never as a silent number.
    cleanup();
    renderNode('step', { action: 'ship', input: { count: 'input.n' } }, { actions: [custom] });
    expect(byTestId('field-input-count-mode-expression').getAttribute('aria-pressed')).toBe('true');
    expect(byTestId('field-input-count-brace')).toBeTruthy();
  });
});

describe('switching the action', () => {
  it('keeps the fields the new action has and drops the others, in one undo step', () => {
    const { config, store } = renderNode('step', { action: 'log', input: { message: 'hi', level: 'warn', data: '{{ input }}' } }, builtIn);
    // Typing just before switching stays its own undo step.
    type('field-input-message', 'hello');
    type('field-action', 'transform');
    expect(config()).toEqual({ action: 'transform', input: { data: '{{ input }}' } });
    expect(byTestId<HTMLElement>('field-input').dataset.action).toBe('transform');
    expect(screen.queryByTestId('field-input-message')).toBeNull();
    expect(byTestId('field-input-data').value).toBe('{{ input }}');
    act(() => store.temporal.getState().undo());
    expect(config()).toEqual({ action: 'log', input: { message: 'hello', level: 'warn', data: '{{ input }}' } });
    expect(byTestId('field-input-message').value).toBe('hello');
    expect(byTestId<HTMLSelectElement>('field-input-level').value).toBe('"warn"');
  });

  it('drops a shared name whose fixed value the new action would refuse, but keeps an expression there', () => {
    const counter: ActionDescription = { name: 'count', description: 'c', inputSchema: { type: 'object', properties: { level: { type: 'number' }, data: {} } } };
    const { config } = renderNode('step', { action: 'log', input: { message: 'm', level: 'warn', data: 1 } }, { actions: [...BUILT_IN, counter] });
    type('field-action', 'count');
    expect(config()!.input).toEqual({ data: 1 });
    cleanup();
    const again = renderNode('step', { action: 'log', input: { level: '{{ input.level }}' } }, { actions: [...BUILT_IN, counter] });
    type('field-action', 'count');
    expect(again.config()!.input).toEqual({ level: '{{ input.level }}' });
  });

  it('keeps the input as it is for an action that is not registered, and the same for a compensation', () => {
    const { config } = renderNode(
      'step',
      { action: 'http.request', input: { url: 'https://x.test' }, compensate: { action: 'log', input: { message: 'undo', level: 'info' } } },
      builtIn,
    );
    type('field-compensate-action', 'transform');
    expect(config()!.compensate).toEqual({ action: 'transform', input: {} });
    type('field-action', '');
    expect(config()!.input).toEqual({ url: 'https://x.test' });
    expect(byTestId('field-input-key-0').value).toBe('url');
  });
});
