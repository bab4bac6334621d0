// What callback URLs read of the inbox: whether a run's inbox holds, or held, a signal of a name (a
// callback's signal name names its node and visit, so one row means the URL was used).
import type { EngineDatabase } from '../engine-database.js';

export function inboxHoldsSignal(database: Pick<EngineDatabase, 'scalar'>) {
  return async (runId: string, name: string): Promise<boolean> =>
    (await database.scalar<number | undefined>("SELECT 1 FROM signals WHERE instance_id = ? AND kind = 'signal' AND name = ? LIMIT 1", runId, name)) !== undefined;
}
