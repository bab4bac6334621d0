// What the workflows service needs from shared/ to read stored graphs and check one at publish: the
// validator's options from the action registry (names and declared inputs), the graph's own warnings,
// and stored graph JSON read through the graph schema, so a draft or version written in format v1
// reaches its reader as its v2 equivalent (shared/graph/upgrade.ts) while its stored bytes stay.
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import { graphWarnings } from '../../shared/graph-warnings.js';
import type { ValidateOptions } from '../../shared/validate.js';
import type { ActionRegistry } from '../actions/registry.js';

/**
 * The validator's options for the registered actions: every step's input checked against its action's,
 * and the credentials it declares chosen; with `credentials` (the stored names, at publish) every
 * credential a step names must exist.
 */
export function validateOptions(actions: ActionRegistry, credentials?: readonly string[]): ValidateOptions {
  const described = actions.describe();
  return {
    actions: described.map((action) => action.name),
    actionInputs: Object.fromEntries(described.map((action) => [action.name, action.inputSchema])),
    actionCredentials: Object.fromEntries(described.map((action) => [action.name, action.credentials ?? {}])),
    ...(credentials ? { credentials } : {}),
  };
}

export { graphWarnings };

/** A stored graph (draft, version) as the current format; one that does not parse is returned as stored. */
export function readStoredGraph(json: string): Graph {
  const stored = JSON.parse(json) as unknown;
  const parsed = graphSchema.safeParse(stored);
  return parsed.success ? parsed.data : (stored as Graph);
}
