// The value a field's expression gives against the last run's data (its evaluation root), computed in
// the browser with the engine's own resolver, and the words the inspector shows for it. Pure.
import { checkExpressions, hasTemplateMarks, resolveString, type EvaluationRoot } from '../../../shared/expressions.js';

export type Preview = { ok: true; text: string } | { ok: false; message: string };

/** Long values are cut: the preview is a glance, the run page shows the whole. */
const MAX_CHARS = 300;

export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing (no value at that path)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}

/** What `text` (a template or a whole `{{ … }}`) gives against `root`; undefined for text without `{{ }}`. */
export async function previewOf(text: string, root: EvaluationRoot): Promise<Preview | undefined> {
  if (!hasTemplateMarks(text)) return undefined;
  // Unbalanced braces would otherwise pass through as literal text and look like a value.
  const [syntax] = checkExpressions(text);
  if (syntax) return { ok: false, message: syntax };
  try {
    return { ok: true, text: showValue(await resolveString(text, root)) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
