// The AI attempts of a run, read from its history: one row per model call (model, outcome, tokens,
// latency, cost) and the totals the run page shows. Cost is the engine's estimate, recorded with
// each call from the price CAIRN_AI_MODELS gives its model (US$ per million tokens).
import type { HistoryEvent } from '../../shared/runs/history.js';

export interface AiAttemptRow {
  nodeId: string;
  attempt: number;
  model: string;
  modelId?: string;
  /** 'ok', or the failure's code (SCHEMA_VIOLATION, RATE_LIMITED…); 'running' while in flight. */
  outcome: string;
  message?: string;
  /** What followed a failure: repair, nextModel, retry, human, fallback. */
  next?: string;
  repair: boolean;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  costUsd?: number;
}

export interface AiSummary {
  rows: AiAttemptRow[];
  inputTokens: number;
  outputTokens: number;
  /** Undefined when no call had a price. */
  costUsd?: number;
  /** Calls with token counts but no price: the total cost leaves them out. */
  unpriced: number;
}

export function aiSummary(history: readonly HistoryEvent[]): AiSummary {
  const rows: AiAttemptRow[] = [];
  const open = new Map<string, AiAttemptRow>();
  const key = (event: HistoryEvent) => `${event.nodeId}#${event.visit ?? 0}#${event.attempt ?? 0}`;
  for (const event of history) {
    if (event.type === 'aiAttemptStarted') {
      const row: AiAttemptRow = { nodeId: event.nodeId ?? '', attempt: event.attempt ?? 1, model: event.data.model, outcome: 'running', repair: Boolean(event.data.repair) };
      rows.push(row);
      open.set(key(event), row);
    } else if (event.type === 'aiAnswered' || event.type === 'aiAttemptFailed') {
      const row = open.get(key(event));
      if (!row) continue;
      open.delete(key(event));
      const { data } = event;
      Object.assign(row, {
        modelId: data.modelId || undefined,
        inputTokens: data.usage?.inputTokens,
        outputTokens: data.usage?.outputTokens,
        latencyMs: data.latencyMs,
        costUsd: data.costUsd,
      });
      if (event.type === 'aiAnswered') row.outcome = 'ok';
      else Object.assign(row, { outcome: event.data.code, message: event.data.message, next: event.data.next });
    }
  }
  const sum = (pick: (row: AiAttemptRow) => number | undefined) => rows.reduce((total, row) => total + (pick(row) ?? 0), 0);
  const priced = rows.filter((row) => row.costUsd !== undefined);
  const unpriced = rows.filter((row) => row.costUsd === undefined && (row.inputTokens !== undefined || row.outputTokens !== undefined)).length;
  return {
    rows,
    inputTokens: sum((row) => row.inputTokens),
    outputTokens: sum((row) => row.outputTokens),
    ...(priced.length > 0 && { costUsd: sum((row) => row.costUsd) }),
    unpriced,
  };
}

/** "$0.0027", "<$0.0001", "$1.20": enough digits to tell calls apart. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return usd < 1 ? `$${usd.toPrecision(2).replace(/0+$/, '')}` : `$${usd.toFixed(2)}`;
}

const NEXT_TEXT: Record<string, string> = { repair: 'sent back for repair', nextModel: 'next model', retry: 'retried', human: 'handed to a person', fallback: 'took fallback' };
export const nextText = (next: string | undefined) => (next ? (NEXT_TEXT[next] ?? next) : '');
