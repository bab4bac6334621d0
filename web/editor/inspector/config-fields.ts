// The inspector's view of a kind's config schema: one descriptor per field of `spec.config.shape`,
// read from the registry's widget metadata (falling back on the zod type), plus the pure config edits
// and per-field problem checks the form uses. No React here.
import type { z } from 'zod';
import { fieldMeta, isOptionalField, unwrapField, type FieldWidget } from '../../../shared/nodes/fields.js';
import { checkExpressions } from '../../../shared/expressions.js';
import { compileJsonSchema } from '../../../shared/json-schema.js';
import { literalProblem } from '../../../shared/validate.js';

/** The registry's widgets, plus two fallbacks for fields that carry no widget metadata. */
export type WidgetKind = FieldWidget | 'boolean' | 'json';

export interface FieldDescriptor {
  key: string;
  /** The field's schema as declared (with its optional/default wrappers). */
  schema: z.ZodType;
  widget: WidgetKind;
  title: string;
  description?: string;
  /** Absent is allowed (an optional field, or one with a default). */
  optional: boolean;
  /** The schema's default, shown as a placeholder; absent when the field has none. */
  defaultValue?: unknown;
}

type ZodDef = { type: string; innerType?: z.ZodType; element?: z.ZodType; defaultValue?: unknown };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/** A widget for a field without metadata, by its zod type. */
export function fallbackWidget(schema: z.ZodType): WidgetKind {
  const def = defOf(unwrapField(schema));
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return 'text';
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return def.element && defOf(unwrapField(def.element)).type === 'string' ? 'stringList' : 'json';
    default:
      return 'json';
  }
}

function defaultOf(schema: z.ZodType): unknown {
  for (let current: z.ZodType | undefined = schema; current; ) {
    const def = defOf(current);
    if (def.type === 'default') return def.defaultValue;
    current = def.type === 'optional' || def.type === 'nullable' ? def.innerType : undefined;
  }
  return undefined;
}

/** "maxAttempts" → "Max attempts", for fields without a title. */
const humanize = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function describeFields(config: z.ZodObject): FieldDescriptor[] {
  return Object.entries(config.shape as Record<string, z.ZodType>).map(([key, schema]) => {
    const meta = fieldMeta(schema);
    return {
      key,
      schema,
      widget: meta?.widget ?? fallbackWidget(schema),
      title: meta?.title ?? humanize(key),
      description: meta?.description,
      optional: isOptionalField(schema),
      defaultValue: defaultOf(schema),
    };
  });
}

/** The config with one field set, or removed when `value` is undefined; other keys (known or not) kept. */
export function withField(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (value === undefined) {
    if (!Object.hasOwn(config, key)) return config;
    const { [key]: _removed, ...rest } = config;
    return rest;
  }
  return { ...config, [key]: value };
}

/** The same for an object inside a field (retry, assignees, compensation): undefined removes the key. */
export const withKey = (object: unknown, key: string, value: unknown): Record<string, unknown> =>
  withField(isRecord(object) ? object : {}, key, value);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function issueMessages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}

/**
 * What is wrong with one field's value: the field schema's own issues, JSONata syntax of templates
 * and expressions, and whether a JSON Schema compiles. An unset optional field has no problems.
 */
export function fieldProblems(field: FieldDescriptor, value: unknown): string[] {
  if (value === undefined) return field.optional ? [] : [`${field.title} is required`];
  const problems = issueMessages(field.schema, value);
  if ((field.widget === 'template' || field.widget === 'expression' || field.widget === 'value') && typeof value === 'string') {
    problems.push(...checkExpressions(value));
    const literal = literalProblem(fieldMeta(field.schema), value);
    if (literal && value.trim()) problems.push(literal);
  }
  if (field.widget === 'jsonSchema' && isRecord(value)) {
    const compiled = compileJsonSchema(value);
    if (!compiled.ok) problems.push(`the schema does not compile: ${compiled.message}`);
  }
  return [...new Set(problems)];
}

/** Problems of the config as a whole (refinements across fields, like wait's duration-or-until). */
export function configProblems(config: z.ZodObject, value: Record<string, unknown>): string[] {
  const result = config.safeParse(value);
  if (result.success) return [];
  return [...new Set(result.error.issues.filter((issue) => issue.path.length === 0).map((issue) => issue.message))];
}
