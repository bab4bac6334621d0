// Loads a team's own actions: every module directly in the actions folder (CAIRN_ACTIONS_DIR,
// default ./actions) whose exports include definitions made by defineAction. Anything wrong — a
// module that does not import, exports no action or a malformed one, a name taken twice or by a
// built-in — stops start-up with an ActionLoadError naming the file, rather than serving a palette
// that silently lacks an action some published version needs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionDefinition, ActionSchema } from './define.js';
import { isActionDefinition } from './define.js';
import { checkDefinition } from './definition-check.js';
import type { ActionModule } from './registry.js';

export class ActionLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionLoadError';
  }
}

export interface LoadedAction {
  definition: ActionDefinition<ActionSchema, unknown>;
  module: ActionModule;
}

/** Module files; tests, type declarations and files starting with `_` or `.` are not actions (helpers may be). */
const MODULE = /^[^_.].*\.(ts|mts|js|mjs)$/;
const NOT_A_MODULE = /(\.d\.ts|\.test\.[mc]?[jt]s|\.spec\.[mc]?[jt]s)$/;

export function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && MODULE.test(entry.name) && !NOT_A_MODULE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** The first line of what a failed import threw: enough to find it, without a stack of tsx internals. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim()) ?? 'failed';
}

/**
 * The actions of every module in `dir`. A folder that does not exist holds no actions unless
 * `required` (CAIRN_ACTIONS_DIR set explicitly), when that is an error too. `reserved`: names
 * taken already (the built-ins).
 */
export async function loadActions(dir: string, options: { required?: boolean; reserved?: readonly string[] } = {}): Promise<LoadedAction[]> {
  const folder = path.resolve(dir);
  if (!existsSync(folder)) {
    if (options.required) throw new ActionLoadError(`the actions folder ${folder} does not exist (CAIRN_ACTIONS_DIR)`);
    return [];
  }
  if (!statSync(folder).isDirectory()) throw new ActionLoadError(`the actions folder ${folder} is not a folder (CAIRN_ACTIONS_DIR)`);
  const reserved = new Set(options.reserved ?? []);
  const byName = new Map<string, string>();
  const loaded: LoadedAction[] = [];
  for (const file of actionFiles(folder)) {
    const full = path.join(folder, file);
    const relative = path.relative(process.cwd(), full);
    const shown = relative.startsWith('..') ? full : relative;
    const hash = createHash('sha256').update(readFileSync(full)).digest('hex');
    let exports: Record<string, unknown>;
    try {
      // The hash in the URL: a module changed on disk is imported afresh, not served from the cache.
      exports = (await import(`${pathToFileURL(full).href}?hash=${hash.slice(0, 16)}`)) as Record<string, unknown>;
    } catch (error) {
      throw new ActionLoadError(`action module ${shown} failed to load: ${reason(error)}`);
    }
    const found = new Set<ActionDefinition<ActionSchema, unknown>>();
    for (const [exported, value] of Object.entries(exports)) {
      if (isActionDefinition(value)) found.add(value);
      else if (exported === 'default' && value !== undefined) throw new ActionLoadError(`action module ${shown}: the default export is not an action (export default defineAction({ … }))`);
    }
    if (found.size === 0) throw new ActionLoadError(`action module ${shown} exports no action: export default defineAction({ … }) from 'cairn'`);
    for (const definition of found) {
      const problem = checkDefinition(definition);
      if (problem) throw new ActionLoadError(`action module ${shown}: ${problem}`);
      if (reserved.has(definition.name)) throw new ActionLoadError(`action module ${shown}: "${definition.name}" is the name of a built-in action; choose another`);
      const other = byName.get(definition.name);
      if (other) throw new ActionLoadError(`action module ${shown}: an action named "${definition.name}" is defined in ${other} too; action names must be unique`);
      byName.set(definition.name, shown);
      loaded.push({ definition, module: { file, hash } });
    }
  }
  return loaded;
}
