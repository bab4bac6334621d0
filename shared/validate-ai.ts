// Publish checks of an `ai` node's contract beyond its fields' own: the prompts may read the declared
// variables as `vars.<name>`; an input schema needs variables to check, and requires only declared
// ones; a human fallback needs an output schema a form can be made of.
import type { GraphNode } from './graph/graph.schema.js';
import type { NameOptions } from './validate-names.js';
import type { Problem } from './problems.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The names an AI node's prompt or system prompt may read besides the evaluation root. */
export function promptNames(node: GraphNode, field: string): NameOptions {
  if (node.kind !== 'ai' || (field !== 'prompt' && field !== 'system')) return {};
  const variables = node.config.variables;
  return { vars: isObject(variables) ? Object.keys(variables) : [] };
}

export function aiProblems(node: GraphNode): Problem[] {
  const problems: Problem[] = [];
  const problem = (field: string, message: string) => problems.push({ code: 'AI_CONTRACT_INVALID', nodeId: node.id, field, message: `node "${node.id}" ${field}: ${message}` });
  const { variables, inputSchema, outputSchema, humanFallback } = node.config;

  if (isObject(inputSchema)) {
    if (!isObject(variables)) {
      problem('inputSchema', 'the input schema checks the node’s variables, but it declares none: add Variables (the values the prompts read as vars.<name>)');
    } else if (Array.isArray(inputSchema.required)) {
      const missing = inputSchema.required.filter((name) => typeof name === 'string' && !Object.hasOwn(variables, name));
      if (missing.length > 0) problem('inputSchema', `requires ${missing.map((name) => `"${name}"`).join(', ')}, which the variables do not declare, so every run would stop here`);
    }
  }

  if (humanFallback !== undefined) {
    const properties = isObject(outputSchema) ? outputSchema.properties : undefined;
    if (!isObject(outputSchema) || outputSchema.type !== 'object' || !isObject(properties) || Object.keys(properties).length === 0) {
      problem('humanFallback', 'a person answers in a form made from the output schema, which needs "type": "object" and at least one property');
    }
  }
  return problems;
}
