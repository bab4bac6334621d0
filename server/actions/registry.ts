// The action registry: the built-ins and the team's own actions (loaded from CAIRN_ACTIONS_DIR by
// loader.ts). Steps name an action; the runner validates the resolved input with the action's schema
// before every attempt. The declared input (with its fields' titles, descriptions, defaults and
// enums) drives the inspector's form and the publish check; the declared output only helps authors.
import { z } from 'zod';
import { schemaViolations } from '../../shared/json-schema.js';
import type { ActionDescription } from '../../shared/runs/actions.js';
import type { CredentialRequirement } from '../../shared/credential-kinds.js';
import type { ActionContext, ActionDefinition, ActionSchema, JsonSchema } from './define.js';

export type { ActionDescription };

export { defineAction, type ActionContext, type ActionDefinition, type ActionSchema, type JsonSchema } from './define.js';

/** Where a team action came from: its module, relative to the actions folder, and the sha256 of its source. */
export type ActionModule = NonNullable<ActionDescription['module']>;

/** An action as the runner calls it: whatever the author declared, its input is a zod schema here. */
export interface RegisteredAction {
  name: string;
  title?: string;
  description: string;
  input: z.ZodType;
  /** The credentials it declares; absent: it asks for stored credentials by their own names. */
  credentials?: Record<string, CredentialRequirement>;
  run(input: unknown, ctx: ActionContext): unknown;
  /** Absent for built-ins. */
  module?: ActionModule;
}

const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';

/** A JSON Schema input checked like a zod one, so the runner validates every attempt the same way. */
function jsonSchemaValidator(schema: JsonSchema): z.ZodType {
  // Without $schema, as publish reads it: ajv here knows draft 7's meta-schema, not 2020-12's.
  const { $schema: _dialect, ...body } = schema;
  return z.unknown().superRefine((value, ctx) => {
    for (const violation of schemaViolations(body, value)) {
      // The message names the field already ("amount must be number").
      ctx.addIssue({ code: 'custom', message: violation.message, path: [] });
    }
  });
}

/** What the editor and the publish check read: zod described as JSON Schema, JSON Schema as it is. */
function toJsonSchema(schema: ActionSchema, io: 'input' | 'output'): unknown {
  return isZod(schema) ? z.toJSONSchema(schema, { io, unrepresentable: 'any' }) : schema;
}

export class ActionRegistry {
  private readonly actions = new Map<string, { action: RegisteredAction; description: ActionDescription }>();

  constructor(actions: readonly ActionDefinition<ActionSchema, unknown>[] = []) {
    for (const action of actions) this.register(action);
  }

  register(action: ActionDefinition<ActionSchema, unknown>, module?: ActionModule): this {
    if (this.actions.has(action.name)) throw new Error(`an action named "${action.name}" is already registered`);
    const input = isZod(action.input) ? action.input : jsonSchemaValidator(action.input);
    const declared = action.credentials && Object.keys(action.credentials).length > 0 ? action.credentials : undefined;
    const description: ActionDescription = {
      name: action.name,
      ...(action.title ? { title: action.title } : {}),
      description: action.description,
      inputSchema: toJsonSchema(action.input, 'input'),
      ...(action.output ? { outputSchema: toJsonSchema(action.output, 'output') } : {}),
      ...(declared ? { credentials: declared } : {}),
      ...(module ? { module } : {}),
    };
    const registered: RegisteredAction = {
      name: action.name,
      title: action.title,
      description: action.description,
      input,
      ...(declared ? { credentials: declared } : {}),
      run: (value, ctx) => action.run(value as never, ctx),
      ...(module ? { module } : {}),
    };
    this.actions.set(action.name, { action: registered, description });
    return this;
  }

  get(name: string): RegisteredAction | undefined {
    return this.actions.get(name)?.action;
  }

  names(): string[] {
    return [...this.actions.keys()];
  }

  describe(): ActionDescription[] {
    return [...this.actions.values()].map((entry) => entry.description);
  }
}
