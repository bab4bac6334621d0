// The rules that keep a model's change inside what an instruction concerns (table-driven, pure): what
// is left out stays byte for byte; a node may be replaced or removed only when the instruction names
// it or it was selected; an edge between untouched nodes may go only to put new nodes in its place.
import { describe, expect, it } from 'vitest';
import { expenseGraph } from '../../testing/described-workflows.js';
import { applyChange, type ChangeScope } from './apply-change.js';

const approvalRetitled = { id: 'approval', kind: 'approval', label: 'Manager approval', config: { title: 'Approve it?', assignees: { roles: ['manager'] }, timeout: '7d' } };
const wait = { id: 'pause', kind: 'wait', config: { duration: '1d' } };

const cases: { name: string; answer: unknown; scope: ChangeScope; ok: boolean; expect?: (string | RegExp)[] }[] = [
  { name: 'a node named by label may change', answer: { nodes: [approvalRetitled] }, scope: { instruction: 'reword the Manager approval title', focus: [] }, ok: true },
  { name: 'a selected node may change', answer: { nodes: [approvalRetitled] }, scope: { instruction: 'make the title shorter', focus: ['approval'] }, ok: true },
  { name: 'an unnamed, unselected node may not', answer: { nodes: [approvalRetitled] }, scope: { instruction: 'make the title shorter', focus: [] }, ok: false, expect: ['node "approval" is not what the instruction is about; leave it out (to add a node, give it a new id)'] },
  { name: 'nor be removed', answer: { removeNodes: ['escalate'] }, scope: { instruction: 'simplify it', focus: [] }, ok: false, expect: ['node "escalate" is not what the instruction is about; do not remove it'] },
  {
    name: 'an edge may go to put a new node in its place',
    answer: { nodes: [wait], removeEdges: ['reimburse-ok-done'], edges: [{ id: 'a', source: 'reimburse', sourcePort: 'ok', target: 'pause' }, { id: 'b', source: 'pause', sourcePort: 'next', target: 'done' }] },
    scope: { instruction: 'wait a day at the end', focus: [] },
    ok: true,
  },
  { name: 'but not just be dropped', answer: { removeEdges: ['reimburse-ok-done'] }, scope: { instruction: 'tidy up', focus: [] }, ok: false, expect: [/edge "reimburse-ok-done" \(reimburse → done\) is not what the instruction is about/] },
  { name: 'names that do not exist', answer: { removeNodes: ['ghost'], removeEdges: ['nope'] }, scope: { instruction: 'remove ghost', focus: [] }, ok: false, expect: ['removeNodes names "ghost", which is no node of the graph', 'removeEdges names "nope", which is no edge of the graph'] },
  { name: 'a whole graph', answer: expenseGraph, scope: { instruction: 'anything', focus: [] }, ok: false, expect: [/the answer is a whole graph/] },
  { name: 'not an object', answer: [1, 2], scope: { instruction: 'anything', focus: [] }, ok: false, expect: [/must be a JSON object/] },
  { name: 'a malformed node', answer: { nodes: [{ id: '1 bad', kind: 'wait' }] }, scope: { instruction: 'anything', focus: [] }, ok: false, expect: [/nodes\[0\]: id a node id starts with a letter/] },
];

describe('applying a model\'s change', () => {
  it.each(cases)('$name', ({ answer, scope, ok, expect: problems }) => {
    const applied = applyChange(expenseGraph, answer, scope);
    expect(applied.ok).toBe(ok);
    if (!applied.ok) {
      expect(applied.problems).toHaveLength(problems!.length);
      problems!.forEach((problem, index) => (typeof problem === 'string' ? expect(applied.problems[index]).toBe(problem) : expect(applied.problems[index]).toMatch(problem)));
      return;
    }
    // Nodes the change leaves out are the same objects' values, positions included.
    for (const node of expenseGraph.nodes) {
      const after = applied.graph.nodes.find((candidate) => candidate.id === node.id);
      if (!applied.changed.includes(node.id)) expect(after).toEqual(node);
      else expect(after?.position).toEqual(node.position);
    }
  });

  it('places an added node beside the node leading to it, not on top of another', () => {
    const base = { ...expenseGraph, nodes: expenseGraph.nodes.map((node, index) => ({ ...node, position: { x: index * 280, y: 0 } })) };
    const applied = applyChange(base, { nodes: [wait], removeEdges: ['reimburse-ok-done'], edges: [{ id: 'a', source: 'reimburse', sourcePort: 'ok', target: 'pause' }, { id: 'b', source: 'pause', sourcePort: 'next', target: 'done' }] }, { instruction: 'pause', focus: [] });
    if (!applied.ok) throw new Error(applied.problems.join('; '));
    const reimburse = base.nodes.find((node) => node.id === 'reimburse')!.position;
    const placed = applied.graph.nodes.find((node) => node.id === 'pause')!.position;
    expect(placed.x).toBe(reimburse.x + 280);
    expect(base.nodes.some((node) => Math.abs(node.position.x - placed.x) < 200 && Math.abs(node.position.y - placed.y) < 100)).toBe(false);
  });
});
