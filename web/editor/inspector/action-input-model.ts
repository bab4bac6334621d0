// The pure side of a step's input form: the fields an action's declared input (JSON Schema) has, the
// control each gets, whether a stored value is fixed or an expression, switching between the two, and
// which values survive switching to another action. No React here.
import type { ActionDescription } from '../../../shared/runs/actions.js';
import { braceExpression } from '../../../shared/graph/upgrade.js';
import { wholeExpression } from '../../../shared/expressions.js';
import { actionInputProblems } from '../../../shared/validate-action-input.js';
import { fieldKind, type FieldKind, type FieldSchema } from '../../ui/schema-form-model.js';
import { isRecord } from './config-fields.js';
import { modeOf, toExpression, toFixed, type FieldMode } from './expression-mode.js';

/** The schema-form kinds, plus `map`: an object of any keys (http.request's headers), edited as rows. */
export type InputKind = FieldKind | 'map';

export interface InputProperty {
  key: string;
  schema: FieldSchema;
  kind: InputKind;
  title: string;
  description?: string;
  required: boolean;
  defaultValue?: unknown;
}

export function inputKind(schema: FieldSchema | undefined, depth = 0): InputKind {
  const kind = fieldKind(schema, depth);
  if (kind !== 'json' || !isRecord(schema)) return kind;
  const open = (schema as Record<string, unknown>).additionalProperties !== false;
  return schema.type === 'object' && !schema.properties && open ? 'map' : 'json';
}

/** The object schema's fields, in declaration order. */
export function inputProperties(schema: unknown, depth = 0): InputProperty[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(schema.properties as Record<string, FieldSchema>).map(([key, property]) => {
    const own = isRecord(property) ? property : {};
    return {
      key,
      schema: own,
      kind: inputKind(own, depth),
      title: typeof own.title === 'string' && own.title.trim() ? own.title : key,
      description: typeof own.description === 'string' ? own.description : undefined,
      required: required.includes(key),
      defaultValue: own.default,
    };
  });
}

/** Whether keys the schema does not name are allowed (JSON Schema's default: they are). */
export function allowsOtherKeys(schema: unknown): boolean {
  return !isRecord(schema) || (schema.additionalProperties !== false && schema.unevaluatedProperties !== false);
}

/** The keys of `value` that the schema does not name. */
export function otherKeys(schema: unknown, value: unknown): string[] {
  const known = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  return isRecord(value) ? Object.keys(value).filter((key) => !Object.hasOwn(known, key)) : [];
}

const isExpression = (value: unknown): value is string => typeof value === 'string' && value.includes('{{');

/**
 * Whether a stored value shows as Fixed or Expression. Text is read as DESIGN §2 says; in a field of
 * another type (a number), any text is an expression being written (bare text gets the brace fix).
 */
export function modeOfValue(kind: InputKind, value: unknown): FieldMode {
  if (typeof value !== 'string') return 'fixed';
  if (kind === 'string' || kind === 'enum' || kind === 'json') return modeOf(value);
  return 'expression';
}

/** The value as an expression giving the same: "GET" → {{ "GET" }}, 5 → {{ 5 }}, nothing → {{  }}. */
export function toExpressionValue(value: unknown): string {
  if (value === undefined) return '{{  }}';
  if (typeof value === 'string') return toExpression(value);
  return braceExpression(JSON.stringify(value));
}

function fits(kind: InputKind, schema: FieldSchema, value: unknown): boolean {
  switch (kind) {
    case 'enum':
      return (schema.enum ?? []).some((option) => JSON.stringify(option) === JSON.stringify(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'object':
    case 'map':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

/**
 * An expression as a fixed value, when its source is a literal of the field's type ({{ 5 }} → 5);
 * otherwise the field is left empty (unset), by the author's own click. Text fields keep the text.
 */
export function toFixedValue(kind: InputKind, schema: FieldSchema, text: string): unknown {
  if (kind === 'string') return toFixed(text);
  const source = wholeExpression(text);
  if (source === undefined) return kind === 'json' ? toFixed(text) : undefined;
  try {
    const literal: unknown = JSON.parse(source.trim());
    return fits(kind, schema, literal) ? literal : undefined;
  } catch {
    return undefined;
  }
}

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

/** Whether a value can stay in a field of another action: a whole expression always; else by type. */
export function compatible(value: unknown, schema: unknown): boolean {
  if (!isRecord(schema)) return true;
  if (isExpression(value) && wholeExpression(value) !== undefined) return true;
  if (Array.isArray(schema.enum)) return schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value));
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return true;
  const type = jsonType(value);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

/**
 * The input a step keeps when its action becomes one with `schema`: the fields the new action has
 * (same name, compatible value); the rest is dropped — and listed, so the editor can say so.
 */
export function keepForAction(input: unknown, schema: unknown): { input: Record<string, unknown>; dropped: string[] } {
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  for (const [key, value] of Object.entries(isRecord(input) ? input : {})) {
    if (Object.hasOwn(properties, key) && compatible(value, properties[key])) kept[key] = value;
    else dropped.push(key);
  }
  return { input: kept, dropped };
}

/**
 * A step's config (or a compensation) with its `action` set to `name`: a registered action's `input`
 * keeps only the fields that action has; for an unknown action (or none chosen) the input is kept.
 * Chosen credentials stay only for the names the new action declares too.
 */
export function withAction(holder: Record<string, unknown>, name: unknown, actions: readonly ActionDescription[]): Record<string, unknown> {
  if (holder.action === name) return holder;
  const action = actions.find((candidate) => candidate.name === name);
  const switched = withCredentialsFor({ ...holder, action: name }, action);
  if (!action || !Object.hasOwn(holder, 'input')) return switched;
  return { ...switched, input: keepForAction(holder.input, action.inputSchema).input };
}

/** The chosen credentials the (new) action declares too; none left removes the field. */
function withCredentialsFor(holder: Record<string, unknown>, action: ActionDescription | undefined): Record<string, unknown> {
  if (!isRecord(holder.credentials)) return holder;
  const declared = action?.credentials ?? {};
  const kept = Object.fromEntries(Object.entries(holder.credentials).filter(([slot]) => Object.hasOwn(declared, slot)));
  const { credentials: _dropped, ...rest } = holder;
  return Object.keys(kept).length > 0 ? { ...rest, credentials: kept } : rest;
}

/** The input's problems against the action's schema, by top-level key ("" for the input as a whole). */
export function problemsByKey(schema: unknown, input: unknown): Record<string, string[]> {
  const byKey: Record<string, string[]> = {};
  for (const problem of actionInputProblems(schema, input)) {
    const key = problem.path.split('.')[0];
    (byKey[key] ??= []).push(problem.message);
  }
  return byKey;
}
