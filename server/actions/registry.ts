// The action registry: `defineAction({ name, title, description, input, output?, run })`. Steps name
// an action; the runner validates the resolved input with the action's zod schema before every attempt.
// The declared input (with its fields' titles, descriptions, defaults and enums) drives the inspector's
// form and the publish check; the declared output only helps authors (autocomplete of nodes.<id>.…).
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ActionFetch } from './http-client.js';

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
}

export interface ActionDefinition<Input extends z.ZodType = z.ZodType, Output = unknown> {
  name: string;
  /** A short human name for the action picker ("HTTP request"); the name when absent. */
  title?: string;
  description: string;
  /** Give each field `.meta({ title, description })`: the inspector shows them beside the field. */
  input: Input;
  /** What `run` returns, as far as it is known; not enforced at run time. */
  output?: z.ZodType;
  run(input: z.infer<Input>, ctx: ActionContext): Promise<Output> | Output;
}

export function defineAction<Input extends z.ZodType, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output> {
  return definition;
}

export interface ActionDescription {
  name: string;
  title?: string;
  description: string;
  /** The input as JSON Schema, for the editor's form and the publish check. */
  inputSchema: unknown;
  /** The declared output as JSON Schema, when the action declares one. */
  outputSchema?: unknown;
}

export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition>();

  constructor(actions: readonly ActionDefinition<z.ZodType, unknown>[] = []) {
    for (const action of actions) this.register(action);
  }

  register(action: ActionDefinition<z.ZodType, unknown>): this {
    if (this.actions.has(action.name)) throw new Error(`an action named "${action.name}" is already registered`);
    this.actions.set(action.name, action as ActionDefinition);
    return this;
  }

  get(name: string): ActionDefinition | undefined {
    return this.actions.get(name);
  }

  names(): string[] {
    return [...this.actions.keys()];
  }

  describe(): ActionDescription[] {
    return [...this.actions.values()].map((action) => ({
      name: action.name,
      ...(action.title ? { title: action.title } : {}),
      description: action.description,
      inputSchema: z.toJSONSchema(action.input, { io: 'input', unrepresentable: 'any' }),
      ...(action.output ? { outputSchema: z.toJSONSchema(action.output, { io: 'output', unrepresentable: 'any' }) } : {}),
    }));
  }
}
