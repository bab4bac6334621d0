// The graph validator (DESIGN §2 "A graph is valid when…"). It returns every problem, each with the
// node or edge it concerns, and never throws: the editor runs it on every keystroke.
import type { z } from 'zod';
import { graphSchema, type Graph, type GraphNode } from './graph/graph.schema.js';
import { getNodeKind } from './nodes/registry.js';
import { fieldMeta, type FieldMeta } from './nodes/fields.js';
import { checkExpressions, expressionSources, hasTemplateMarks } from './expressions.js';
import { compileJsonSchema } from './json-schema.js';
import { regexProblems } from './linear-regex.js';
import { braceExpression } from './graph/upgrade.js';
import { nameProblems, nameScope, type NameOptions, type NameScope } from './validate-names.js';
import { aiProblems, promptNames } from './validate-ai.js';
import { actionInputProblems } from './validate-action-input.js';
import { credentialProblems } from './validate-credentials.js';
import type { CredentialRequirement } from './credential-kinds.js';
import type { Problem, ProblemCode } from './problems.js';

export type { Problem, ProblemCode } from './problems.js';

export interface ValidateOptions {
  /** Registered action names; when given, every `action` must be one of them. */
  actions?: ReadonlySet<string> | readonly string[];
  /**
   * Each registered action's input as JSON Schema (ActionRegistry.describe()'s inputSchema), by
   * name; when given, every step's input (and compensation input) is checked against its action's.
   */
  actionInputs?: Readonly<Record<string, unknown>>;
  /** Each registered action's declared credentials; when given, a step must choose each required one. */
  actionCredentials?: Readonly<Record<string, Readonly<Record<string, CredentialRequirement>> | undefined>>;
  /** The stored credentials' names (publish); when given, every credential a step names must be one. */
  credentials?: ReadonlySet<string> | readonly string[];
}

export type ValidationResult = { ok: true; graph: Graph; problems: [] } | { ok: false; graph?: Graph; problems: Problem[] };

export function validateGraph(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const parsed = graphSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        code: 'GRAPH_INVALID',
        message: `${issue.path.join('.') || 'graph'}: ${issue.message}`,
      })),
    };
  }
  const graph = parsed.data;
  const context: ConfigContext = { actions: options.actions ? new Set(options.actions) : undefined, actionInputs: options.actionInputs, scope: nameScope(graph) };
  const credentials = { actionCredentials: options.actionCredentials, actionInputs: options.actionInputs, credentials: options.credentials ? new Set(options.credentials) : undefined };
  const problems = [...structureProblems(graph), ...graph.nodes.flatMap((node) => [...configProblems(node, context), ...credentialProblems(node, credentials)])];
  return problems.length === 0 ? { ok: true, graph, problems: [] } : { ok: false, graph, problems };
}

