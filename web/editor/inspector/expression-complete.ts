// Autocomplete inside `{{ … }}`: the path being typed before the caret ("nodes.fetch.st") is looked
// up in the scope tree, and the names under it that start with what is typed are offered. Pure.
import { insideBraces } from './expression-names.js';
import type { ScopeEntry } from './expression-scope.js';

export interface Completion {
  label: string;
  /** What replaces the typed part: the name, backtick-quoted where JSONata would misread it. */
  insert: string;
  detail?: string;
  /** It has names under it (typing "." after it offers them). */
  more: boolean;
}

export interface CompletionResult {
  /** The typed part of the name being completed: text[from, to) is replaced. */
  from: number;
  to: number;
  options: Completion[];
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_OPTIONS = 50;

const quote = (name: string) => (PLAIN.test(name) ? name : `\`${name}\``);

// Steps already taken ("nodes.`fetch-1`.") and the name being typed ("st", or an open "`fet").
const PATH_AT_END = /((?:(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]*`)\s*\.\s*)*)([A-Za-z_][A-Za-z0-9_]*|`[^`]*)?$/;
/** A path right after one of these is not a path from the root: `$var.x`, `f().x`, `a[0].x`, `9x`. */
const NOT_FROM_ROOT = /[A-Za-z0-9_$.`\])]$/;

function steps(taken: string): string[] {
  return [...taken.matchAll(/([A-Za-z_][A-Za-z0-9_]*|`[^`]*`)\s*\./g)].map((match) => match[1].replace(/^`|`$/g, ''));
}

/**
 * What to offer at `caret`, or null. Offered after a ".", while a name is being typed, right after
 * `{{`, or whenever asked (`explicit`, Ctrl+Space); never outside braces, where text is literal.
 */
export function completeAt(text: string, caret: number, scope: readonly ScopeEntry[], options: { explicit?: boolean } = {}): CompletionResult | null {
  if (!insideBraces(text, caret)) return null;
  const open = text.lastIndexOf('{{', caret - 1);
  const before = text.slice(open + 2, caret);
  const match = PATH_AT_END.exec(before);
  if (!match) return null;
  const [path, taken, typed = ''] = match;
  const start = before.length - path.length;
  if (start > 0 && NOT_FROM_ROOT.test(before.slice(0, start))) return null;
  const fresh = before.trim() === '';
  if (!taken && !typed && !fresh && !options.explicit) return null;

  let entries: readonly ScopeEntry[] = scope;
  for (const step of steps(taken)) {
    const entry = entries.find((candidate) => candidate.name === step);
    if (!entry?.children) return null;
    entries = entry.children;
  }
  const partial = typed.replace(/^`/, '').toLowerCase();
  const found = entries
    .filter((entry) => entry.name.toLowerCase().startsWith(partial))
    .slice(0, MAX_OPTIONS)
    .map((entry): Completion => ({ label: entry.name, insert: quote(entry.name), detail: entry.detail, more: !!entry.children?.length }));
  // Nothing left to add: the one name that fits is written out already.
  if (found.length === 0 || (found.length === 1 && found[0].insert === typed && !found[0].more)) return null;
  return { from: caret - typed.length, to: caret, options: found };
}

/** The text with a completion accepted, and where the caret goes. */
export function acceptCompletion(text: string, result: CompletionResult, option: Completion): { text: string; caret: number } {
  const inserted = option.insert;
  return { text: text.slice(0, result.from) + inserted + text.slice(result.to), caret: result.from + inserted.length };
}
