// wait: a durable timer, for a duration or until the time an expression gives.
import { durationMs, MAX_DURATION_MS } from '../../../../shared/durations.js';
import type { WaitConfig } from '../../../../shared/nodes/wait.node.js';
import { RunFailure, runError } from '../failures.js';
import { timerKind } from './timer-kind.js';

function toEpochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return Number.NaN;
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

export const waitExecutor = timerKind<WaitConfig>({
  async dueAt(run, node) {
    if (node.config.duration !== undefined) return run.ctx.now + durationMs(node.config.duration);
    const value = await run.resolve(node, 'until', node.config.until);
    const dueAt = toEpochMs(value);
    const gave = clip(JSON.stringify(value) ?? 'nothing');
    if (Number.isNaN(dueAt)) throw new RunFailure(runError('INVALID_UNTIL', `node "${node.id}" until gave ${gave}, which is not an ISO date-time`, node.id));
    if (dueAt - run.ctx.now > MAX_DURATION_MS) throw new RunFailure(runError('WAIT_TOO_LONG', `node "${node.id}" until gave ${gave}, more than the limit of 1 year from now`, node.id));
    return dueAt;
  },
});
