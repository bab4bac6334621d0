// Which team actions a published version needs: recorded at publish (name, module file, hash of the
// module's source, from this process's registry) and compared, when versions are listed, with what
// this process has loaded — so the versions drawer can say which versions a removed or edited
// module leaves without the action they were published with.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { ActionRegistry } from './registry.js';

export interface VersionAction {
  name: string;
  file: string;
  hash: string;
}

/**
 * `loaded`: present with the source it was published with; `changed`: present, but its module's
 * source differs (its input may no longer accept the version's steps); `missing`: not loaded.
 */
export type VersionActionState = 'loaded' | 'changed' | 'missing';

/** Every action a step or a compensation of the graph names. */
function actionNames(graph: Graph): string[] {
  const names = new Set<string>();
  for (const node of graph.nodes) {
    if (node.kind !== 'step') continue;
    const config = node.config as { action?: unknown; compensate?: { action?: unknown } };
    if (typeof config.action === 'string') names.add(config.action);
    if (typeof config.compensate?.action === 'string') names.add(config.compensate.action);
  }
  return [...names].sort();
}

/** The team actions (those with a module) the graph uses, as the version records them. Built-ins are not recorded. */
export function teamActionsUsed(graph: Graph, registry: ActionRegistry): VersionAction[] {
  return actionNames(graph).flatMap((name) => {
    const module = registry.get(name)?.module;
    return module ? [{ name, file: module.file, hash: module.hash }] : [];
  });
}

/** A version's recorded actions (the stored JSON; null before versions recorded them) with their state now. */
export function versionActionStates(recorded: string | null, registry: ActionRegistry): (VersionAction & { state: VersionActionState })[] {
  if (!recorded) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(recorded);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((entry): entry is VersionAction => typeof entry?.name === 'string' && typeof entry.file === 'string' && typeof entry.hash === 'string')
    .map((entry) => {
      const module = registry.get(entry.name)?.module;
      const state: VersionActionState = !registry.get(entry.name) ? 'missing' : module?.hash === entry.hash ? 'loaded' : 'changed';
      return { name: entry.name, file: entry.file, hash: entry.hash, state };
    });
}
