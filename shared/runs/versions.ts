// A published version as the versions drawer and the drain view list it: its state and its runs.
import type { RunStatus } from './status.js';

/** `active` takes new runs; `draining` still has runs in flight; `retired` has none. */
export type VersionState = 'active' | 'draining' | 'retired';

export interface VersionSummary {
  version: number;
  publishedAt: string;
  note: string | null;
  graphHash: string;
  state: VersionState;
  /** Runs per status; pending runs count as running. */
  runs: Record<Exclude<RunStatus, 'pending'>, number>;
  /** Runs waiting, by the node they wait at. */
  waitingAt: Record<string, number>;
  /**
   * The team actions its steps use, as published (module file and sha256 of its source), and whether
   * this server has them: `loaded` as published, `changed` (another source), or `missing`.
   */
  actions: { name: string; file: string; hash: string; state: 'loaded' | 'changed' | 'missing' }[];
}
