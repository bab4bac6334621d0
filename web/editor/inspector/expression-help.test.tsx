// @vitest-environment jsdom
// Help while writing expressions, in a real inspector over a real graph: autocomplete of input.… from
// the start's schema and nodes.<id>.… for the nodes that run before the one edited (declared output,
// else the last run's data), never a node after it; a preview against the last run's data.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinActions } from '../../../server/actions/builtin.actions.js';
import { ActionRegistry } from '../../../server/actions/registry.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import type { LastRunData } from './expression-scope.js';
import { byTestId, renderGraph } from './test-kit.js';

afterEach(cleanup);

const actions = new ActionRegistry(builtinActions).describe();

/** start → fetch (http.request) → calc (transform: no declared output) → node (log) → later (log). */
const graph: Graph = {
  format: 'cairn.graph/v2',
  nodes: [
    { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', properties: { amount: { type: 'number', title: 'Amount' }, customer: { type: 'object', properties: { email: { type: 'string' } } } } } } },
    { id: 'fetch', kind: 'step', label: 'Fetch order', position: { x: 200, y: 0 }, config: { action: 'http.request', input: { url: 'https://shop.test/orders' } } },
    { id: 'calc', kind: 'step', position: { x: 400, y: 0 }, config: { action: 'transform', input: { expression: '$sum(lines.price)', data: '{{ nodes.fetch.body }}' } } },
    { id: 'node', kind: 'step', position: { x: 600, y: 0 }, config: { action: 'log', input: { message: '' } } },
    { id: 'later', kind: 'step', position: { x: 800, y: 0 }, config: { action: 'log', input: { message: 'done' } } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'fetch' },
    { id: 'e2', source: 'fetch', sourcePort: 'ok', target: 'calc' },
    { id: 'e3', source: 'calc', sourcePort: 'ok', target: 'node' },
    { id: 'e4', source: 'node', sourcePort: 'ok', target: 'later' },
  ],
};

const lastRun: LastRunData = {
  runId: 'run-7',
  status: 'completed',
  root: {
    input: { amount: 120, customer: { email: 'ann@example.com' }, note: 'rush' },
    nodes: { fetch: { status: 201, headers: {}, body: { lines: [{ price: 5 }] } }, calc: { total: 5, currency: 'EUR' } },
    instance: { id: 'run-7', workflow: 'orders', version: 3, startedAt: '2026-12-01T10:00:00.000Z' },
  },
};

/** Type `text` into the field with the caret at its end, as a person would, and list what is offered. */
function typeAndList(testId: string, text: string): string[] {
  const field = byTestId(testId);
  fireEvent.focus(field);
  fireEvent.change(field, { target: { value: text, selectionStart: text.length } });
  return screen.queryAllByTestId('completion-option').map((option) => option.querySelector('code')!.textContent!);
}

describe('autocomplete', () => {
  it('offers input.… from the start’s schema, merged with what the last run’s input held', () => {
    renderGraph(graph, 'node', { actions, lastRun });
    expect(typeAndList('field-input-message', '{{ input.')).toEqual(['amount', 'customer', 'note']);
    expect(typeAndList('field-input-message', '{{ input.cu')).toEqual(['customer']);
    expect(typeAndList('field-input-message', '{{ input.customer.')).toEqual(['email']);
    expect(typeAndList('field-input-message', '{{ input.amount')).toEqual([]);
  });

  it('offers the nodes that run before this one, with their declared output or the last run’s data, never one after', () => {
    renderGraph(graph, 'node', { actions, lastRun });
    expect(typeAndList('field-input-message', '{{ nodes.')).toEqual(['start', 'fetch', 'calc']);
    expect(typeAndList('field-input-message', 'Status: {{ nodes.fetch.')).toEqual(['status', 'headers', 'body']);
    expect(typeAndList('field-input-message', '{{ nodes.calc.')).toEqual(['total', 'currency']);
    expect(typeAndList('field-input-message', '{{ nodes.later')).toEqual([]);
    expect(typeAndList('field-input-message', '{{ ')).toEqual(['input', 'nodes', 'instance']);
    expect(typeAndList('field-input-message', '{{ instance.')).toEqual(['id', 'workflow', 'version', 'startedAt']);
    // Outside braces text is literal: nothing is offered.
    expect(typeAndList('field-input-message', 'nodes.')).toEqual([]);
  });

  it('a node further on sees the nodes before it; the first node sees none', () => {
    renderGraph(graph, 'later', { actions });
    expect(typeAndList('field-input-message', '{{ nodes.')).toEqual(['start', 'fetch', 'calc', 'node']);
    cleanup();
    renderGraph(graph, 'fetch', { actions });
    expect(typeAndList('field-input-url', '{{ nodes.')).toEqual(['start']);
  });

  it('is a combobox: arrows move, Enter accepts, Escape closes; a click accepts too', () => {
    const { config } = renderGraph(graph, 'node', { actions });
    typeAndList('field-input-message', '{{ nodes.fetch.');
    const field = byTestId('field-input-message');
    expect(field.getAttribute('role')).toBe('combobox');
    expect(field.getAttribute('aria-expanded')).toBe('true');
    expect(field.getAttribute('aria-activedescendant')).toBe(screen.getAllByTestId('completion-option')[0].id);
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('completion-option')[1].getAttribute('aria-selected')).toBe('true');
    expect(field.getAttribute('aria-activedescendant')).toBe(screen.getAllByTestId('completion-option')[1].id);
    fireEvent.keyDown(field, { key: 'Enter' });
    expect((config()!.input as Record<string, unknown>).message).toBe('{{ nodes.fetch.headers');
    expect(screen.queryAllByTestId('completion-option')).toHaveLength(0);

    typeAndList('field-input-message', '{{ input.');
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryAllByTestId('completion-option')).toHaveLength(0);
    expect(field.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(field, { key: ' ', ctrlKey: true });
    fireEvent.click(screen.getAllByTestId('completion-option')[0]);
    expect((config()!.input as Record<string, unknown>).message).toBe('{{ input.amount');
  });

  it('quotes node ids JSONata would misread', () => {
    const dashed: Graph = {
      ...graph,
      nodes: graph.nodes.map((node) => (node.id === 'fetch' ? { ...node, id: 'fetch-1' } : node)),
      edges: graph.edges.map((edge) => ({ ...edge, source: edge.source === 'fetch' ? 'fetch-1' : edge.source, target: edge.target === 'fetch' ? 'fetch-1' : edge.target })),
    };
    const { config } = renderGraph(dashed, 'node', { actions });
    typeAndList('field-input-message', '{{ nodes.fe');
    fireEvent.keyDown(byTestId('field-input-message'), { key: 'Tab' });
    expect((config()!.input as Record<string, unknown>).message).toBe('{{ nodes.`fetch-1`');
    expect(typeAndList('field-input-message', '{{ nodes.`fetch-1`.st')).toEqual(['status']);
  });
});

