// Fixed or Expression, per field (as n8n has): text without `{{ }}` is a fixed value, text with them
// is computed (DESIGN §2). The mode is read from the value itself, never stored beside it, so what the
// toggle shows is what the engine will do. Switching keeps the value where it can: fixed "approved"
// becomes {{ "approved" }}, and back; an expression that is not a plain string becomes its source as
// text, visibly, by the author's own click — never on its own.
import { braceExpression } from '../../../shared/graph/upgrade.js';

export type FieldMode = 'fixed' | 'expression';

export function modeOf(text: string): FieldMode {
  return text.includes('{{') ? 'expression' : 'fixed';
}

const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;

/** A fixed text as an expression giving the same value (an empty one leaves room to write). */
export function toExpression(text: string): string {
  if (modeOf(text) === 'expression') return text;
  return text === '' ? '{{  }}' : braceExpression(JSON.stringify(text));
}

/** An expression as fixed text: a string literal gives its string, anything else its source. */
export function toFixed(text: string): string {
  if (modeOf(text) === 'fixed') return text;
  const whole = WHOLE.exec(text);
  if (whole && !whole[1].includes('{{')) {
    const source = whole[1].trim();
    try {
      const value: unknown = JSON.parse(source);
      if (typeof value === 'string') return value;
    } catch {
      // not a JSON string literal: the source itself
    }
    return source;
  }
  // A template: its text with each {{ x }} written as x.
  return text.replace(/\{\{\s*([\s\S]*?)\s*\}\}/g, '$1');
}

/** Where the caret goes after switching to an expression: inside the braces. */
export function caretInside(expression: string): number {
  const close = expression.lastIndexOf('}}');
  return close > 0 ? close - 1 : expression.length;
}
