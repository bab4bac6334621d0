// Publish check of code fields: an action input declared `contentMediaType: "text/javascript"` (the
// built-in `code` action's `code`) must parse; the problem names the line and column, as the editor's
// marker does. A field with {{ }} is computed when the step runs, so it is left to the run.
import { compileCode } from './code-source.js';
import { hasTemplateMarks } from './expressions.js';
import type { InputProblem } from './problems.js';

export const JAVASCRIPT_MEDIA_TYPE = 'text/javascript';

export function codeFieldProblems(schema: unknown, input: unknown): InputProblem[] {
  const properties = (schema as { properties?: Record<string, { contentMediaType?: unknown }> } | null)?.properties;
  if (!properties || !input || typeof input !== 'object') return [];
  const problems: InputProblem[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const source = (input as Record<string, unknown>)[key];
    if (property?.contentMediaType !== JAVASCRIPT_MEDIA_TYPE || typeof source !== 'string' || hasTemplateMarks(source)) continue;
    const compiled = compileCode(source);
    if (!compiled.ok) problems.push({ path: key, message: `${key} does not parse: ${compiled.error.message} (line ${compiled.error.line}, column ${compiled.error.column})` });
  }
  return problems;
}
