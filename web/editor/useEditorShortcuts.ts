// Keyboard shortcuts of the editor: delete, undo/redo, copy/paste (also between workflows, through
// localStorage), select all. Ignored while typing in a field.
import { useEffect } from 'react';
import type { EditorStore } from './editor.store.js';
import { isFragment } from './graph-ops.js';

const CLIPBOARD_KEY = 'cairn:clipboard';

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

export function useEditorShortcuts(store: EditorStore, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || store.getState().readOnly) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const state = store.getState();
      if (event.key === 'Delete' || event.key === 'Backspace') state.removeSelected();
      else if (mod && key === 'z' && !event.shiftKey) store.temporal.getState().undo();
      else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) store.temporal.getState().redo();
      else if (mod && key === 'c' && state.selection.nodes.length) localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(state.copySelection()));
      else if (mod && key === 'v') {
        const fragment: unknown = JSON.parse(localStorage.getItem(CLIPBOARD_KEY) ?? 'null');
        if (isFragment(fragment)) state.paste(fragment);
      } else if (mod && key === 'a') state.select({ nodes: state.graph.nodes.map((node) => node.id) });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, enabled]);
}
