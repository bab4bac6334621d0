// A scenario against the graph it runs: every node id it names exists and has the kind its step
// needs (decide → approval, ai → ai, callback → event, stub node → step). Problems name the step.
import type { Graph } from '../graph/graph.schema.js';
import { describeStep, type Expectations, type Scenario } from './scenario.schema.js';

const NEEDS: Record<string, string> = { decide: 'approval', ai: 'ai', callback: 'event', stub: 'step' };

function expectationNodes(expect: Expectations): [string, string[]][] {
  return [
    ['path', expect.path ?? []],
    ['visited', expect.visited ?? []],
    ['notVisited', expect.notVisited ?? []],
    ['waitingAt', expect.waitingAt ?? []],
    ['nodes', Object.keys(expect.nodes ?? {})],
    ['attempts', Object.keys(expect.attempts ?? {})],
    ['error.nodeId', expect.error?.nodeId ? [expect.error.nodeId] : []],
  ];
}

/** Problems of `scenario` on `graph`; `where` names the scenario ("x.json: scenario \"paid\""). */
export function checkReferences(scenario: Scenario, graph: Graph, where: string): string[] {
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  const problems: string[] = [];
  const ofKind = (kind: string) => graph.nodes.filter((node) => node.kind === kind).map((node) => node.id);
  const check = (nodeId: string, at: string, kind?: string) => {
    const actual = kinds.get(nodeId);
    if (actual === undefined) {
      const choices = kind ? ofKind(kind) : [...kinds.keys()];
      problems.push(`${at}: no node "${nodeId}" in the workflow${choices.length ? `; its ${kind ? `${kind} ` : ''}nodes are ${choices.join(', ')}` : kind ? `, which has no ${kind} node` : ''}`);
    } else if (kind && actual !== kind) {
      problems.push(`${at}: node "${nodeId}" is ${/^[aeiou]/.test(actual) ? 'an' : 'a'} ${actual} node, not ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} node`);
    }
  };
  const checkExpect = (expect: Expectations | undefined, at: string) => {
    for (const [field, ids] of expect ? expectationNodes(expect) : []) for (const id of ids) check(id, `${at}: expect.${field}`);
  };
  for (const [index, step] of scenario.steps.entries()) {
    const at = `${where}, step ${index + 1} (${describeStep(step)})`;
    if ('decide' in step) check(step.decide, at, NEEDS.decide);
    else if ('ai' in step) check(step.ai, at, NEEDS.ai);
    else if ('callback' in step) check(step.callback, at, NEEDS.callback);
    else if ('stub' in step && 'node' in step.stub) check(step.stub.node, at, NEEDS.stub);
    else if ('advance' in step && typeof step.advance !== 'string' && 'untilNode' in step.advance) check(step.advance.untilNode, at);
    checkExpect(step.expect, at);
  }
  checkExpect(scenario.expect, `${where}, expect`);
  return problems;
}
