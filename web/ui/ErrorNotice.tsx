// The one way a page or a dialog says what went wrong: the message, the server's own sentence under
// it when the message is ours, and each problem the server listed (ErrorReport, from api-errors.ts).
import type { ErrorReport } from './api-errors.js';

export function ErrorNotice({ report, testId = 'error-notice' }: { report: ErrorReport; testId?: string }) {
  return (
    <div className="cairn-notice cairn-notice--danger" role="alert" data-testid={testId}>
      <p className="cairn-notice__title">{report.message}</p>
      {report.detail && <p className="cairn-notice__detail">{report.detail}</p>}
      {report.problems.length > 0 && (
        <ul className="cairn-notice__list">
          {report.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
