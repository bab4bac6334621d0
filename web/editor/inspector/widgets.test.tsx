// @vitest-environment jsdom
// The inspector's widgets one behaviour at a time: expression checking and names, the JSON Schema
// editor's two views, renaming, read-only mode, drafts, retry modes, the action hint.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { byTestId, click, renderNode, type } from './test-kit.js';

afterEach(cleanup);

/** review and step-2 both run before the node under test. */
const UPSTREAM = [
  { id: 'e1', source: 'step-2', sourcePort: 'ok', target: 'review' },
  { id: 'e2', source: 'review', sourcePort: 'approved', target: 'node' },
];

describe('selection', () => {
  it('hints when nothing or several nodes are selected', () => {
    const { store } = renderNode('end', {});
    act(() => store.getState().select({ nodes: [] }));
    expect(screen.getByTestId('inspector-hint').textContent).toMatch(/select a node/i);
    act(() => store.getState().select({ nodes: ['node', 'review'] }));
    expect(screen.getByTestId('inspector-hint').textContent).toMatch(/2 nodes/);
    expect(screen.queryByTestId('inspector-form')).toBeNull();
  });
});

describe('expressions and templates', () => {
  it('show a JSONata syntax problem under the field as you type, and clear it when fixed', () => {
    const { config } = renderNode('branch', { condition: '{{ input.amount > 100 }}' });
    expect(screen.queryByTestId('field-condition-problem')).toBeNull();
    type('field-condition', '{{ input.amount > }}');
    expect(config()).toEqual({ condition: '{{ input.amount > }}' });
    expect(byTestId('field-condition-problem').textContent).not.toBe('');
    type('field-condition', '{{ input.amount > 100 }}');
    expect(screen.queryByTestId('field-condition-problem')).toBeNull();
  });

  it('report unbalanced braces in templates and a required template left empty', () => {
    renderNode('fail', { message: 'ok' });
    type('field-message', 'Failed: {{ input.reason');
    expect(byTestId('field-message-problem').textContent).toContain('unbalanced');
    type('field-message', '');
    expect(byTestId('field-message-problem').textContent).toContain('Message is required');
  });

  it('list input, instance and the nodes that run before this one while focused, and insert a clicked name', () => {
    const { config } = renderNode('end', {}, { edges: UPSTREAM });
    expect(screen.queryByTestId('field-output-names')).toBeNull();
    fireEvent.focus(byTestId('field-output'));
    const names = screen.getAllByTestId('field-output-name').map((button) => button.textContent);
    expect(names).toEqual(['input', 'instance', 'nodes.review', 'nodes.`step-2`']);
    fireEvent.click(screen.getByText('nodes.review'));
    expect(config()).toEqual({ output: '{{ nodes.review }}' });
    expect(screen.queryByTestId('field-output-problem')).toBeNull();
  });

  it('wrap an inserted name in {{ }} outside braces in a template, not inside', () => {
    const { config } = renderNode('fail', { message: 'By ' }, { edges: UPSTREAM });
    const field = byTestId<HTMLTextAreaElement>('field-message');
    fireEvent.focus(field);
    field.setSelectionRange(3, 3);
    fireEvent.click(screen.getByText('input'));
    expect(config()).toEqual({ message: 'By {{ input }}' });
    field.setSelectionRange(6, 6);
    fireEvent.click(screen.getByText('nodes.`step-2`'));
    expect(config()).toEqual({ message: 'By {{ nodes.`step-2`input }}' });
    expect(field.selectionStart).toBe(6 + 'nodes.`step-2`'.length);
  });

  it('check template values of a value map row by row (an action that is not registered keeps rows)', () => {
    renderNode('step', { action: 'custom.thing', input: { message: 'hi' } });
    type('field-input-value-0', 'hi {{ input. }}');
    expect(byTestId<HTMLElement>('field-input-problem-0').textContent).not.toBe('');
  });
});

