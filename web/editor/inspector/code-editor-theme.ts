// The code editor's look, in the app's tokens (styles/tokens.css): a bordered box like the other
// inputs, a monospace face, a gutter that does not shout, and room for a dozen lines before it scrolls.
import { EditorView } from '@codemirror/view';

export const codeEditorTheme = EditorView.theme({
  '&': {
    border: '1px solid var(--cairn-border-strong)',
    borderRadius: '6px',
    background: 'var(--cairn-surface)',
    fontSize: '12.5px',
  },
  '&.cm-focused': { outline: '2px solid var(--cairn-accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '120px', maxHeight: '320px', overflow: 'auto' },
  '.cm-gutters': { background: 'var(--cairn-surface-muted)', color: 'var(--cairn-muted)', borderRight: '1px solid var(--cairn-border)' },
  '.cm-activeLine': { background: 'var(--cairn-accent-soft)' },
  '.cm-activeLineGutter': { background: 'var(--cairn-accent-soft)' },
});
