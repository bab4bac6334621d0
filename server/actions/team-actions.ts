// The registry a process runs with: the built-ins, then the team's actions from the actions folder
// (CAIRN_ACTIONS_DIR, default ./actions), each with its module's file and hash. `cairn start`,
// `cairn worker` and the CLI's local commands build it the same way, so they agree on what exists.
import type { z } from 'zod';
import { builtinActions } from './builtin.actions.js';
import { emailSendAction, type MailSettings } from './email.action.js';
import type { ActionDefinition } from './define.js';
import { loadActions, type LoadedAction } from './loader.js';
import { ActionRegistry } from './registry.js';

export const DEFAULT_ACTIONS_DIR = './actions';

/** The team's actions; throws ActionLoadError naming the file when one cannot be used. */
export function loadTeamActions(config: { CAIRN_ACTIONS_DIR?: string }): Promise<LoadedAction[]> {
  return loadActions(config.CAIRN_ACTIONS_DIR ?? DEFAULT_ACTIONS_DIR, {
    required: config.CAIRN_ACTIONS_DIR !== undefined,
    reserved: builtinActions.map((action) => action.name),
  });
}

/** Built-ins (email.send over `mail`, CAIRN_SMTP_URL), then `extra` definitions (tests register theirs), then the team's loaded modules. */
export function createActionRegistry(options: { extra?: readonly ActionDefinition<z.ZodType, unknown>[]; team?: readonly LoadedAction[]; mail?: MailSettings } = {}): ActionRegistry {
  const builtins = builtinActions.map((action) => (action.name === 'email.send' && options.mail ? emailSendAction(options.mail) : action));
  const registry = new ActionRegistry([...builtins, ...(options.extra ?? [])]);
  for (const { definition, module } of options.team ?? []) registry.register(definition, module);
  return registry;
}
