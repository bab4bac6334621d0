// The cairn.graph/v2 format: what the editor saves, a version freezes and export/import read.
// Structure only; each node's `config` is checked against its kind in shared/validate.ts.
// v1 graphs (bare JSONata in expression fields) are accepted and read as their v2 equivalent.
import { z } from 'zod';
import { GRAPH_FORMAT_V1, upgradeV1 } from './upgrade.js';

export const GRAPH_FORMAT = 'cairn.graph/v2';

export const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a node id starts with a letter or _ and holds letters, digits, _ or -');

export const positionSchema = z.object({ x: z.number(), y: z.number() });

export const graphNodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1),
  label: z.string().optional(),
  position: positionSchema.default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const graphEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
});

const graphObjectSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});

/** A graph in the current format, or in v1 upgraded on the way in (shared/graph/upgrade.ts). */
export const graphSchema = z
  .object({
    format: z.enum([GRAPH_FORMAT, GRAPH_FORMAT_V1], { error: `expected "${GRAPH_FORMAT}" (or "${GRAPH_FORMAT_V1}", read as its ${GRAPH_FORMAT} equivalent)` }),
    nodes: z.array(graphNodeSchema),
    edges: z.array(graphEdgeSchema),
  })
  .transform((graph): z.output<typeof graphObjectSchema> => (graph.format === GRAPH_FORMAT_V1 ? upgradeV1(graph, GRAPH_FORMAT) : { ...graph, format: GRAPH_FORMAT }));

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.output<typeof graphObjectSchema>;
