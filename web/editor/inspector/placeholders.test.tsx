// @vitest-environment jsdom
// Placeholders that fit the field (issue 13, list 7): every empty template, value and expression
// field of every node kind shows its own example from the registry, never one field's example in
// another (the condition's "{{ input.amount > 100 }}" showed in the date field and the end output).
import { cleanup, screen } from '@testing-library/react';
import type { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldMeta } from '../../../shared/nodes/fields.js';
import { nodeKindList } from '../../../shared/nodes/registry.js';
import { renderNode } from './test-kit.js';

afterEach(cleanup);

const TEXT_WIDGETS = new Set(['template', 'value', 'expression']);

const fields = nodeKindList.flatMap((kind) =>
  Object.entries(kind.config.shape as Record<string, z.ZodType>)
    .map(([key, schema]) => ({ kind: kind.kind, key, meta: fieldMeta(schema) }))
    .filter((field) => field.meta && TEXT_WIDGETS.has(field.meta.widget)),
);

describe('placeholders', () => {
  it('covers the fields the issue names', () => {
    const names = fields.map((field) => `${field.kind}.${field.key}`);
    expect(names).toEqual(expect.arrayContaining(['branch.condition', 'wait.until', 'end.output', 'approval.title', 'approval.data', 'fail.message', 'ai.prompt', 'subflow.input']));
  });

  for (const field of fields) {
    it(`${field.kind}.${field.key} shows its own example when empty`, () => {
      // Wait shows `until` only once chosen over `duration`.
      renderNode(field.kind, field.kind === 'wait' ? { until: '' } : {});
      const control = screen.getByTestId(`field-${field.key}`) as HTMLInputElement;
      expect(control.value).toBe('');
      const example = field.meta!.example;
      expect(example, `${field.kind}.${field.key} declares an example`).toBeTruthy();
      expect(control.placeholder).toContain(example);
      if (`${field.kind}.${field.key}` !== 'branch.condition') expect(control.placeholder).not.toContain('input.amount > 100');
    });
  }
});