function structureProblems(graph: Graph): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) problems.push({ code: 'DUPLICATE_NODE_ID', nodeId: node.id, message: `two nodes have the id "${node.id}"` });
    nodes.set(node.id, node);
    if (!getNodeKind(node.kind)) {
      problems.push({ code: 'UNKNOWN_KIND', nodeId: node.id, message: `node "${node.id}" has an unknown kind "${node.kind}"` });
    }
  }

  const starts = graph.nodes.filter((node) => node.kind === 'start');
  if (starts.length === 0) problems.push({ code: 'NO_START', message: 'the graph has no start node' });
  for (const extra of starts.slice(1)) {
    problems.push({ code: 'MULTIPLE_STARTS', nodeId: extra.id, message: `node "${extra.id}" is a second start node; a graph has exactly one` });
  }

  const edgeIds = new Set<string>();
  const connections = new Set<string>();
  const edgesPerPort = new Map<string, number>();
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) problems.push({ code: 'DUPLICATE_EDGE_ID', edgeId: edge.id, message: `two edges have the id "${edge.id}"` });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      problems.push({ code: 'EDGE_UNKNOWN_NODE', edgeId: edge.id, message: `edge "${edge.id}" joins a node that does not exist: "${missing}"` });
      continue;
    }
    const kind = getNodeKind(source.kind);
    if (kind && !kind.ports.includes(edge.sourcePort)) {
      const ports = kind.ports.length ? kind.ports.map((port) => `"${port}"`).join(', ') : 'none';
      problems.push({
        code: 'EDGE_UNKNOWN_PORT',
        edgeId: edge.id,
        nodeId: source.id,
        message: `edge "${edge.id}" leaves "${source.id}" on port "${edge.sourcePort}", which a ${source.kind} node does not have (ports: ${ports})`,
      });
      continue;
    }
    if (target.kind === 'start') {
      problems.push({ code: 'EDGE_INTO_START', edgeId: edge.id, nodeId: target.id, message: `edge "${edge.id}" leads into the start node` });
    }
    const connection = `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}`;
    if (connections.has(connection)) {
      problems.push({ code: 'DUPLICATE_EDGE', edgeId: edge.id, message: `edge "${edge.id}" repeats another edge from "${edge.source}".${edge.sourcePort} to "${edge.target}"` });
    }
    connections.add(connection);
    const portKey = `${edge.source}\u0000${edge.sourcePort}`;
    const count = (edgesPerPort.get(portKey) ?? 0) + 1;
    edgesPerPort.set(portKey, count);
    if (count === 2 && kind && !kind.multiPorts?.includes(edge.sourcePort)) {
      problems.push({
        code: 'PORT_HAS_MANY_EDGES',
        edgeId: edge.id,
        nodeId: source.id,
        message: `port "${edge.sourcePort}" of "${source.id}" has more than one edge; use a parallel node to start several paths`,
      });
    }
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
  }

  if (starts.length > 0) {
    const reached = new Set<string>([starts[0].id]);
    const queue = [starts[0].id];
    while (queue.length > 0) {
      for (const next of outgoing.get(queue.pop()!) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    for (const node of graph.nodes) {
      if (!reached.has(node.id)) {
        problems.push({ code: 'UNREACHABLE', nodeId: node.id, message: `node "${node.id}" cannot be reached from the start node` });
      }
    }
  }

  for (const node of graph.nodes) {
    const kind = getNodeKind(node.kind);
    if (kind && !kind.terminal && !outgoing.has(node.id)) {
      problems.push({ code: 'NO_OUTGOING_EDGE', nodeId: node.id, message: `node "${node.id}" has no outgoing edge; connect one of its ports (${kind.ports.join(', ')})` });
    }
  }
  return problems;
}

interface ConfigContext {
  actions?: Set<string>;
  actionInputs?: Readonly<Record<string, unknown>>;
  scope: NameScope;
}

/** Every string inside a JSON value, with its dotted path below `prefix`. */
function stringsAt(value: unknown, prefix: string): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsAt(item, `${prefix}.${index}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsAt(item, `${prefix}.${key}`));
  return [];
}

/**
 * Why a field's text without `{{ }}` cannot stand as the literal it is (DESIGN §2), naming the fix; undefined
 * when it can (or holds `{{ }}`). A field that must be computed refuses any literal; a date-time field
 * takes a fixed ISO date-time.
 */
export function literalProblem(meta: FieldMeta | undefined, value: string): string | undefined {
  if (hasTemplateMarks(value)) return undefined;
  const text = value.trim();
  const fix = text ? braceExpression(text) : '{{ … }}';
  if (meta?.widget === 'expression') return `"${text}" is literal text, but ${meta.title.toLowerCase()} must be an expression: write ${fix}`;
  if (meta?.widget === 'value' && meta.fixed === 'dateTime' && !(ISO_DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)))) {
    return `"${text}" is literal text but not an ISO date-time (like 2026-12-31T09:00:00Z); to compute one, write ${fix}`;
  }
  return undefined;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function configProblems(node: GraphNode, context: ConfigContext): Problem[] {
  const kind = getNodeKind(node.kind);
  if (!kind) return [];
  const problems: Problem[] = [];
  const where = (field: string) => `node "${node.id}" ${field}`;
  const problem = (code: ProblemCode, field: string, message: string): Problem => ({ code, nodeId: node.id, field, message: `${where(field)}: ${message}` });

  const parsed = kind.config.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.');
      const isDuration = issue.message.startsWith('not a duration');
      problems.push({
        code: isDuration ? 'DURATION_INVALID' : 'CONFIG_INVALID',
        nodeId: node.id,
        field: field || undefined,
        message: `${where(field || 'config')}: ${isDuration ? `"${String(valueAt(node.config, issue.path))}" is ${issue.message}` : issue.message}`,
      });
    }
  }

  // Syntax first; then every `/…/` literal must run on the linear-time regex engine (DESIGN §3); then
  // every name read from the evaluation root must be there when the node runs.
  const expressionProblems = (text: string, field: string, options: NameOptions = {}): Problem[] => {
    const syntax = [...checkExpressions(text), ...expressionSources(text).flatMap(regexProblems)];
    if (syntax.length > 0) return syntax.map((message) => problem('EXPRESSION_INVALID', field, message));
    return expressionSources(text).flatMap((source) => nameProblems(source, context.scope, node.id, options).map((message) => problem('UNKNOWN_NAME', field, message)));
  };
  const actionProblem = (name: unknown, field: string): Problem[] =>
    context.actions && typeof name === 'string' && name && !context.actions.has(name) ? [problem('UNKNOWN_ACTION', field, `no action named "${name}" is registered`)] : [];
  const inputProblems = (action: unknown, input: unknown, field: string): Problem[] => {
    const schema = typeof action === 'string' && context.actionInputs && Object.hasOwn(context.actionInputs, action) ? context.actionInputs[action] : undefined;
    if (schema === undefined || !input || typeof input !== 'object') return [];
    return actionInputProblems(schema, input).map(({ path, message }) => problem('ACTION_INPUT_INVALID', path ? `${field}.${path}` : field, `${message} (input of ${action})`));
  };

  const shape = kind.config.shape as Record<string, z.ZodType>;
  for (const [key, schema] of Object.entries(shape)) {
    const value = node.config[key];
    if (value === undefined) continue;
    const meta = fieldMeta(schema);
    const widget = meta?.widget;

    if ((widget === 'template' || widget === 'expression' || widget === 'value') && typeof value === 'string') {
      problems.push(...expressionProblems(value, key, promptNames(node, key)));
      const literal = literalProblem(meta, value);
      if (literal) problems.push(problem('EXPRESSION_NOT_BRACED', key, literal));
    } else if (widget === 'valueMap') {
      for (const [field, text] of stringsAt(value, key)) problems.push(...expressionProblems(text, field));
      if (key === 'input') problems.push(...inputProblems(node.config.action, value, key));
    } else if (widget === 'jsonSchema') {
      const compiled = compileJsonSchema(value);
      if (!compiled.ok) {
        for (const message of compiled.problems) problems.push(problem('SCHEMA_INVALID', key, message));
      }
    } else if (widget === 'action') {
      problems.push(...actionProblem(value, key));
    } else if (widget === 'compensation' && value && typeof value === 'object') {
      const compensation = value as { action?: unknown; input?: unknown };
      problems.push(...actionProblem(compensation.action, `${key}.action`));
      // A compensation runs after its step succeeded: the step's own output is there to read.
      for (const [field, text] of stringsAt(compensation.input, `${key}.input`)) problems.push(...expressionProblems(text, field, { selfRan: true }));
      problems.push(...inputProblems(compensation.action, compensation.input ?? {}, `${key}.input`));
    }
  }
  if (node.kind === 'ai') problems.push(...aiProblems(node));
  return problems;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<PropertyKey, unknown> | undefined)?.[key], value);
}
