// How a node kind looks on the canvas and in the palette: a colour per category, and a one-line
// summary of a node's config derived from its kind's fields (icons: NodeIcon.tsx).
import type { z } from 'zod';
import type { GraphNode } from '../../shared/graph/graph.schema.js';
import { fieldMeta } from '../../shared/nodes/fields.js';
import { getNodeKind } from '../../shared/nodes/registry.js';
import type { NodeCategory } from '../../shared/nodes/kind.js';

export const CATEGORY_COLOURS: Record<NodeCategory, string> = {
  flow: '#64748b',
  action: '#2563eb',
  wait: '#d97706',
  human: '#7c3aed',
  ai: '#db2777',
};

function describe(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map(describe).join(', ') : undefined;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => describe(item));
    return entries.length ? entries.map(([key, item]) => `${key}: ${describe(item)}`).join(' · ') : undefined;
  }
  return undefined;
}

/** The first fields of the config that say something, in the kind's own field order. */
export function summary(node: GraphNode): string {
  const kind = getNodeKind(node.kind);
  if (!kind) return `unknown kind "${node.kind}"`;
  const parts: string[] = [];
  for (const [key, schema] of Object.entries(kind.config.shape as Record<string, z.ZodType>)) {
    const text = describe(node.config[key]);
    if (!text) continue;
    const widget = fieldMeta(schema)?.widget;
    parts.push(widget === 'duration' || widget === 'retryPolicy' || widget === 'assignees' ? `${key} ${text}` : text);
    if (parts.length === 2) break;
  }
  const line = parts.join(' — ');
  return line.length > 64 ? `${line.slice(0, 63)}…` : line;
}