describe('preview against the last run', () => {
  const previewOf = async (testId: string, text: string) => {
    typeAndList(testId, text);
    const preview = await waitFor(() => {
      const shown = byTestId<HTMLElement>(`${testId}-preview`);
      expect(shown.classList.contains('cairn-preview--stale')).toBe(false);
      return shown;
    }, { timeout: 3_000 });
    return { state: preview.dataset.state, text: preview.querySelector('code')!.textContent };
  };

  it('shows the value of an expression, a template’s text, and the error of a bad one', async () => {
    renderGraph(graph, 'node', { actions, lastRun });
    expect(await previewOf('field-input-message', '{{ input.amount * 2 }}')).toEqual({ state: 'value', text: '240' });
    expect(await previewOf('field-input-message', 'Created {{ nodes.fetch.status }} for {{ input.customer.email }}')).toEqual({ state: 'value', text: '"Created 201 for ann@example.com"' });
    expect(await previewOf('field-input-message', '{{ nodes.calc }}')).toEqual({ state: 'value', text: '{"total":5,"currency":"EUR"}' });
    const syntax = await previewOf('field-input-message', '{{ input.amount + }}');
    expect(syntax.state).toBe('error');
    const runtime = await previewOf('field-input-message', '{{ $number("lots") }}');
    expect(runtime).toMatchObject({ state: 'error' });
    expect(runtime.text).toMatch(/number/i);
    expect(byTestId('field-input-message-preview').title).toContain('run-7');
  });

  it('says there is no run to preview against, and shows nothing for fixed text or without focus', async () => {
    renderGraph(graph, 'node', { actions, lastRun: null });
    typeAndList('field-input-message', '{{ input.amount }}');
    expect(byTestId('field-input-message-preview').textContent).toContain('No run yet');
    typeAndList('field-input-message', 'plain text');
    expect(screen.queryByTestId('field-input-message-preview')).toBeNull();
    typeAndList('field-input-message', '{{ input.amount }}');
    act(() => fireEvent.blur(byTestId('field-input-message')));
    expect(screen.queryByTestId('field-input-message-preview')).toBeNull();
  });
});
