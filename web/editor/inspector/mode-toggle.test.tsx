// @vitest-environment jsdom
// The Fixed / Expression switch: it shows what the value is, switches only when clicked, and keeps
// the value across a switch where it can.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveString, type EvaluationRoot } from '../../../shared/expressions.js';
import { caretInside, modeOf, toExpression, toFixed } from './expression-mode.js';
import { byTestId, click, renderNode, type } from './test-kit.js';

afterEach(cleanup);

const root: EvaluationRoot = { input: { amount: 5 }, nodes: {}, instance: { id: 'i', workflow: 'w', version: 1, startedAt: '2026-01-01T00:00:00.000Z' } };

describe('switching a value between fixed and expression', () => {
  it.each(['approved', 'a "quoted" word', 'closing }} braces', 'multi\nline', ''])('%j round-trips, and the expression gives the same text', async (text) => {
    const expression = toExpression(text);
    expect(modeOf(expression)).toBe('expression');
    if (text) expect(await resolveString(expression, root)).toBe(text);
    expect(toFixed(expression)).toBe(text);
  });

  it('an expression that is not a string becomes its source, a template its text', () => {
    expect(toFixed('{{ input.amount > 100 }}')).toBe('input.amount > 100');
    expect(toFixed('Total {{ input.amount }} EUR')).toBe('Total input.amount EUR');
    expect(toExpression('{{ input.amount }}')).toBe('{{ input.amount }}');
    expect(toFixed('plain')).toBe('plain');
  });

  it('puts the caret inside the braces', () => {
    expect(caretInside('{{  }}')).toBe(3);
    expect(caretInside('{{ "x" }}')).toBe(6);
  });
});

describe('the switch in the inspector', () => {
  it('shows end.output "approved" as Fixed; Expression keeps the word; Fixed brings it back', () => {
    const { config } = renderNode('end', { output: 'approved' });
    expect(byTestId('field-output-mode-fixed').getAttribute('aria-pressed')).toBe('true');
    expect(byTestId('field-output').getAttribute('data-mode')).toBe('fixed');
    click('field-output-mode-expression');
    expect(config()).toEqual({ output: '{{ "approved" }}' });
    expect(byTestId('field-output-mode-expression').getAttribute('aria-pressed')).toBe('true');
    click('field-output-mode-fixed');
    expect(config()).toEqual({ output: 'approved' });
  });

  it('never switches on its own: typing {{ shows Expression, because the value is one now', () => {
    const { config } = renderNode('end', { output: 'approved' });
    type('field-output', 'approved by {{ nodes.review.by }}');
    expect(config()).toEqual({ output: 'approved by {{ nodes.review.by }}' });
    expect(byTestId('field-output-mode-expression').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('field-output-problem')).toBeNull();
  });

  it('an empty field switched to Expression gets braces to write in, with the caret inside', () => {
    const { config } = renderNode('end', {});
    click('field-output-mode-expression');
    expect(config()).toEqual({ output: '{{  }}' });
    expect(byTestId<HTMLInputElement>('field-output').selectionStart).toBe(3);
  });

  it('a condition is always an expression: Fixed is not offered, and bare text offers the fix', () => {
    const { config } = renderNode('branch', { condition: 'input.amount > 100' });
    expect(byTestId<HTMLButtonElement>('field-condition-mode-fixed').disabled).toBe(true);
    expect(byTestId('field-condition-mode-expression').getAttribute('aria-pressed')).toBe('true');
    expect(byTestId('field-condition-problem').textContent).toContain('write {{ input.amount > 100 }}');
    fireEvent.click(byTestId('field-condition-brace'));
    expect(config()).toEqual({ condition: '{{ input.amount > 100 }}' });
    expect(screen.queryByTestId('field-condition-brace')).toBeNull();
    expect(screen.queryByTestId('field-condition-problem')).toBeNull();
  });

  it('wait.until takes a fixed date-time; other fixed text is a problem naming the fix', () => {
    renderNode('wait', { until: '2026-12-31T09:00:00Z' });
    expect(byTestId('field-until-mode-fixed').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('field-until-problem')).toBeNull();
    type('field-until', 'next monday');
    expect(byTestId('field-until-problem').textContent).toContain('not an ISO date-time');
  });

  it('is read-only with the form', () => {
    renderNode('end', { output: 'approved' }, { readOnly: true });
    expect(byTestId<HTMLButtonElement>('field-output-mode-expression').disabled).toBe(true);
  });
});
