// Timer-like kinds: the due time is computed once, on entry, and checkpointed with a durable timer;
// the token leaves by one port when it fires (or at once when the time has already come). A new
// timer-like kind is its spec plus `timerKind({ dueAt })` — its rule for the due time.
import { durationMs, MAX_DURATION_MS } from '../../../../shared/durations.js';
import { RunFailure, runError } from '../failures.js';
import type { Run } from '../run.js';
import type { Token } from '../types.js';
import { entered, type KindNode, type NodeExecutor } from './executor.js';

export interface TimerRule<Config> {
  /**
   * When the token wakes (epoch ms), from the node's config and the run (`run.ctx.now`,
   * `run.resolve` for expressions). Throw a RunFailure to fail the run with a clearer error.
   */
  dueAt(run: Run, node: KindNode<Config>): number | Promise<number>;
  /** The port to leave by; `next` when not given. */
  port?: string;
}

export function timerKind<Config>(rule: TimerRule<Config>): NodeExecutor<Config> {
  const port = rule.port ?? 'next';
  return {
    async enter(run, token, node) {
      const dueAt = await rule.dueAt(run, node);
      // The data decides here, so the validator could not: refuse what a published duration could not be.
      if (!Number.isFinite(dueAt)) throw new RunFailure(runError('INVALID_DUE_TIME', `node "${node.id}" gave no time to wait until`, node.id));
      if (dueAt - run.ctx.now > MAX_DURATION_MS) {
        throw new RunFailure(runError('WAIT_TOO_LONG', `node "${node.id}" would wait until ${run.isoTime(dueAt)}, more than the limit of 1 year from now`, node.id));
      }
      const until = run.isoTime(dueAt);
      entered(run, token, { until });
      if (dueAt <= run.ctx.now) {
        run.takePort(token, port, { until });
        return;
      }
      token.status = 'waiting';
      token.resolved = { until };
      run.setTimer(token, 'wait', dueAt);
    },
    on: {
      timerFired(run, token, _node, event) {
        if (event.purpose !== 'wait' || token.status !== 'waiting') return;
        run.takePort(token, port, token.resolved ?? {});
      },
    },
    waitsOn: () => ({ kind: 'timer' }),
  };
}

/** A node's optional `timeout`: arm its timer on entry (kinds that wait for something else). */
export function armTimeout(run: Run, token: Token, timeout: string | undefined): void {
  if (timeout) run.setTimer(token, 'timeout', run.ctx.now + durationMs(timeout));
}

/** The `timeout` timer fired while the token still waited: run `before`, then take the `timeout` port. */
export function onTimeout<Config>(before: (run: Run, token: Token, node: KindNode<Config>) => void): NonNullable<NodeExecutor<Config>['on']>['timerFired'] {
  return (run, token, node, event) => {
    if (event.purpose !== 'timeout' || token.status !== 'waiting') return;
    before(run, token, node);
    run.takePort(token, 'timeout', { timedOut: true });
  };
}
