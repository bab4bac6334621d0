// The editor store without React: edits, undo/redo, copy/paste with new ids, validation.
import { describe, expect, it } from 'vitest';
import { createEditorStore } from './editor.store.js';
import { diffGraphs } from './graph-diff.js';

function flow() {
  const store = createEditorStore({ actions: ['log', 'transform', 'http.request'] });
  const s = () => store.getState();
  const start = s().addNode('start', { x: 0, y: 0 });
  const step = s().addNode('step', { x: 260, y: 0 });
  const end = s().addNode('end', { x: 520, y: 0 });
  s().connect({ source: start, sourcePort: 'next', target: step });
  s().connect({ source: step, sourcePort: 'ok', target: end });
  return { store, s, ids: { start, step, end } };
}

describe('editor store', () => {
  it('edits the graph and validates it live', () => {
    const { s, ids } = flow();
    expect(s().graph.nodes.map((node) => node.id)).toEqual(['start', 'step', 'end']);
    expect(s().problems()).toEqual([]);
    s().addNode('step', { x: 260, y: 160 });
    expect(s().problems().map((problem) => [problem.code, problem.nodeId])).toEqual(expect.arrayContaining([['UNREACHABLE', 'step_2'], ['NO_OUTGOING_EDGE', 'step_2']]));
    expect(s().save).toBe('dirty');
    s().connect({ source: ids.step, sourcePort: 'ok', target: 'step_2' });
    expect(s().graph.edges).toHaveLength(2);
  });

  it('refuses connections the registry does not allow', () => {
    const { s, ids } = flow();
    const before = s().graph;
    s().connect({ source: ids.start, sourcePort: 'nope', target: ids.end });
    s().connect({ source: ids.end, sourcePort: 'next', target: ids.step });
    s().connect({ source: ids.step, sourcePort: 'ok', target: ids.start });
    s().connect({ source: ids.start, sourcePort: 'next', target: ids.step });
    expect(s().graph).toBe(before);
  });

  it('undo and redo every edit, but not the selection', () => {
    const { store, s } = flow();
    const temporal = store.temporal.getState();
    const withFive = s().graph;
    s().select({ nodes: ['step'] });
    s().removeSelected();
    expect(s().graph.nodes.map((node) => node.id)).toEqual(['start', 'end']);
    expect(s().graph.edges).toEqual([]);
    temporal.undo();
    expect(s().graph).toEqual(withFive);
    temporal.redo();
    expect(s().graph.nodes).toHaveLength(2);
  });

  it('typing in one node\'s fields is one undo step', () => {
    const { store, s } = flow();
    const before = s().graph;
    for (const message of ['h', 'he', 'hel', 'hello']) s().updateNode('step', { config: { ...s().graph.nodes[1].config, input: { message } } });
    expect(s().graph.nodes[1].config.input).toEqual({ message: 'hello' });
    store.temporal.getState().undo();
    expect(s().graph).toEqual(before);
  });

  it('copy/paste keeps the edges between pasted nodes and gives new ids', () => {
    const { s } = flow();
    s().select({ nodes: ['step', 'end'] });
    const fragment = s().copySelection();
    expect(fragment.edges).toHaveLength(1);
    const other = createEditorStore();
    other.getState().paste(fragment);
    other.getState().paste(fragment);
    const pasted = other.getState().graph;
    expect(pasted.nodes.map((node) => node.id)).toEqual(['step', 'end', 'step_2', 'end_2']);
    expect(pasted.edges.map((edge) => [edge.source, edge.target])).toEqual([['step', 'end'], ['step_2', 'end_2']]);
    expect(other.getState().selection.nodes).toEqual(['step_2', 'end_2']);
    expect(pasted.nodes[2].position).toEqual({ x: fragment.nodes[0].position.x + 40, y: fragment.nodes[0].position.y + 40 });
  });

  it('diffs a version against the draft', () => {
    const { s } = flow();
    const v1 = s().graph;
    s().updateNode('step', { config: { ...v1.nodes[1].config, action: 'transform' } });
    s().select({ nodes: ['end'] });
    s().removeSelected();
    s().addNode('fail', { x: 520, y: 0 });
    s().connect({ source: 'step', sourcePort: 'ok', target: 'fail' });
    const diff = diffGraphs(v1, s().graph);
    expect(diff.nodes).toEqual({ step: 'changed', end: 'removed', fail: 'added' });
    expect(Object.values(diff.edges).sort()).toEqual(['added', 'removed']);
    expect(diff.merged.nodes.map((node) => node.id)).toEqual(['start', 'step', 'fail', 'end']);
  });
});
