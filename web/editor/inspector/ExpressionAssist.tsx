// Help while writing an expression: the completion list of the names the node can read (a listbox
// the field drives as a combobox: arrows, Enter or Tab, Escape, Ctrl+Space) and a preview of the
// field's value against the last run's data, recomputed a moment after typing stops.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { acceptCompletion, completeAt, type CompletionResult } from './expression-complete.js';
import { previewOf, type Preview } from './expression-preview.js';
import type { LastRunData, ScopeEntry } from './expression-scope.js';

interface Open {
  caret: number;
  explicit: boolean;
  active: number;
}

export interface Completer {
  result: CompletionResult | null;
  active: number;
  /** Look again at the caret (after typing or moving it). */
  refresh(caret: number, explicit?: boolean): void;
  close(): void;
  /** Handles the list's keys; true when the key was the list's. */
  onKeyDown(event: KeyboardEvent<HTMLElement>): boolean;
  accept(index: number): void;
}

/** Completion state of one field. `apply` writes the accepted text and puts the caret. */
export function useCompleter(text: string, scope: readonly ScopeEntry[], apply: (text: string, caret: number) => void): Completer {
  const [open, setOpen] = useState<Open | null>(null);
  // Derived from the current text, so an undo or another view never leaves a stale list.
  const result = open ? completeAt(text, Math.min(open.caret, text.length), scope, { explicit: open.explicit }) : null;
  const active = result ? Math.min(open!.active, result.options.length - 1) : 0;

  const accept = (index: number) => {
    if (!result) return;
    const next = acceptCompletion(text, result, result.options[index]);
    setOpen(null);
    apply(next.text, next.caret);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>): boolean => {
    if (event.key === ' ' && (event.ctrlKey || event.metaKey)) {
      const caret = (event.currentTarget as HTMLInputElement).selectionStart ?? text.length;
      setOpen({ caret, explicit: true, active: 0 });
      event.preventDefault();
      return true;
    }
    if (!result) return false;
    const count = result.options.length;
    const move = (to: number) => setOpen({ ...open!, active: (to + count) % count });
    switch (event.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'Enter':
      case 'Tab':
        accept(active);
        break;
      case 'Escape':
        setOpen(null);
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  };
  return {
    result,
    active,
    refresh: (caret, explicit = false) => setOpen((previous) => ({ caret, explicit, active: previous?.caret === caret ? previous.active : 0 })),
    close: () => setOpen(null),
    onKeyDown,
    accept,
  };
}

export function CompletionList({ id, testId, label, completer }: { id: string; testId: string; label: string; completer: Completer }) {
  const { result, active } = completer;
  if (!result) return null;
  return (
    <ul className="cairn-completions" id={id} role="listbox" aria-label={`Names for ${label}`} data-testid={testId}>
      {result.options.map((option, index) => (
        <li
          key={option.label}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className="cairn-completions__option"
          data-testid="completion-option"
          // Keep the caret in the field: the click accepts without taking focus away.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => completer.accept(index)}
        >
          <code>{option.label}</code>
          {option.more && <span aria-hidden="true">›</span>}
          {option.detail && <span className="cairn-completions__detail">{option.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

/** How long typing must pause before the preview is computed again. */
export const PREVIEW_DELAY_MS = 200;

/** The field's value against the last run (undefined: no data was given, so nothing is shown). */
export function PreviewLine({ testId, text, lastRun }: { testId: string; text: string; lastRun: LastRunData | null | undefined }) {
  const [preview, setPreview] = useState<{ text: string; result: Preview | undefined } | null>(null);
  const root = lastRun?.root;
  useEffect(() => {
    if (!root || !text.includes('{{')) return;
    let current = true;
    const timer = setTimeout(() => {
      void previewOf(text, root).then((result) => current && setPreview({ text, result }));
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, root]);

  if (lastRun === undefined || !text.includes('{{')) return null;
  if (lastRun === null) {
    return (
      <p className="cairn-preview cairn-preview--none" data-testid={`${testId}-preview`}>
        No run yet: start one to preview values against its data.
      </p>
    );
  }
  // Until the first result for this text, the previous one is shown faded rather than a jump.
  const result = preview?.result;
  const stale = preview?.text !== text;
  if (!result) return null;
  return (
    <p
      className={`cairn-preview${result.ok ? '' : ' cairn-preview--error'}${stale ? ' cairn-preview--stale' : ''}`}
      data-testid={`${testId}-preview`}
      data-state={result.ok ? 'value' : 'error'}
      aria-live="polite"
      title={`Against the data of run ${lastRun.runId} (${lastRun.status})`}
    >
      <span className="cairn-preview__label">{result.ok ? 'Last run:' : 'Error:'}</span> <code>{result.ok ? result.text : result.message}</code>
    </p>
  );
}
