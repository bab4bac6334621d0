// What a team action's definition must be before it is registered: a module is JavaScript that
// no type checker may have seen, so each field defineAction expects is checked here, and the problem
// named (the loader adds the file).
import { z } from 'zod';
import { compileJsonSchema } from '../../shared/json-schema.js';
import { CREDENTIAL_SLOT, credentialRequirementSchema, MAX_DECLARED_CREDENTIALS } from '../../shared/credential-kinds.js';
import type { ActionDefinition, ActionSchema } from './define.js';

/** "slack.post", "csv-to-json", "crm_update": letters and digits, with `.`, `-` or `_` between them. */
export const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*$/;
const MAX_NAME = 100;

const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';

/** A problem with a JSON Schema or zod input/output, or undefined. */
function schemaProblem(schema: unknown, what: 'input' | 'output'): string | undefined {
  let json: unknown = schema;
  if (isZod(schema)) {
    try {
      json = z.toJSONSchema(schema, { io: what, unrepresentable: 'any' });
    } catch (error) {
      return `its ${what} schema cannot be described as JSON Schema: ${(error as Error).message}`;
    }
  } else if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    return `its ${what} must be a zod schema or a JSON Schema object`;
  }
  // zod names draft 2020-12 as $schema; the checks that use the schema (publish, forms) ignore it.
  const { $schema: _dialect, ...body } = json as Record<string, unknown>;
  const compiled = compileJsonSchema(body);
  if (!compiled.ok) return `its ${what} schema does not compile: ${compiled.message}`;
  if (what === 'input' && (json as { type?: unknown }).type !== 'object') return 'its input must describe an object (z.object({ … }) or { "type": "object", "properties": { … } })';
  return undefined;
}

/** A problem with the declared credentials, or undefined. */
function credentialsProblem(credentials: unknown): string | undefined {
  if (credentials === undefined) return undefined;
  if (!credentials || typeof credentials !== 'object' || Array.isArray(credentials)) return 'credentials must be an object: { <name>: { kind?, description, optional? } }';
  const entries = Object.entries(credentials);
  if (entries.length > MAX_DECLARED_CREDENTIALS) return `it declares ${entries.length} credentials; at most ${MAX_DECLARED_CREDENTIALS}`;
  for (const [slot, requirement] of entries) {
    if (!CREDENTIAL_SLOT.test(slot)) return `credential name ${JSON.stringify(slot.slice(0, 100))} must be a letter, then letters, digits or "_" (at most 63)`;
    const parsed = credentialRequirementSchema.safeParse(requirement);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      const message = issue.code === 'invalid_value' && field === 'kind' ? 'must be bearer, basic, header, query or fields' : issue.message;
      return `credential "${slot}"${field ? ` ${field}` : ''}: ${message}`;
    }
  }
  return undefined;
}

/** The first problem with a definition, or undefined when it can be registered. */
export function checkDefinition(definition: ActionDefinition<ActionSchema, unknown>): string | undefined {
  const { name, title, description, input, output, credentials, run } = definition as unknown as Partial<Record<string, unknown>>;
  if (typeof name !== 'string' || !ACTION_NAME.test(name) || name.length > MAX_NAME) {
    return `an action's name must be letters and digits with ".", "-" or "_" between them (at most ${MAX_NAME}), not ${JSON.stringify(name) ?? 'undefined'}`;
  }
  if (title !== undefined && (typeof title !== 'string' || !title.trim())) return `action "${name}": title must be text`;
  if (typeof description !== 'string' || !description.trim()) return `action "${name}": description must be text saying what it does`;
  if (typeof run !== 'function') return `action "${name}": run must be a function (input, ctx) => result`;
  const inputProblem = schemaProblem(input, 'input');
  if (inputProblem) return `action "${name}": ${inputProblem}`;
  const outputProblem = output === undefined ? undefined : schemaProblem(output, 'output');
  if (outputProblem) return `action "${name}": ${outputProblem}`;
  const credentialProblem = credentialsProblem(credentials);
  if (credentialProblem) return `action "${name}": ${credentialProblem}`;
  return undefined;
}
