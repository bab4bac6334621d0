// One eval run as the Evals drawer shows it: each node's score against its threshold, each case with
// its score, failed checks and the answer, and the comparison with the last published version.
import type { EvalReport, EvalRunSummary } from '../../../shared/evals/eval-report.js';

const shown = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
};

export function EvalResults(props: { report: EvalReport; compare: { version: number; run: EvalRunSummary | null } | null; onRunVersion: (version: number) => void; runningVersion: boolean }) {
  const { report, compare } = props;
  return (
    <section data-testid="eval-results" aria-label="Eval results">
      {report.problems.map((problem) => (
        <p key={problem} className="cairn-error">
          {problem}
        </p>
      ))}
      {report.nodes.map((node) => {
        const gate = node.threshold === undefined ? undefined : node.passed ? 'met' : 'below';
        return (
          <div key={node.node} data-testid={`eval-node-${node.node}`}>
            <h4>
              {node.node}:{' '}
              <span className={`cairn-eval-score${gate ? ` cairn-eval-score--${gate}` : ''}`} data-testid={`eval-score-${node.node}`}>
                {node.score}
              </span>
              {gate && ` (threshold ${node.threshold}: ${gate === 'met' ? 'met' : 'below — publishing is blocked'})`}
            </h4>
            <ol className="cairn-eval-cases">
              {node.cases.map((result) => (
                <li key={result.name} data-passed={String(result.passed)} data-testid={`eval-case-${result.name}`}>
                  <div className="cairn-eval-cases__head">
                    <span aria-hidden>{result.passed ? '✓' : '✗'}</span>
                    <strong>{result.name}</strong>
                    <span>{result.score}</span>
                    <small>
                      {result.attempts} attempt(s), {result.repairs} repair(s), {result.latencyMs} ms
                    </small>
                  </div>
                  {result.checks
                    .filter((check) => !check.passed)
                    .map((check) => (
                      <div key={check.check}>
                        {check.check}: {check.message}
                      </div>
                    ))}
                  {result.answer !== undefined && (
                    <div>
                      answer: <code>{shown(result.answer)}</code>
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </div>
        );
      })}
      {compare && (
        <p data-testid="eval-compare">
          {compare.run
            ? `Version ${compare.version} scored ${compare.run.score}; the draft scores ${report.score} (${report.score >= compare.run.score ? '+' : ''}${Math.round((report.score - compare.run.score) * 1000) / 1000}).`
            : `Version ${compare.version} has no eval run yet. `}
          {!compare.run && (
            <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onRunVersion(compare.version)} disabled={props.runningVersion} data-testid="eval-run-version">
              Run version {compare.version}'s sets
            </button>
          )}
        </p>
      )}
    </section>
  );
}
