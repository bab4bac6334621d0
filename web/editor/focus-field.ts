// Putting the caret in the inspector field a problem names ("timeout", "input.url"). The inspector
// draws the selected node's form after the selection changes, so the field is looked for over the
// next frames, and only while that node is still the one selected.
import type { EditorStore } from './editor.store.js';

const CONTROLS = ['input', 'textarea', 'select'].map((tag) => `${tag}:not([disabled])`).join(', ');
/** A value inside a quoted attribute selector (CSS.escape is not everywhere, e.g. jsdom). */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The control for `field` (a config path) inside an inspector form, or null. */
export function findControl(form: ParentNode, field: string): HTMLElement | null {
  const exact = form.querySelector<HTMLElement>(`[data-field-path=${quoted(field)}]`);
  if (exact) return exact;
  const [top, ...rest] = field.split('.');
  const row = form.querySelector<HTMLElement>(`[data-testid=${quoted(`field-row-${top}`)}]`);
  if (!row) return null;
  // A key inside the field (a step input's "url"): its control is labelled "<Field>: url".
  const key = rest.at(-1);
  if (key) {
    const keyed = [...row.querySelectorAll<HTMLElement>(CONTROLS)].find((control) => control.getAttribute('aria-label')?.endsWith(`: ${key}`));
    if (keyed) return keyed;
  }
  return row.querySelector<HTMLElement>(CONTROLS) ?? row.querySelector<HTMLElement>('button:not([disabled])');
}

export function focusField(store: EditorStore, nodeId: string, field: string, frames = 30): void {
  const attempt = (left: number) => {
    const selected = store.getState().selection.nodes;
    if (selected.length !== 1 || selected[0] !== nodeId) return; // the author has moved on
    const form = document.querySelector('[data-testid="inspector-form"]');
    // Until the inspector shows this node (its id field holds it), the form is the previous node's.
    const shownId = form?.querySelector<HTMLInputElement>('[data-testid="node-id-input"]')?.value;
    const control = form && (shownId === undefined || shownId === nodeId) ? findControl(form, field) : null;
    if (control) {
      control.focus();
      control.scrollIntoView?.({ block: 'nearest' });
    } else if (left > 0) {
      requestAnimationFrame(() => attempt(left - 1));
    }
  };
  requestAnimationFrame(() => attempt(frames));
}
