// The names an expression can start from (DESIGN §2's evaluation root) and inserting one at the caret.
// Node ids may hold "-", which JSONata reads as minus, so such ids are quoted with backticks.

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function nodePath(nodeId: string): string {
  return PLAIN_NAME.test(nodeId) ? `nodes.${nodeId}` : `nodes.\`${nodeId}\``;
}

/** `input`, `instance` and `nodes.<id>` for every node but the one being edited. */
export function expressionNames(nodeIds: readonly string[], selfId: string): string[] {
  return ['input', 'instance', ...nodeIds.filter((id) => id !== selfId).map(nodePath)];
}

/** Whether the caret sits inside an open `{{ … }}`. */
export function insideBraces(text: string, caret: number): boolean {
  const before = text.slice(0, caret);
  return before.lastIndexOf('{{') > before.lastIndexOf('}}');
}

export interface Insertion {
  text: string;
  caret: number;
}

/**
 * Insert a name over the selection: inside `{{ }}` as it is, elsewhere wrapped in `{{ }}` (text
 * outside braces is literal in every field, DESIGN §2).
 */
export function insertName(text: string, selection: { start: number; end: number }, name: string): Insertion {
  const piece = insideBraces(text, selection.start) ? name : `{{ ${name} }}`;
  return { text: text.slice(0, selection.start) + piece + text.slice(selection.end), caret: selection.start + piece.length };
}
