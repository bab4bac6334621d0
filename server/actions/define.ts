// What an action's author imports (`import { defineAction, z } from 'cairn'`, the package's main
// entry): defineAction, the context an attempt gets, the errors that say whether to retry, and the
// zod the server itself uses (a schema made with another copy of zod would lose its titles).
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ActionFetch } from './http-client.js';
import type { CredentialRequirement, CredentialValue } from '../../shared/credential-kinds.js';

export { z };
export { NonRetryableError, RetryableError } from '../engine/errors.js';
export type { Logger } from '../logger.js';
export type { ActionFetch } from './http-client.js';
export type { CredentialRequirement, CredentialValue } from '../../shared/credential-kinds.js';

/** A JSON Schema object (draft 2020-12 as ajv reads it); the input's must describe an object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** An action's input or output: a zod schema, or a JSON Schema. */
export type ActionSchema = z.ZodType | JsonSchema;

/** What `run` receives for an input schema: zod's output type, or a plain object for JSON Schema. */
export type InputOf<Schema extends ActionSchema> = Schema extends z.ZodType ? z.output<Schema> : Record<string, unknown>;

export interface ActionContext {
  /** Same for every attempt of a step visit: "<instanceId>:<nodeId>:<visit>". */
  idempotencyKey: string;
  attempt: number;
  /** Aborted when the attempt times out or the worker stops. */
  signal: AbortSignal;
  logger: Logger;
  /**
   * The egress-checked HTTP client (fetch's API): refuses loopback, private, link-local and other
   * internal addresses unless CAIRN_HTTP_ALLOW names them, and caps response bodies.
   */
  fetch: ActionFetch;
  /**
   * Credentials, decrypted when asked for; their values are redacted from this attempt's output, error
   * and log lines. An action that declares `credentials` asks by the declared name
   * (`await ctx.credentials.get('slack')`) and gets the stored credential the step chose for it; one
   * that declares none asks by a stored credential's name (http.request's `credential` input).
   */
  credentials: { get(name: string): Promise<CredentialValue> };
  /**
   * A line for the run's history (one "Action logged" event per attempt; the server log gets it too),
   * as a code step's console.log does. `logger` writes to the server log only.
   */
  log(message: string, level?: 'debug' | 'info' | 'warn' | 'error'): void;
}

export interface ActionDefinition<Input extends ActionSchema = z.ZodType, Output = unknown> {
  /** How a step names the action: letters, digits, and `.`, `-` or `_` between them ("slack.post"). */
  name: string;
  /** A short human name for the palette and the action picker ("Post to Slack"); the name when absent. */
  title?: string;
  description: string;
  /**
   * zod (give each field `.meta({ title, description })`) or a JSON Schema with `title` and
   * `description` per property: the inspector shows them beside each field, publish checks steps
   * against it, and every attempt's input is validated with it before `run`.
   */
  input: Input;
  /** What `run` returns, as far as it is known (autocomplete of nodes.<id>.…); not enforced at run time. */
  output?: ActionSchema;
  /**
   * The credentials it needs, by the name `run` asks for them with (letters, digits and `_`):
   * `{ slack: { kind: 'fields', description: 'The incoming webhook (a field "url")' } }`. Each step
   * chooses a stored credential for each in its `credentials` (the inspector offers them); publish
   * refuses a step that leaves a required one unchosen or names one that is not stored.
   */
  credentials?: Record<string, CredentialRequirement>;
  run(input: InputOf<Input>, ctx: ActionContext): Promise<Output> | Output;
}

/** Marks a definition, so the loader tells actions from a module's other exports. */
const ACTION = Symbol.for('cairn.action');

export function defineAction<Input extends ActionSchema, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output> {
  Object.defineProperty(definition, ACTION, { value: true, enumerable: false });
  return definition;
}

/** Whether a value was made by defineAction (of this or any other copy of Cairn). */
export function isActionDefinition(value: unknown): value is ActionDefinition<ActionSchema, unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ACTION] === true;
}
