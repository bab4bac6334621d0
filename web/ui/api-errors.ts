// What went wrong, in words for the page: tRPC errors carry the server's message, its stable code and
// (for invalid graphs) every problem in `data.cairn.details`; input errors arrive as zod issue JSON.
import { TRPCClientError } from '@trpc/client';

export interface ErrorReport {
  /** One sentence, capitalised. */
  message: string;
  /** The server's own sentence, when `message` is a summary of ours. */
  detail?: string;
  /** The tRPC code, e.g. CONFLICT or UNPROCESSABLE_CONTENT, when the server answered. */
  code?: string;
  /** Every problem the server listed (graph validation), when more than the message says. */
  problems: string[];
}

const sentence = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

function problemText(problem: unknown): string {
  if (problem && typeof problem === 'object') {
    // Graph problems name their node in the message; zod issues carry a path instead.
    const { message, path } = problem as { message?: unknown; path?: unknown };
    const where = Array.isArray(path) && path.length ? `${path.join('.')}: ` : '';
    if (typeof message === 'string') return where + message;
  }
  return String(problem);
}

/** zod issues serialised as the error message (tRPC input validation). */
function zodIssues(message: string): string[] | undefined {
  if (!message.startsWith('[')) return undefined;
  try {
    const issues = JSON.parse(message) as unknown;
    return Array.isArray(issues) ? issues.map(problemText) : undefined;
  } catch {
    return undefined;
  }
}

export function describeError(error: unknown): ErrorReport {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; cairn?: { code?: string; details?: unknown } } | undefined;
    if (!data) return { message: 'Cairn’s server could not be reached. Check your connection and try again.', problems: [] };
    const issues = zodIssues(error.message);
    if (issues) return { message: issues.length === 1 ? sentence(issues[0]) : 'The request was not valid.', code: data.code, problems: issues.length > 1 ? issues : [] };
    const details = data.cairn?.details;
    const problems = Array.isArray(details) ? details.map(problemText) : [];
    if (problems.length < 2) return { message: sentence(error.message), code: data.code, problems: [] };
    // "the graph … : <first problem>" would repeat the list's first line; keep the lead-in only.
    const lead = error.message.endsWith(`: ${problems[0]}`) ? `${error.message.slice(0, -problems[0].length - 2)}:` : error.message;
    return { message: sentence(lead), code: data.code, problems };
  }
  if (error instanceof Error) return { message: sentence(error.message), problems: [] };
  return { message: 'Something went wrong.', problems: [] };
}

