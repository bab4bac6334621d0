// @vitest-environment jsdom
// Schema forms with structured fields: arrays as lists with Add/Remove, objects as groups of fields,
// and JSON text that does not parse reported as such — not as "items is required" (issue 13, list 7).
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaForm, schemaFormProblems } from './SchemaForm.js';
import { fieldKind, pointerWords } from './schema-form-model.js';

afterEach(cleanup);

const order = {
  type: 'object',
  required: ['customer', 'items'],
  properties: {
    customer: { type: 'string', title: 'Customer' },
    tags: { type: 'array', items: { type: 'string', title: 'tag' } },
    items: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', title: 'line', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 }, gift: { type: 'boolean' } } },
    },
    address: { type: 'object', title: 'Address', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
    extra: { description: 'anything else' },
  },
};

/** The form as the start dialog uses it: the value, the unparsable text, and the problems that block starting. */
function Harness({ schema, initial = {} }: { schema: unknown; initial?: Record<string, unknown> }) {
  const [value, setValue] = useState<Record<string, unknown>>(initial);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const problems = Object.values(schemaFormProblems(schema, value, invalid));
  return (
    <>
      <SchemaForm schema={schema} value={value} onChange={setValue} onInvalidChange={setInvalid} testId="f" />
      <output data-testid="value">{JSON.stringify(value)}</output>
      <ul data-testid="problems">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </>
  );
}

const byId = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const value = () => JSON.parse(screen.getByTestId('value').textContent!) as Record<string, unknown>;
const problems = () => [...screen.getByTestId('problems').querySelectorAll('li')].map((item) => item.textContent);
const type = (id: string, text: string) => act(() => void fireEvent.change(byId(id), { target: { value: text } }));
const click = (id: string) => act(() => void fireEvent.click(byId(id)));

describe('structured fields', () => {
  it('edit an array of objects as a list: add lines, fill their fields, remove one', () => {
    render(<Harness schema={order} />);
    expect(screen.getByTestId('f-items').tagName).toBe('FIELDSET');
    expect(screen.queryByTestId('f-items-json')).toBeNull();
    click('f-items-add');
    click('f-items-add');
    type('f-items-0-sku', 'A-1');
    type('f-items-0-qty', '2');
    type('f-items-1-sku', 'B-2');
    type('f-items-1-qty', '5');
    click('f-items-1-gift');
    expect(value().items).toEqual([
      { sku: 'A-1', qty: 2 },
      { sku: 'B-2', qty: 5, gift: true },
    ]);
    click('f-items-remove-0');
    expect(value().items).toEqual([{ sku: 'B-2', qty: 5, gift: true }]);
    expect(byId('f-items-0-sku').value).toBe('B-2');
    expect(screen.getByLabelText('Remove line 1')).toBeTruthy();
  });

  it('edit an array of strings with one input per item, and an object as a group of fields', () => {
    render(<Harness schema={order} />);
    click('f-tags-add');
    click('f-tags-add');
    type('f-tags-0', 'urgent');
    type('f-tags-1', 'gift');
    type('f-address-city', 'Lyon');
    expect(value()).toMatchObject({ tags: ['urgent', 'gift'], address: { city: 'Lyon' } });
    expect(screen.getByLabelText('tag 2')).toBe(byId('f-tags-1'));
    expect(screen.getByTestId('f-address').querySelector('legend')?.textContent).toBe('Address');
  });

  it('show each nested problem at its own field once touched, and list them all', () => {
    render(<Harness schema={order} />);
    type('f-customer', 'Ada');
    click('f-items-add');
    type('f-items-0-qty', '0');
    expect(byId('f-items-0-qty-problem').textContent).toBe('items.0.qty must be >= 1');
    expect(problems()).toEqual(expect.arrayContaining(['items.0.sku is required', 'items.0.qty must be >= 1']));
    type('f-items-0-sku', 'A-1');
    type('f-items-0-qty', '3');
    expect(problems()).toEqual([]);
  });

  it('start from the value given (defaults) and keep items of kinds it cannot draw as JSON', () => {
    render(<Harness schema={order} initial={{ customer: 'Bo', items: [{ sku: 'Z', qty: 1 }], extra: { note: 'x' } }} />);
    expect(byId('f-customer').value).toBe('Bo');
    expect(byId('f-items-0-sku').value).toBe('Z');
    expect(JSON.parse(byId('f-extra').value)).toEqual({ note: 'x' });
  });
});

describe('JSON text that does not parse', () => {
  const rawItems = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: {} } } };

  it('is reported as invalid JSON naming the field, not as a missing field, and blocks until fixed', () => {
    render(<Harness schema={rawItems} />);
    expect(byId('f-items').tagName).toBe('TEXTAREA');
    expect(problems()).toEqual(['items is required']);
    type('f-items', '[1, 2,');
    expect(problems()).toHaveLength(1);
    expect(problems()[0]).toMatch(/^items is not valid JSON: /);
    expect(problems()[0]).not.toContain('required');
    expect(byId('f-items-problem').textContent).toMatch(/^items is not valid JSON/);
    type('f-items', '[1, 2]');
    expect(problems()).toEqual([]);
    expect(value()).toEqual({ items: [1, 2] });
    // Broken again after a valid value: the last valid value is not taken for what was typed.
    type('f-items', '[1, 2, ]');
    expect(problems()[0]).toMatch(/^items is not valid JSON/);
  });

  it('for a schema without properties, names the whole input', () => {
    render(<Harness schema={{ type: 'object' }} />);
    type('f-json', '{ "a": ');
    expect(problems()[0]).toMatch(/^the input is not valid JSON/);
    type('f-json', '{ "a": 1 }');
    expect(problems()).toEqual([]);
    expect(value()).toEqual({ a: 1 });
  });

  it('inside a removed list item is forgotten with it', () => {
    const schema = { type: 'object', properties: { rows: { type: 'array', items: { type: 'object', properties: { data: {} } } } } };
    render(<Harness schema={schema} />);
    click('f-rows-add');
    type('f-rows-0-data', '{ nope');
    expect(problems()[0]).toMatch(/^rows › 1 › data is not valid JSON/);
    click('f-rows-remove-0');
    expect(problems()).toEqual([]);
  });
});

describe('the model', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: ['integer', 'null'] }, 'integer'],
    [{ enum: ['a', 'b'] }, 'enum'],
    [{ type: 'array', items: { type: 'number' } }, 'array'],
    [{ type: 'array', items: {} }, 'json'],
    [{ type: 'array' }, 'json'],
    [{ type: 'object' }, 'json'],
    [{ type: 'object', properties: { a: { type: 'string' } } }, 'object'],
    [{}, 'json'],
    [undefined, 'json'],
  ])('draws %j as %s', (schema, kind) => expect(fieldKind(schema as never)).toBe(kind));

  it('stops nesting groups at a depth and edits deeper values as JSON', () => {
    const deep = (levels: number): object => (levels === 0 ? { type: 'string' } : { type: 'object', properties: { next: deep(levels - 1) } });
    expect(fieldKind(deep(3) as never, 0)).toBe('object');
    expect(fieldKind(deep(3) as never, 4)).toBe('json');
  });

  it('words pointers as a person reads them', () => {
    expect(pointerWords('/items/0/sku')).toBe('items › 1 › sku');
    expect(pointerWords('/a~1b/c~0d')).toBe('a/b › c~d');
  });
});
