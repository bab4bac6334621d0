// The names an expression reads from the evaluation root (DESIGN §2: input, nodes, instance), found
// in its JSONata syntax tree, so the validator can refuse `{{ approved }}` or `nodes.revew` before a
// run evaluates them to nothing. Only paths evaluated against the root are collected: names inside
// filters, `.( … )` steps, group-by and lambdas are relative to some other value and are left alone,
// so a valid expression is never refused for them.
import { compileExpression } from './expressions.js';

/** `input.amount` → ["input", "amount"]: the leading names of a path read from the root (at most 3). */
export type RootReference = string[];

/** JSONata's syntax tree, as its parser builds it (its typings leave out path, bind and apply). */
interface Node {
  type: string;
  value?: unknown;
  tuple?: boolean;
  steps?: Node[];
  stages?: Node[];
  expressions?: Node[];
  arguments?: Node[];
  procedure?: Node;
  body?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  expression?: Node;
  lhs?: Node | Node[][];
  rhs?: Node;
}

/** Root references of one JSONata source; none when it does not compile (syntax is reported elsewhere). */
export function rootReferences(source: string): RootReference[] {
  let ast: Node;
  try {
    ast = compileExpression(source).ast() as unknown as Node;
  } catch {
    return [];
  }
  const found: RootReference[] = [];
  walk(ast, true, found);
  return found;
}

function walk(node: Node | undefined, atRoot: boolean, found: RootReference[]): void {
  if (!node || typeof node !== 'object') return;
  switch (node.type) {
    case 'path':
      return walkPath(node, atRoot, found);
    case 'name':
      if (atRoot) found.push([String(node.value)]);
      return;
    case 'binary':
    case 'apply':
      walk(node.lhs as Node, atRoot, found);
      return walk(node.rhs, atRoot, found);
    case 'unary':
      if (node.value === '{' && Array.isArray(node.lhs)) {
        for (const pair of node.lhs as Node[][]) for (const part of pair) walk(part, atRoot, found);
      }
      walk(node.expression, atRoot, found);
      for (const item of node.expressions ?? []) walk(item, atRoot, found);
      return;
    case 'condition':
      walk(node.condition, atRoot, found);
      walk(node.then, atRoot, found);
      return walk(node.else, atRoot, found);
    case 'block':
      for (const item of node.expressions ?? []) walk(item, atRoot, found);
      return;
    case 'bind':
      return walk(node.rhs, atRoot, found);
    case 'function':
    case 'partial':
      for (const argument of node.arguments ?? []) walk(argument, atRoot, found);
      return;
    // A lambda's body runs against whatever it is called with: nothing there is known to be the root.
    default:
      return;
  }
}

function walkPath(node: Node, atRoot: boolean, found: RootReference[]): void {
  const steps = node.steps ?? [];
  const [first] = steps;
  if (first?.type === 'name') {
    if (atRoot) {
      const names: string[] = [];
      for (const step of steps) {
        if (step.type !== 'name' || names.length === 3) break;
        names.push(String(step.value));
        // After a filter or a positional binding the next name is no longer a plain key.
        if (step.stages?.length || step.tuple) break;
      }
      found.push(names);
    }
  } else {
    // A path that starts with a block, a call or a variable: its first step is evaluated in place.
    walk(first, atRoot, found);
  }
  // Later steps, filters, sorts and group-by run against the path's own values, not the root.
}
