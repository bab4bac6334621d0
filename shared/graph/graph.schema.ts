// The cairn.graph/v1 format: what the editor saves, a version freezes and export/import read.
// Structure only; each node's `config` is checked against its kind in shared/validate.ts.
import { z } from 'zod';

export const GRAPH_FORMAT = 'cairn.graph/v1';

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

export const graphSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.infer<typeof graphSchema>;
