// JSON Schema through ajv: compile checks for the validator, and value checks that name the field.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const cache = new Map<string, ValidateFunction>();

export type SchemaCompileResult = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

export function compileJsonSchema(schema: unknown): SchemaCompileResult {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    return { ok: false, message: 'a JSON Schema must be an object' };
  }
  const key = JSON.stringify(schema);
  const cached = cache.get(key);
  if (cached) return { ok: true, validate: cached };
  try {
    // Without its $id: ajv registers ids globally, and an edited schema keeping its $id would clash.
    const { $id: _id, ...anonymous } = schema as Record<string, unknown>;
    const validate = ajv.compile(anonymous);
    cache.set(key, validate);
    return { ok: true, validate };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

export interface SchemaViolation {
  /** JSON pointer of the offending field, "" for the value itself. */
  path: string;
  message: string;
}

function toViolation(error: ErrorObject): SchemaViolation {
  const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
  const path = `${error.instancePath}${missing}`;
  const where = path ? `${path.slice(1).replaceAll('/', '.')}` : 'value';
  const message = error.keyword === 'required' ? `${where} is required` : `${where} ${error.message ?? 'is invalid'}`;
  return { path, message };
}

/** Violations of `value` against a schema that is known to compile; empty when valid. */
export function schemaViolations(schema: unknown, value: unknown): SchemaViolation[] {
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) return [{ path: '', message: `schema does not compile: ${compiled.message}` }];
  return compiled.validate(value) ? [] : (compiled.validate.errors ?? []).map(toViolation);
}
