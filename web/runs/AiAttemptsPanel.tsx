// The run page's AI panel: every model call the run made — which model, what came of it, tokens,
// latency and the estimated cost — with the run's totals. Shown only for runs with AI attempts.
import { useMemo } from 'react';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { aiSummary, formatCost, nextText } from './ai-attempts.js';
import './ai-attempts.css';

const count = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString('en'));

export function AiAttemptsPanel({ history, nodeLabel, onSelect }: { history: readonly HistoryEvent[]; nodeLabel(nodeId: string): string; onSelect(nodeId: string): void }) {
  const summary = useMemo(() => aiSummary(history), [history]);
  if (summary.rows.length === 0) return null;
  const { rows, inputTokens, outputTokens, costUsd, unpriced } = summary;
  return (
    <section className="cairn-card cairn-ai-attempts" aria-labelledby="ai-attempts-heading" data-testid="ai-attempts">
      <header className="cairn-card__toolbar">
        <h2 id="ai-attempts-heading" className="cairn-section-title">
          AI calls
        </h2>
        <p className="cairn-ai-attempts__totals" data-testid="ai-totals">
          <span>{rows.length.toLocaleString('en')} call{rows.length === 1 ? '' : 's'}</span>
          <span>
            {count(inputTokens)} in · {count(outputTokens)} out tokens
          </span>
          <span title="Estimated from the prices in CAIRN_AI_MODELS (US$ per million tokens)" data-testid="ai-cost">
            {costUsd === undefined ? 'cost unknown (no price configured)' : `≈ ${formatCost(costUsd)}`}
            {costUsd !== undefined && unpriced > 0 && ` + ${unpriced} unpriced`}
          </span>
        </p>
      </header>
      <table className="cairn-table cairn-ai-attempts__table">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">#</th>
            <th scope="col">Model</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="cairn-ai-attempts__num">
              Tokens in / out
            </th>
            <th scope="col" className="cairn-ai-attempts__num">
              Latency
            </th>
            <th scope="col" className="cairn-ai-attempts__num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.nodeId}-${row.attempt}-${row.model}`} data-testid="ai-attempt-row">
              <td>
                <button type="button" className="cairn-link-button" onClick={() => onSelect(row.nodeId)}>
                  {nodeLabel(row.nodeId)}
                </button>
              </td>
              <td>
                {row.attempt}
                {row.repair && <span className="cairn-ai-attempts__tag">repair</span>}
              </td>
              <td>
                <code title={row.modelId ? `provider model ${row.modelId}` : undefined}>{row.model}</code>
              </td>
              <td title={row.message}>
                <span className={`cairn-ai-attempts__outcome cairn-ai-attempts__outcome--${row.outcome === 'ok' ? 'ok' : row.outcome === 'running' ? 'wait' : 'danger'}`}>{row.outcome}</span>
                {row.next && <span className="cairn-muted"> → {nextText(row.next)}</span>}
              </td>
              <td className="cairn-ai-attempts__num">
                {count(row.inputTokens)} / {count(row.outputTokens)}
              </td>
              <td className="cairn-ai-attempts__num">{row.latencyMs === undefined ? '—' : `${(row.latencyMs / 1000).toFixed(2)} s`}</td>
              <td className="cairn-ai-attempts__num">{row.costUsd === undefined ? '—' : formatCost(row.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