describe('value maps', () => {
  it('add, name, and remove rows; a row without a key is a draft', () => {
    const { config } = renderNode('step', { action: 'custom.thing', input: { message: 'hi' } });
    click('field-input-add');
    expect(config()!.input).toEqual({ message: 'hi' });
    type('field-input-key-1', 'level');
    expect(config()!.input).toEqual({ message: 'hi', level: '' });
    type('field-input-value-1', 'info');
    expect(config()!.input).toEqual({ message: 'hi', level: 'info' });
    click('field-input-remove-0');
    expect(config()!.input).toEqual({ level: 'info' });
    expect(byTestId('field-input-key-0').value).toBe('level');
  });

  it('keep a duplicate key as a draft with a problem, saving once it is fixed', () => {
    const { config } = renderNode('step', { action: 'custom.thing', input: { a: '1', b: '2' } });
    type('field-input-key-1', 'a');
    expect(byTestId<HTMLElement>('field-input-draft-problem').textContent).toContain('"a" is used twice');
    expect(config()!.input).toEqual({ a: '1', b: '2' });
    type('field-input-key-1', 'c');
    expect(config()!.input).toEqual({ a: '1', c: '2' });
    expect(screen.queryByTestId('field-input-draft-problem')).toBeNull();
  });

  it('show the stored value again after undo', () => {
    const { store } = renderNode('step', { action: 'custom.thing', input: { message: 'hi' } });
    type('field-input-key-0', 'text');
    act(() => store.temporal.getState().undo());
    expect(byTestId('field-input-key-0').value).toBe('message');
  });

  it('start from the default when the field is unset', () => {
    const { config } = renderNode('step', { action: 'custom.thing' });
    click('field-input-add');
    type('field-input-key-0', 'message');
    expect(config()).toEqual({ action: 'custom.thing', input: { message: '' } });
  });
});

describe('the JSON Schema editor', () => {
  const schema = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] };

  it('keeps the field list and the raw view in sync', () => {
    const { config } = renderNode('start', { inputSchema: schema });
    click('schema-field-add');
    type('schema-field-name-1', 'note');
    type('schema-field-description-1', 'Why');
    const withNote = { ...schema, properties: { ...schema.properties, note: { type: 'string', description: 'Why' } } };
    expect(config()!.inputSchema).toEqual(withNote);

    click('schema-raw-toggle');
    expect(JSON.parse(byTestId<HTMLTextAreaElement>('schema-raw').value)).toEqual(withNote);
    const edited = { ...withNote, required: ['amount', 'note'], properties: { ...withNote.properties, ok: { type: 'boolean' } } };
    type('schema-raw', JSON.stringify(edited));
    expect(config()!.inputSchema).toEqual(edited);

    click('schema-raw-toggle');
    expect(['amount', 'note', 'ok'].map((_, index) => byTestId(`schema-field-name-${index}`).value)).toEqual(['amount', 'note', 'ok']);
    expect(byTestId('schema-field-required-1').checked).toBe(true);
    expect(byTestId('schema-field-type-2').value).toBe('boolean');
    click('schema-field-remove-0');
    expect(config()!.inputSchema).toEqual({ type: 'object', properties: { note: edited.properties.note, ok: { type: 'boolean' } }, required: ['note'] });
  });

  it('leaves the stored schema alone while the raw text is not JSON', () => {
    const { config } = renderNode('start', { inputSchema: schema });
    click('schema-raw-toggle');
    type('schema-raw', '{ "type": ');
    expect(byTestId<HTMLElement>('schema-draft-problem').textContent).toContain('not valid JSON');
    expect(config()!.inputSchema).toBe(schema);
    type('schema-raw', '[]');
    expect(byTestId<HTMLElement>('schema-draft-problem').textContent).toContain('must be an object');
  });

  it('keeps a schema the list cannot show in the raw view, still editable, with compile problems shown', () => {
    const oneOf = { oneOf: [{ type: 'string' }, { type: 'number' }] };
    const { config } = renderNode('start', { inputSchema: oneOf });
    expect(byTestId('schema-raw-toggle').disabled).toBe(true);
    expect(byTestId<HTMLElement>('schema-raw-only').textContent).toContain('uses "oneOf"');
    type('schema-raw', JSON.stringify({ type: 'nope' }));
    expect(config()!.inputSchema).toEqual({ type: 'nope' });
    expect(byTestId<HTMLElement>('field-inputSchema-problem').textContent).toContain('does not compile');
    type('schema-raw', JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } }));
    expect(byTestId('schema-raw-toggle').disabled).toBe(false);
  });

  it('keeps keywords the list does not edit, and refuses a name used twice', () => {
    const rich = { type: 'object', title: 'Input', properties: { email: { type: 'string', format: 'email' }, n: { type: 'integer' } } };
    const { config } = renderNode('start', { inputSchema: rich });
    expect(byTestId<HTMLElement>('schema-field-0').textContent).toContain('also format');
    type('schema-field-name-1', 'email');
    expect(byTestId<HTMLElement>('schema-draft-problem').textContent).toContain('used twice');
    expect(config()!.inputSchema).toBe(rich);
    type('schema-field-name-1', 'count');
    expect(config()!.inputSchema).toEqual({ type: 'object', title: 'Input', properties: { email: { type: 'string', format: 'email' }, count: { type: 'integer' } } });
  });

  it('is added to and removed from an optional field', () => {
    const { config } = renderNode('approval', { title: 'Ok?', assignees: { roles: ['manager'] } });
    expect(screen.queryByTestId('schema-fields')).toBeNull();
    click('field-form-add');
    expect(config()!.form).toEqual({ type: 'object', properties: {} });
    click('field-form-remove');
    expect(config()).toEqual({ title: 'Ok?', assignees: { roles: ['manager'] } });
  });
});

