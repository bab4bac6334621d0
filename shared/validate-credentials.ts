// The credentials a step's action declares, checked at publish (and in the editor as it is edited):
// each required one must be chosen in the step's `credentials` (its compensation's likewise), a choice
// must be for a credential the action declares, and — where the stored credentials are known (the
// server, at publish) — a chosen name, or a fixed name in an input field that names a credential
// (http.request's `credential`), must be stored. Each problem names its node and field.
import { CREDENTIAL_MEDIA_TYPE, type CredentialRequirement } from './credential-kinds.js';
import { hasTemplateMarks } from './expressions.js';
import type { GraphNode } from './graph/graph.schema.js';
import type { Problem } from './problems.js';

export interface CredentialCheckOptions {
  /** Every registered action's declared credentials (`undefined` or `{}` for none), by action name. */
  actionCredentials?: Readonly<Record<string, Readonly<Record<string, CredentialRequirement>> | undefined>>;
  /** Each registered action's input as JSON Schema, to find the fields that name a credential. */
  actionInputs?: Readonly<Record<string, unknown>>;
  /** The stored credentials' names; when absent (the editor without them), names are not looked up. */
  credentials?: ReadonlySet<string>;
}

type Part = { action?: unknown; input?: unknown; credentials?: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The top-level input fields of an action that name a credential (contentMediaType). */
function credentialFields(schema: unknown): string[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  return Object.entries(schema.properties)
    .filter(([, property]) => isRecord(property) && property.contentMediaType === CREDENTIAL_MEDIA_TYPE)
    .map(([key]) => key);
}

export function credentialProblems(node: GraphNode, options: CredentialCheckOptions): Problem[] {
  if (node.kind !== 'step') return [];
  const config = node.config as Part & { compensate?: Part };
  return [...partProblems(node.id, config, '', options), ...(isRecord(config.compensate) ? partProblems(node.id, config.compensate, 'compensate.', options) : [])];
}

function partProblems(nodeId: string, part: Part, prefix: string, options: CredentialCheckOptions): Problem[] {
  const problems: Problem[] = [];
  const problem = (code: Problem['code'], field: string, message: string) => problems.push({ code, nodeId, field: `${prefix}${field}`, message: `node "${nodeId}" ${prefix}${field}: ${message}` });
  const stored = (name: string, field: string) => {
    if (options.credentials && !options.credentials.has(name)) problem('CREDENTIAL_UNKNOWN', field, `no credential named "${name}" is stored: an admin adds it in Settings → Credentials, or choose another`);
  };
  const action = typeof part.action === 'string' ? part.action : undefined;
  if (!action) return problems;
  const chosen = isRecord(part.credentials) ? part.credentials : {};
  // Checked only for a registered action (an unknown one is a problem of its own).
  const declared = options.actionCredentials && Object.hasOwn(options.actionCredentials, action) ? (options.actionCredentials[action] ?? {}) : undefined;
  if (declared) {
    for (const [slot, requirement] of Object.entries(declared)) {
      if (requirement.optional || typeof chosen[slot] === 'string') continue;
      problem('CREDENTIAL_MISSING', `credentials.${slot}`, `${action} needs a credential for "${slot}" (${requirement.description}${requirement.kind ? `; ${requirement.kind}` : ''}): choose a stored one`);
    }
    for (const slot of Object.keys(chosen)) {
      if (!Object.hasOwn(declared, slot)) {
        const names = Object.keys(declared);
        problem('CREDENTIAL_UNKNOWN', `credentials.${slot}`, `${action} declares no credential "${slot}"${names.length ? ` (it declares ${names.map((name) => `"${name}"`).join(', ')})` : ' (it declares none)'}; remove it`);
      }
    }
  }
  for (const [slot, name] of Object.entries(chosen)) if (typeof name === 'string') stored(name, `credentials.${slot}`);
  // A fixed name typed into a credential field; one computed by {{ }} is looked up when the step runs.
  const input = isRecord(part.input) ? part.input : {};
  for (const key of credentialFields(options.actionInputs?.[action])) {
    const value = input[key];
    if (typeof value === 'string' && value && !hasTemplateMarks(value)) stored(value, `input.${key}`);
  }
  return problems;
}
