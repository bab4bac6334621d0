// What the model is told about Cairn when it describes or changes a workflow: the graph format as
// a JSON Schema (from the zod schema the validator parses with), every node kind from the registry
// (ports, which may stay unconnected, config schema, defaults) and the registered actions with their
// input schemas. Built once per process from the same sources the validator reads.
import { z } from 'zod';
import { GRAPH_FORMAT, graphSchema } from '../../../shared/graph/graph.schema.js';
import { nodeKindList } from '../../../shared/nodes/registry.js';
import type { ActionDescription } from '../../../shared/runs/actions.js';

function schemaOf(schema: z.ZodType): unknown {
  // io: 'input' describes what may be written (defaults optional), which is what the model writes;
  // unrepresentable parts (transforms) become {} rather than failing.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

export interface Reference {
  graphSchema: unknown;
  nodeKinds: unknown[];
  actions: unknown[];
}

let kindsCache: unknown[] | undefined;

export function buildReference(actions: readonly ActionDescription[]): Reference {
  kindsCache ??= nodeKindList.map((kind) => ({
    kind: kind.kind,
    label: kind.label,
    description: kind.description,
    ports: kind.ports,
    ...(kind.failurePorts?.length && { portsThatMayStayUnconnected: kind.failurePorts }),
    ...(kind.multiPorts?.length && { portsWithSeveralEdges: kind.multiPorts }),
    ...(kind.terminal && { endsAPath: true }),
    configSchema: schemaOf(kind.config),
    defaults: kind.defaults,
  }));
  return {
    graphSchema: schemaOf(graphSchema),
    nodeKinds: kindsCache,
    actions: actions.map((action) => ({ name: action.name, title: action.title, description: action.description, inputSchema: action.inputSchema })),
  };
}

export const RULES = [
  `The graph's format is "${GRAPH_FORMAT}". Node ids start with a letter and hold letters, digits, _ or -; edge ids are unique.`,
  'Exactly one start node; every node is reachable from start; every node except end and fail has an outgoing edge on each port it uses; a port has at most one edge unless the kind allows several.',
  'An edge is { id, source, sourcePort, target }; sourcePort must be one of the source kind\'s ports.',
  'Expressions are JSONata inside {{ }} over { input, nodes: { <nodeId>: output }, instance }; a branch condition is written "{{ … }}". Text without {{ }} is literal.',
  'Durations are like "30s", "5m", "1h", "7d", "2w" (at most 1 year). A wait has duration or until (an expression giving an ISO date-time).',
  'A step runs a registered action (only the names listed) with input matching its input schema; retry is { maxAttempts, initialInterval, backoffCoefficient, maxInterval } or { delays: ["1h","1d"] }.',
  'Do not invent actions: to notify someone without a suitable action, use an approval task or the "log" action.',
];
