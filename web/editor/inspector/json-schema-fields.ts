// A flat object JSON Schema as a list of fields (name, type, required, description) and back.
// Keywords the list does not show are kept: a property's others ride along in `extra`, the top
// level's in the base schema. Schemas the list cannot show faithfully are edited as raw JSON only.
import { isRecord } from './config-fields.js';

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface SchemaFieldRow {
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** The property's other keywords (format, enum, items, …), kept as they are. */
  extra: Record<string, unknown>;
}

export type FieldListResult = { ok: true; rows: SchemaFieldRow[] } | { ok: false; reason: string };

/** Top-level keywords that shape the object beyond a flat list of properties. */
const COMPOSING = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', '$ref', 'patternProperties', 'dependentRequired', 'dependentSchemas', 'dependencies', 'propertyNames', 'unevaluatedProperties'];

const isFieldType = (value: unknown): value is FieldType => FIELD_TYPES.includes(value as FieldType);

/** The rows of a schema, or why the field list cannot show it. */
export function schemaToRows(schema: unknown): FieldListResult {
  if (!isRecord(schema)) return { ok: false, reason: 'the schema is not a JSON object' };
  if (schema.type !== undefined && schema.type !== 'object') return { ok: false, reason: 'the schema does not describe an object' };
  const composing = COMPOSING.find((keyword) => Object.hasOwn(schema, keyword));
  if (composing) return { ok: false, reason: `the schema uses "${composing}"` };
  const properties = schema.properties ?? {};
  if (!isRecord(properties)) return { ok: false, reason: '"properties" is not an object' };
  const required = schema.required ?? [];
  if (!Array.isArray(required) || !required.every((name) => typeof name === 'string')) {
    return { ok: false, reason: '"required" is not a list of names' };
  }
  const missing = required.find((name) => !Object.hasOwn(properties, name));
  if (missing !== undefined) return { ok: false, reason: `"required" names "${missing}", which has no property` };

  const rows: SchemaFieldRow[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!isRecord(property) || !isFieldType(property.type)) {
      return { ok: false, reason: `property "${name}" has no single type the field list knows` };
    }
    if (property.description !== undefined && typeof property.description !== 'string') {
      return { ok: false, reason: `property "${name}" has a description that is not text` };
    }
    const { type, description, ...extra } = property;
    rows.push({ name, type, required: required.includes(name), description: description ?? '', extra });
  }
  return { ok: true, rows };
}

/** The schema of the rows, on top of `base` (whose other keywords are kept). Unnamed rows are left out. */
export function rowsToSchema(rows: readonly SchemaFieldRow[], base: unknown): Record<string, unknown> {
  const named = rows.filter((row) => row.name.trim());
  const properties = Object.fromEntries(
    named.map((row) => [row.name, { ...row.extra, type: row.type, ...(row.description ? { description: row.description } : {}) }]),
  );
  const required = named.filter((row) => row.required).map((row) => row.name);
  const { required: _previous, ...rest } = isRecord(base) ? base : {};
  return { ...rest, type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** Why the rows cannot be saved as they are (a name used twice). */
export function rowProblems(rows: readonly SchemaFieldRow[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const row of rows) {
    if (!row.name.trim()) continue;
    if (seen.has(row.name)) problems.push(`the field name "${row.name}" is used twice`);
    seen.add(row.name);
  }
  return problems;
}

/** The keywords shown next to a row for what the list does not edit ("format, enum"). */
export function extraKeywords(row: SchemaFieldRow): string[] {
  return Object.keys(row.extra);
}
