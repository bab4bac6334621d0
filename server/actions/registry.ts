// The action registry: `defineAction({ name, input, run })`. Steps name an action; the runner
// validates the resolved input with the action's zod schema before every attempt.
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
  description: string;
  input: Input;
  run(input: z.infer<Input>, ctx: ActionContext): Promise<Output> | Output;
}

export function defineAction<Input extends z.ZodType, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output> {
  return definition;
}

export interface ActionDescription {
  name: string;
  description: string;
  /** The input as JSON Schema, for the editor's action picker. */
  inputSchema: unknown;
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
      description: action.description,
      inputSchema: z.toJSONSchema(action.input, { io: 'input', unrepresentable: 'any' }),
    }));
  }
}