describe('node id and label', () => {
  it('refuses to rename to an id that exists, or a malformed one', () => {
    const { store, node } = renderNode('end', {});
    const before = store.getState().graph;
    type('node-id-input', 'review');
    fireEvent.blur(byTestId('node-id-input'));
    expect(byTestId<HTMLElement>('node-id-problem').textContent).toContain('"review" already exists');
    expect(store.getState().graph).toBe(before);
    type('node-id-input', '9 lives');
    fireEvent.keyDown(byTestId('node-id-input'), { key: 'Enter' });
    expect(byTestId<HTMLElement>('node-id-problem').textContent).toContain('starts with a letter');
    expect(node()).toBeDefined();
    fireEvent.keyDown(byTestId('node-id-input'), { key: 'Escape' });
    expect(byTestId('node-id-input').value).toBe('node');
    expect(screen.queryByTestId('node-id-problem')).toBeNull();
  });

  it('renames on Enter, and the inspector follows the node', () => {
    const { store, node } = renderNode('end', {});
    type('node-id-input', 'done');
    fireEvent.keyDown(byTestId('node-id-input'), { key: 'Enter' });
    expect(node()).toBeUndefined();
    expect(node('done')?.kind).toBe('end');
    expect(store.getState().selection.nodes).toEqual(['done']);
    expect(byTestId('node-id-input').value).toBe('done');
  });

  it('edits the label; emptying it removes it', () => {
    const { node } = renderNode('end', {}, { label: 'Done' });
    expect(byTestId('node-label-input').value).toBe('Done');
    type('node-label-input', 'Finished');
    expect(node()?.label).toBe('Finished');
    type('node-label-input', '');
    expect(node()).not.toHaveProperty('label');
  });
});

describe('read-only mode', () => {
  it('disables every control', () => {
    renderNode('step', {
      action: 'log',
      input: { message: 'hi' },
      retry: { delays: ['1m'] },
      compensate: { action: 'refund', input: {} },
    }, { readOnly: true });
    const controls = [...screen.getByTestId('inspector').querySelectorAll<HTMLInputElement>('input, select, textarea, button')];
    expect(controls.length).toBeGreaterThan(8);
    for (const control of controls) expect(control.disabled, control.outerHTML).toBe(true);
  });

  it('still lets a JSON Schema be viewed as JSON, but not edited', () => {
    renderNode('start', { inputSchema: { type: 'object', properties: { a: { type: 'string' } } } }, { readOnly: true });
    expect(byTestId('schema-field-name-0').disabled).toBe(true);
    click('schema-raw-toggle');
    expect(byTestId<HTMLTextAreaElement>('schema-raw').disabled).toBe(true);
  });
});

