// The registry of node kinds against DESIGN §2's table: kinds, ports, defaults and form metadata.
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { getNodeKind, isNodeKind, isValidPort, nodeKindList, nodeKinds } from './registry.js';
import { fieldMeta, type FieldWidget } from './fields.js';
import { RETRY_DEFAULTS } from './step.node.js';

/** "Node kinds and their ports" of DESIGN §2, in the table's order. */
const DESIGN_PORTS: Record<string, string[]> = {
  start: ['next'],
  step: ['ok', 'error'],
  wait: ['next'],
  event: ['received', 'timeout'],
  approval: ['approved', 'rejected', 'timeout'],
  ai: ['ok', 'fallback'],
  branch: ['true', 'false'],
  parallel: ['branches'],
  join: ['next'],
  subflow: ['ok', 'error'],
  end: [],
  fail: [],
};

const ALL_PORTS = [...new Set(Object.values(DESIGN_PORTS).flat())];

const WIDGETS: readonly FieldWidget[] = [
  'text', 'number', 'boolean', 'template', 'expression', 'value', 'valueMap', 'duration', 'jsonSchema',
  'action', 'workflow', 'model', 'stringList', 'retryPolicy', 'compensation', 'assignees', 'credentials',
];

const kinds = Object.entries(nodeKinds);
const fields = kinds.flatMap(([kind, spec]) =>
  Object.entries(spec.config.shape as Record<string, z.ZodType>).map(([field, schema]) => ({ kind, field, schema })),
);

describe('the kinds of DESIGN §2', () => {
  it('are exactly the registered kinds', () => {
    expect(Object.keys(nodeKinds).sort()).toEqual(Object.keys(DESIGN_PORTS).sort());
    expect(nodeKindList).toHaveLength(Object.keys(DESIGN_PORTS).length);
  });

  it.each(Object.entries(DESIGN_PORTS))('%s has the ports %j', (kind, ports) => {
    const spec = getNodeKind(kind);
    expect(spec?.kind).toBe(kind);
    expect(spec?.ports).toEqual(ports);
    for (const port of ALL_PORTS) expect(isValidPort(kind, port), port).toBe(ports.includes(port));
  });

  it.each(kinds)('%s: only error, timeout and fallback ports may stay unconnected', (_kind, spec) => {
    expect([...(spec.failurePorts ?? [])].sort()).toEqual(spec.ports.filter((port) => ['error', 'timeout', 'fallback'].includes(port)).sort());
  });

  it.each(kinds)('%s: only parallel branches take several edges; only end and fail are terminal', (kind, spec) => {
    expect(spec.multiPorts ?? []).toEqual(kind === 'parallel' ? ['branches'] : []);
    expect(spec.terminal ?? false).toBe(kind === 'end' || kind === 'fail');
  });

  it.each(['teleport', 'constructor', 'toString', '__proto__', ''])('%j is not a kind', (name) => {
    expect(isNodeKind(name)).toBe(false);
    expect(getNodeKind(name)).toBeUndefined();
    expect(isValidPort(name, 'next')).toBe(false);
  });
});

describe('defaults', () => {
  // A sub-workflow has no sensible default child: a freshly dropped one asks for it, and nothing else.
  const needsAChoice: Record<string, string[]> = { subflow: ['workflow'] };

  it.each(kinds)('%s: defaults parse with its own config schema, but for the choices the user must make', (kind, spec) => {
    const result = spec.config.safeParse(spec.defaults);
    expect((result.error?.issues ?? []).map((issue) => issue.path.join('.'))).toEqual(needsAChoice[kind] ?? []);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['step', { action: 'log' }, { input: {}, timeout: '30s' }],
    ['ai', { prompt: 'p', outputSchema: { type: 'object' } }, { model: 'default', maxAttempts: 2 }],
  ])('%s fills the defaults of DESIGN §2', (kind, config, expected) => {
    expect(getNodeKind(kind)!.config.parse(config)).toMatchObject(expected);
  });

  it('step retry defaults are those of DESIGN §2', () => {
    expect(RETRY_DEFAULTS).toEqual({ maxAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, maxInterval: '1h', jitter: 0.2 });
  });
});

describe('every config field carries widget metadata for the inspector form', () => {
  it.each(fields.map(({ kind, field, schema }) => [kind, field, schema] as const))('%s.%s', (_kind, _field, schema) => {
    const meta = fieldMeta(schema);
    expect(meta).toBeDefined();
    expect(WIDGETS).toContain(meta!.widget);
    expect(typeof meta!.title).toBe('string');
    expect(meta!.title.trim()).not.toBe('');
  });
});
