// The pure side of the schema forms: which control a JSON Schema property gets, the value a new array
// item starts with, and the problems of a value by JSON pointer (schema violations, and text typed
// into a JSON field that does not parse, which the schema check cannot see).
import { schemaViolations } from '../../shared/json-schema.js';

export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  format?: string;
  default?: unknown;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

export type FieldKind = 'enum' | 'boolean' | 'number' | 'integer' | 'string' | 'object' | 'array' | 'json';

const typeOf = (schema: FieldSchema) => (Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type);

/** Nesting beyond this is edited as JSON: a form ten fieldsets deep helps nobody. */
const MAX_DEPTH = 4;

/** The control for a property: a typed field, a group of fields, a list, or JSON text when nothing fits. */
export function fieldKind(schema: FieldSchema | undefined, depth = 0): FieldKind {
  if (!schema || typeof schema !== 'object') return 'json';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  const type = typeOf(schema);
  if (type === 'boolean' || type === 'number' || type === 'integer' || type === 'string') return type;
  if (depth >= MAX_DEPTH) return 'json';
  if (type === 'object' || (type === undefined && schema.properties)) {
    return schema.properties && Object.keys(schema.properties).length > 0 ? 'object' : 'json';
  }
  if (type === 'array' && schema.items && !Array.isArray(schema.items)) return fieldKind(schema.items, depth + 1) === 'json' ? 'json' : 'array';
  return 'json';
}

/** What a new list item starts as: its default, or the empty value of its kind. */
export function newItem(schema: FieldSchema | undefined): unknown {
  if (schema?.default !== undefined) return structuredClone(schema.default);
  switch (fieldKind(schema)) {
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'object':
      return {};
    case 'array':
      return [];
    default:
      // A number or a choice not made yet: null, which the schema check reports until it is filled in.
      return null;
  }
}

export const fieldLabel = (key: string, schema: FieldSchema | undefined) => schema?.title?.trim() || key;

/** "/items/0/sku" → "items › 1 › sku": how a person reads a position in the form. */
export function pointerWords(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replaceAll('~1', '/').replaceAll('~0', '~')))
    .join(' › ');
}

/**
 * The value's problems by JSON pointer ("" for the whole value), the first per place. `invalid` holds
 * JSON text that did not parse, by pointer: it replaces what the schema says at and under that place,
 * since the value there is not what the person typed.
 */
export function schemaFormProblems(schema: unknown, value: unknown, invalid: Record<string, string> = {}): Record<string, string> {
  const problems: Record<string, string> = {};
  const broken = Object.keys(invalid);
  for (const violation of schemaViolations(schema, value)) {
    if (broken.some((pointer) => violation.path === pointer || violation.path.startsWith(`${pointer}/`))) continue;
    problems[violation.path] ??= violation.message;
  }
  return { ...problems, ...invalid };
}

/** The message for JSON text that does not parse, naming the field. */
export function invalidJsonMessage(pointer: string, error: unknown): string {
  const where = pointer ? pointerWords(pointer) : 'the input';
  return `${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
}
