// The indexed graphs of the versions a worker's runs are on, read from the store once per version.
import type { Logger } from '../../logger.js';
import { indexGraph, type GraphIndex } from '../core/graph-index.js';
import type { EngineStore } from '../store.js';
import { describeError } from './describe-error.js';

/** Stands for a graph that could not be read, so that the run can still be failed and stored. */
export const UNREADABLE_GRAPH: GraphIndex = { startId: '', nodes: new Map(), outgoing: () => [], incoming: () => [] };

export class VersionGraphs {
  // Promises, so that runs of a version held at once (thousands of starts) index its graph once.
  private readonly graphs = new Map<string, Promise<GraphIndex | string>>();

  constructor(private readonly deps: { store: Pick<EngineStore, 'loadVersion'>; logger: Logger }) {}

  /** The version's indexed graph, or why it cannot be read (a store failure still throws: it may pass). */
  of(versionId: string): Promise<GraphIndex | string> {
    let graph = this.graphs.get(versionId);
    if (!graph) {
      this.graphs.set(versionId, (graph = this.index(versionId)));
      // A store failure is not remembered: the next run of the version tries again.
      graph.catch(() => this.graphs.delete(versionId));
    }
    return graph;
  }

  private async index(versionId: string): Promise<GraphIndex | string> {
    const { graph: stored } = await this.deps.store.loadVersion(versionId);
    try {
      return indexGraph(stored);
    } catch (error) {
      this.deps.logger.error('a version\'s graph cannot be read: its runs fail with ENGINE_ERROR', { versionId, error: String((error as Error)?.stack ?? error) });
      return `the graph of its version cannot be read: ${describeError(error)}`;
    }
  }
}
