// JSON Schema through ajv: compile checks for the validator, and value checks that name the field.
// User schemas are semi-trusted (DESIGN §3, containment): they are bounded in size, their patterns run
// on a linear-time engine, and recursion that would never end or blow up is refused when they compile,
// so a schema that passes publish cannot stall or crash a run's start, an approval or an AI node.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { utf8Bytes } from './limits.js';
import { linearRegExpForAjv } from './linear-regex.js';
import { walkSchema } from './json-schema-walk.js';
import { recursionProblems } from './json-schema-recursion.js';
import { uniqueItemsKeyword } from './json-schema-unique.js';

export { SCHEMA_LIMITS } from './json-schema-walk.js';
export { MAX_CHECKS_PER_VALUE } from './json-schema-recursion.js';

/** Size of a schema as JSON, in bytes; bounds what compiling it can cost. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// ajv-formats' own regexes are fixed and linear on long input; `format: "regex"` only parses the value.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, logger: false, code: { regExp: linearRegExpForAjv } }));
ajv.removeKeyword('uniqueItems').addKeyword(uniqueItemsKeyword);

export type SchemaCompileResult = { ok: true; validate: ValidateFunction } | { ok: false; message: string; problems: string[] };

// Results by schema JSON, failures included (the editor compiles on every keystroke). Bounded, and
// refreshed on use, so a stream of distinct schemas cannot grow it.
const cache = new Map<string, SchemaCompileResult>();
const CACHE_LIMIT = 256;

function failed(problems: string[]): SchemaCompileResult {
  return { ok: false, message: problems.join('; '), problems };
}

/**
 * Whether the JSON of a value is certainly over `limit` bytes, walking at most that much of it: a
 * 500 KB schema is refused without serialising it. Counts a lower bound (ASCII, no escapes), so it
 * never refuses a schema that fits; the exact size is checked on the JSON afterwards.
 */
function jsonLongerThan(value: unknown, limit: number): boolean {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && size <= limit) {
    const item = pending.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean') size += String(item).length;
    else if (item === null) size += 4;
    else if (typeof item !== 'object') continue; // left out of JSON, or refused by the serialiser
    else if (Array.isArray(item)) {
      size += 1; // with one comma or bracket per entry, exact for ASCII
      for (const entry of item) {
        size += 1;
        pending.push(entry);
        if (size > limit) break;
      }
    } else {
      size += 1;
      for (const key in item) {
        const entry = (item as Record<string, unknown>)[key];
        if (!Object.hasOwn(item, key) || entry === undefined || typeof entry === 'function') continue;
        size += key.length + 4;
        pending.push(entry);
        if (size > limit) break;
      }
    }
  }
  return size > limit;
}

function serialised(schema: object): string | undefined {
  try {
    return JSON.stringify(schema);
  } catch {
    return undefined; // a cycle, a BigInt, or nesting past the stack
  }
}

export function compileJsonSchema(schema: unknown): SchemaCompileResult {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return failed(['a JSON Schema must be an object']);
  const tooLarge = `over the limit of ${MAX_SCHEMA_BYTES / 1024} KB`;
  if (jsonLongerThan(schema, MAX_SCHEMA_BYTES)) return failed([`the schema's JSON is ${tooLarge}`]);
  const key = serialised(schema);
  if (key === undefined) return failed(['the schema cannot be read as JSON (it refers to itself or nests too deeply)']);
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so most schemas need no encoding to be measured.
  const bytes = key.length * 3 <= MAX_SCHEMA_BYTES ? key.length : utf8Bytes(key);
  if (bytes > MAX_SCHEMA_BYTES) {
    return failed([`the schema is ${Math.ceil(bytes / 1024).toLocaleString('en')} KB of JSON, ${tooLarge}`]);
  }
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const result = compileUncached(JSON.parse(key) as Record<string, unknown>);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

function compileUncached(copy: Record<string, unknown>): SchemaCompileResult {
  // Without its $id: ajv registers ids globally, and an edited schema keeping its $id would clash.
  delete copy.$id;
  const walked = walkSchema(copy);
  const problems = walked.problems.length > 0 ? walked.problems : recursionProblems(walked.graph);
  if (problems.length > 0) return failed(problems);
  try {
    const validate = ajv.compile(copy);
    return { ok: true, validate };
  } catch (error) {
    return failed([(error as Error).message]);
  } finally {
    // ajv keeps every compiled schema object in its own cache; ours is the bounded one.
    ajv.removeSchema(copy);
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

/**
 * Violations of `value` against a schema that is known to compile; empty when valid. Never throws:
 * a value too deep for the stack (or any other failure of the check) is itself a violation.
 */
export function schemaViolations(schema: unknown, value: unknown): SchemaViolation[] {
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) return [{ path: '', message: `schema does not compile: ${compiled.message}` }];
  try {
    return compiled.validate(value) ? [] : (compiled.validate.errors ?? []).map(toViolation);
  } catch (error) {
    const reason = error instanceof RangeError ? 'it is nested too deeply' : (error as Error)?.message ?? String(error);
    return [{ path: '', message: `value could not be checked against the schema: ${reason}` }];
  }
}
