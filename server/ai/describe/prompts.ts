// The prompts for describing a workflow (a whole graph) and for changing one (only the nodes and
// edges the instruction concerns), and the JSON shapes the answers must have.
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { RULES, type Reference } from './reference.js';

const referenceText = (reference: Reference) =>
  [
    'The graph format, as JSON Schema:',
    JSON.stringify(reference.graphSchema),
    'The node kinds (each node\'s config must match its kind\'s configSchema):',
    JSON.stringify(reference.nodeKinds),
    'The registered actions a step may use:',
    JSON.stringify(reference.actions),
    'Rules:',
    ...RULES.map((rule) => `- ${rule}`),
  ].join('\n');

export function describeSystem(reference: Reference): string {
  return [
    'You design durable workflows for Cairn. Answer with one JSON object only, no prose and no code fence:',
    '{ "name": "<a short title>", "graph": <the workflow graph>, "scenario": <one cairn.scenario/v1 test of the main path: { "name", "input", "steps": [...], "expect": { "status": "completed" } }> }',
    'In the scenario, stub every step ({ "stub": { "node": "<id>" }, "result": {…} }) before the run reaches it, move time on with { "advance": "7d" }, deliver signals with { "signal": "<name>", "data": {} } and decide approvals with { "decide": "<node id>", "decision": "approve" }.',
    referenceText(reference),
  ].join('\n');
}

export function changeSystem(reference: Reference): string {
  return [
    'You change an existing Cairn workflow as instructed, and nothing else. Answer with one JSON object only, no prose and no code fence:',
    '{ "nodes": [<nodes to add, or to replace: the whole node, same id>], "removeNodes": ["<id>"], "edges": [<edges to add>], "removeEdges": ["<edge id>"] }',
    'Leave out every node and edge the instruction does not concern: they stay exactly as they are. To put a node between two others, remove the edge between them and add the two new edges; give new nodes and edges new ids.',
    referenceText(reference),
  ].join('\n');
}

export const describePrompt = (description: string) => `Describe this workflow as a Cairn graph:\n\n${description}`;

export const changePrompt = (graph: Graph, instruction: string, focus: readonly string[]) =>
  [
    'The current workflow graph:',
    JSON.stringify({ ...graph, nodes: graph.nodes.map(({ position: _position, ...node }) => node) }),
    focus.length ? `The author has selected: ${focus.join(', ')}.` : '',
    `The instruction: ${instruction}`,
  ]
    .filter(Boolean)
    .join('\n\n');

/** Sent as the response format: loose, since the validator (with its exact messages) is the judge. */
export const describeAnswerSchema = { type: 'object', properties: { name: { type: 'string' }, graph: { type: 'object' }, scenario: { type: 'object' } }, required: ['graph'] };

export const changeAnswerSchema = {
  type: 'object',
  properties: { nodes: { type: 'array', items: { type: 'object' } }, removeNodes: { type: 'array', items: { type: 'string' } }, edges: { type: 'array', items: { type: 'object' } }, removeEdges: { type: 'array', items: { type: 'string' } } },
};
