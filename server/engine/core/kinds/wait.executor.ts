// wait: a durable timer. The due time is computed once, on entry, and checkpointed with the timer.
import { durationMs, MAX_DURATION_MS } from '../../../../shared/durations.js';
import { RunFailure, runError } from '../failures.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

interface WaitConfig {
  duration?: string;
  until?: string;
}

function toEpochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return Number.NaN;
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

export const waitExecutor: NodeExecutor = {
  async enter(run, token, node) {
    const config = node.config as WaitConfig;
    let dueAt: number;
    if (config.duration !== undefined) {
      dueAt = run.ctx.now + durationMs(config.duration);
    } else {
      const value = await run.resolve(node, 'until', config.until);
      dueAt = toEpochMs(value);
      if (Number.isNaN(dueAt)) {
        throw new RunFailure(
          runError('INVALID_UNTIL', `node "${node.id}" until gave ${clip(JSON.stringify(value) ?? 'nothing')}, which is not an ISO date-time`, node.id),
        );
      }
      // The data decides here, so the validator could not: refuse what a published duration could not be.
      if (dueAt - run.ctx.now > MAX_DURATION_MS) {
        throw new RunFailure(
          runError('WAIT_TOO_LONG', `node "${node.id}" until gave ${clip(JSON.stringify(value))}, more than the limit of 1 year from now`, node.id),
        );
      }
    }
    const until = run.isoTime(dueAt);
    entered(run, token, { until });
    if (dueAt <= run.ctx.now) {
      run.takePort(token, 'next', { until });
      return;
    }
    token.status = 'waiting';
    token.resolved = { until };
    run.setTimer(token, 'wait', dueAt);
  },

  timerFired(run, token, _node, purpose) {
    if (purpose !== 'wait' || token.status !== 'waiting') return;
    run.takePort(token, 'next', token.resolved ?? {});
  },
};
