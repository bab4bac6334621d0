// The lines an attempt's action wrote with ctx.log (a code step's console.log) go into the run's history
// as one `actionLogged` entry, before the attempt's outcome, so the timeline shows what the code said.
import type { Run } from './run.js';
import type { ActionLogLine, Token } from './types.js';

export function recordActionLogs(run: Run, token: Token, event: { type: string; attempt?: number; logs?: ActionLogLine[] }): void {
  if (!event.logs || event.logs.length === 0) return;
  run.record({ type: 'actionLogged', nodeId: token.nodeId, visit: token.visit, attempt: event.attempt, data: { lines: event.logs } });
}
