// @vitest-environment jsdom
// The problems panel beside a real inspector: problems and warnings each name their node and field,
// and a click selects the node and puts the caret in that field.
import { ReactFlowProvider } from '@xyflow/react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { graphSchema } from '../../shared/graph/graph.schema.js';
import { createEditorStore } from './editor.store.js';
import { Inspector } from './inspector/Inspector.js';
import { ACTIONS, WORKFLOWS } from './inspector/test-kit.js';
import { ProblemsPanel } from './ProblemsPanel.js';

afterEach(cleanup);

/** start → check (branch, bare condition) → done | wait for a decision (no timeout, rejected open) → pay (http.request without url) → done. */
const graph = graphSchema.parse({
  format: 'cairn.graph/v2',
  nodes: [
    { id: 'start', kind: 'start', config: {} },
    { id: 'check', kind: 'branch', config: { condition: 'input.amount > 100' } },
    { id: 'review', kind: 'approval', config: { title: 'Pay?', assignees: { roles: ['manager'] } } },
    { id: 'pay', kind: 'step', config: { action: 'http.request', input: { method: 'POST' } } },
    { id: 'done', kind: 'end', config: { output: 'approved' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourcePort: 'true', target: 'review' },
    { id: 'e3', source: 'check', sourcePort: 'false', target: 'done' },
    { id: 'e4', source: 'review', sourcePort: 'approved', target: 'pay' },
    { id: 'e5', source: 'pay', sourcePort: 'ok', target: 'done' },
    { id: 'e6', source: 'pay', sourcePort: 'error', target: 'done' },
  ],
});

function renderEditor() {
  const store = createEditorStore({ graph, actions: ACTIONS.map((action) => action.name), actionInputs: Object.fromEntries(ACTIONS.map((action) => [action.name, action.inputSchema])) });
  const Panel = () => <ProblemsPanel store={store} problems={store.getState().problems()} />;
  render(
    <ReactFlowProvider>
      <Panel />
      <Inspector store={store} actions={ACTIONS} workflows={WORKFLOWS} />
    </ReactFlowProvider>,
  );
  return store;
}

describe('the problems panel', () => {
  it('lists problems and warnings apart, each naming its node and field', () => {
    renderEditor();
    expect(screen.getByTestId('problems').querySelector('h3')!.textContent).toBe('2 problems · 2 warnings');
    const notBraced = screen.getByTestId('problem-EXPRESSION_NOT_BRACED-check');
    expect(notBraced.textContent).toContain('write {{ input.amount > 100 }}');
    expect(notBraced.getAttribute('data-field')).toBe('condition');
    expect(screen.getByTestId('problem-ACTION_INPUT_INVALID-pay').getAttribute('data-field')).toBe('input.url');
    expect(screen.getByTestId('warning-NO_TIMEOUT-review').getAttribute('data-field')).toBe('timeout');
    expect(screen.getByTestId('warning-PORT_LEADS_NOWHERE-review').title).toBe('Go to node review · port rejected');
  });

  it('says "No problems" when only warnings are left: they do not block publishing', () => {
    const store = renderEditor();
    act(() => store.getState().updateNode('check', { config: { condition: '{{ input.amount > 100 }}' } }));
    act(() => store.getState().updateNode('pay', { config: { action: 'http.request', input: { method: 'POST', url: 'https://example.com' } } }));
    cleanup();
    const Panel = () => <ProblemsPanel store={store} problems={store.getState().problems()} />;
    render(
      <ReactFlowProvider>
        <Panel />
      </ReactFlowProvider>,
    );
    expect(screen.getByTestId('problems').querySelector('h3')!.textContent).toBe('No problems · 2 warnings');
  });

  it('selects the node and focuses the field a problem names', async () => {
    const store = renderEditor();
    fireEvent.click(screen.getByTestId('problem-EXPRESSION_NOT_BRACED-check'));
    expect(store.getState().selection.nodes).toEqual(['check']);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('field-condition')));

    // The inspector's own fix, then the problem is gone.
    act(() => fireEvent.click(screen.getByTestId('field-condition-brace')));
    expect(store.getState().graph.nodes.find((node) => node.id === 'check')!.config.condition).toBe('{{ input.amount > 100 }}');
  });

  it('focuses a warning field of another node, and selects a node for a port warning', async () => {
    const store = renderEditor();
    fireEvent.click(screen.getByTestId('warning-NO_TIMEOUT-review'));
    expect(store.getState().selection.nodes).toEqual(['review']);
    await waitFor(() => expect(document.activeElement?.closest('[data-testid="field-row-timeout"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('problem-ACTION_INPUT_INVALID-pay'));
    expect(store.getState().selection.nodes).toEqual(['pay']);
    await waitFor(() => expect(document.activeElement?.closest('[data-testid="field-row-input"]')).not.toBeNull());
  });
});