describe('durations', () => {
  it('say what they mean as you type, and what is wrong when they do not parse', () => {
    renderNode('wait', { duration: '7d' });
    expect(byTestId<HTMLElement>('field-duration-feedback').textContent).toBe('= 1 week');
    type('field-duration', 'PT1H30M');
    expect(byTestId<HTMLElement>('field-duration-feedback').textContent).toBe('= 1 hour 30 minutes');
    type('field-duration', '3 days');
    expect(byTestId<HTMLElement>('field-duration-problem').textContent).toContain('not a duration');
  });

  it('show a problem of the config as a whole (duration or until)', () => {
    renderNode('wait', { duration: '7d' });
    type('field-until', '{{ input.at }}');
    expect(byTestId<HTMLElement>('inspector-config-problem').textContent).toContain('either duration or until');
  });
});

describe('retry policies', () => {
  it('switch between default, backoff and delays, and edit the delays', () => {
    const { config } = renderNode('step', { action: 'log' });
    expect(byTestId('field-retry-mode').value).toBe('none');
    type('field-retry-mode', 'backoff');
    expect(config()!.retry).toEqual({});
    expect(byTestId('field-retry-maxAttempts').placeholder).toBe('3');
    type('field-retry-initialInterval', '5s');
    expect(config()!.retry).toEqual({ initialInterval: '5s' });
    type('field-retry-initialInterval', '');
    expect(config()!.retry).toEqual({});
    type('field-retry-mode', 'delays');
    expect(config()!.retry).toEqual({ delays: ['1m'] });
    expect(byTestId('field-retry-delay-remove-0').disabled).toBe(true);
    click('field-retry-delay-add');
    type('field-retry-delay-1', '1h');
    expect(config()!.retry).toEqual({ delays: ['1m', '1h'] });
    click('field-retry-delay-remove-0');
    expect(config()!.retry).toEqual({ delays: ['1h'] });
    type('field-retry-mode', 'none');
    expect(config()).toEqual({ action: 'log' });
  });
});

describe('actions, workflows and assignees', () => {
  it('shows the chosen action by its title, with its description; its fields are the input form', () => {
    renderNode('step', { action: 'http.request' });
    expect(byTestId<HTMLElement>('field-action-hint').textContent).toContain('Calls a URL');
    expect(byTestId<HTMLElement>('field-input').dataset.action).toBe('http.request');
    expect(byTestId('field-input-url-required')).toBeTruthy();
    expect(screen.queryByTestId('field-input-method-required')).toBeNull();
  });

  it('keeps an action that is not registered, and says so', () => {
    renderNode('step', { action: 'gone', input: { a: 1 } });
    expect(byTestId('field-action').value).toBe('gone');
    expect(screen.getByText('gone (not registered)')).toBeTruthy();
    expect(byTestId<HTMLElement>('field-action-unknown').textContent).toContain('shown as plain values');
    expect(byTestId('field-input-key-0').value).toBe('a');
  });

  it('offers the known workflows', () => {
    renderNode('subflow', { workflow: 'elsewhere' });
    const list = document.getElementById(byTestId('field-workflow').getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((option) => option.value)).toEqual(['child', 'billing']);
    expect(byTestId<HTMLElement>('field-workflow-unknown')).toBeTruthy();
  });

  it('edits users and roles as lists, and reports when both are empty', () => {
    const { config } = renderNode('approval', { title: 'Ok?', assignees: { roles: ['manager'] } });
    type('field-assignees-users', 'ann,  bob ,');
    expect(config()!.assignees).toEqual({ roles: ['manager'], users: ['ann', 'bob'] });
    expect(byTestId('field-assignees-users').value).toBe('ann,  bob ,');
    type('field-assignees-users', '');
    type('field-assignees-roles', '');
    expect(config()!.assignees).toEqual({});
    expect(byTestId<HTMLElement>('field-assignees-problem').textContent).toContain('at least one user or role');
  });

  it('numbers keep a half-typed value as a draft and unset to the default', () => {
    const { config } = renderNode('ai', { prompt: 'p', outputSchema: { type: 'object' }, maxAttempts: 3 });
    type('field-maxAttempts', '');
    expect(config()).not.toHaveProperty('maxAttempts');
    expect(byTestId('field-maxAttempts').placeholder).toBe('2');
    type('field-maxAttempts', '11');
    expect(config()!.maxAttempts).toBe(11);
    expect(byTestId<HTMLElement>('field-maxAttempts-problem').textContent).not.toBe('');
  });
});
