// What a rerun from node X reuses, read from the earlier run's history: the outputs of the nodes it
// completed before it last entered X. Refused when X was never reached, when another path was still
// in flight then (a parallel branch: one path alone could never complete its join), or when a step
// to reuse was compensated (its effect was undone, so its output no longer holds).
import { EngineError } from '../errors.js';
import type { HistoryRecord } from '../store.js';

export interface Reused {
  /** Nodes in the order the earlier run first completed them. */
  order: string[];
  /** Each one's last output before X was entered. */
  outputs: Record<string, unknown>;
}

const COMPENSATION = new Set(['compensationAttemptStarted', 'compensationCompleted', 'compensationFailed']);

function lastEntry(history: readonly HistoryRecord[], nodeId: string): number {
  for (let index = history.length - 1; index >= 0; index--) {
    if (history[index].type === 'nodeEntered' && history[index].nodeId === nodeId) return index;
  }
  return -1;
}

function reachedNodes(history: readonly HistoryRecord[]): string[] {
  return [...new Set(history.filter((event) => event.type === 'nodeEntered' && event.nodeId).map((event) => event.nodeId!))];
}

export function reusedBefore(history: readonly HistoryRecord[], fromNode: string): Reused {
  const at = lastEntry(history, fromNode);
  if (at < 0) {
    const reached = reachedNodes(history);
    throw new EngineError('CONFLICT', `the run never reached node "${fromNode}", so there is nothing to rerun from there; it reached ${reached.length ? reached.join(', ') : 'no node'}`, { reached });
  }
  const order: string[] = [];
  const outputs: Record<string, unknown> = {};
  /** Entries minus completions per node, and join arrivals waiting: paths in flight. */
  let open = new Map<string, number>();
  let arrivals = new Map<string, number>();
  for (const event of history.slice(0, at)) {
    const nodeId = event.nodeId;
    if (event.type === 'runRetried') {
      // A retry starts over from one node; the failed run's paths had all stopped.
      open = new Map();
      arrivals = new Map();
    }
    if (!nodeId) continue;
    if (event.type === 'nodeEntered') {
      open.set(nodeId, (open.get(nodeId) ?? 0) + 1);
      arrivals.delete(nodeId);
    } else if (event.type === 'joinArrived') arrivals.set(nodeId, (arrivals.get(nodeId) ?? 0) + 1);
    else if (event.type === 'nodeCompleted') {
      open.set(nodeId, (open.get(nodeId) ?? 1) - 1);
      if (!(nodeId in outputs)) order.push(nodeId);
      outputs[nodeId] = (event.data as { output?: unknown } | undefined)?.output ?? null;
    }
  }
  const inFlight = [...open].filter(([nodeId, count]) => count > 0 && nodeId !== fromNode).map(([nodeId]) => nodeId);
  const waiting = [...arrivals.keys()];
  if (inFlight.length || waiting.length) {
    const others = [...inFlight, ...waiting.map((join) => `${join} (a join with arrivals)`)];
    throw new EngineError('INVALID_INPUT', `when the run entered node "${fromNode}", other paths were in flight (${others.join(', ')}); a rerun continues one path, so rerun from the parallel node before them or from after their join`, { inFlight, waiting });
  }
  const compensated = [...new Set(history.filter((event) => COMPENSATION.has(event.type) && event.nodeId && event.nodeId in outputs).map((event) => event.nodeId!))];
  if (compensated.length) {
    throw new EngineError('CONFLICT', `the run compensated ${compensated.map((id) => `"${id}"`).join(', ')}, whose output${compensated.length > 1 ? 's' : ''} a rerun from "${fromNode}" would reuse; rerun from ${compensated.length > 1 ? 'the first of them' : `"${compensated[0]}"`} or start a new run`, { compensated });
  }
  return { order, outputs };
}
