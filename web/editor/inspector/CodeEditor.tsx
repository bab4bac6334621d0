// The code step's editor: CodeMirror 6 with JavaScript highlighting, line numbers, undo and brackets,
// and the same syntax check as publish (shared/code-source.ts) shown as a marker on the line (the
// form lists the publish problem, with line and column, under the field). The graph stays the model:
// each edit is handed to onChange, and a value changed elsewhere (undo in the store, another tab)
// replaces the editor's text.
import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { compileCode } from '../../../shared/code-source.js';
import { codeEditorTheme } from './code-editor-theme.js';

export interface CodeEditorProps {
  id: string;
  testId: string;
  label: string;
  value: unknown;
  onChange(value: string | undefined): void;
  readOnly?: boolean;
}

/** Where the code fails to parse, as CodeMirror marks it: the rest of the line from the error. */
export function syntaxDiagnostics(text: string): Diagnostic[] {
  if (!text.trim()) return [];
  const compiled = compileCode(text);
  if (compiled.ok) return [];
  const from = Math.min(compiled.error.offset, text.length);
  const lineEnd = text.indexOf('\n', from);
  const to = Math.max(from + 1, lineEnd === -1 ? text.length : lineEnd);
  return [{ from, to: Math.min(to, text.length), severity: 'error', message: compiled.error.message, source: 'syntax' }];
}

export function CodeEditor({ id, testId, label, value, onChange, readOnly = false }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  // The latest callback, so the editor made once always calls the current one.
  const changed = useRef(onChange);
  changed.current = onChange;
  const text = typeof value === 'string' ? value : '';

  useEffect(() => {
    const state = EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        bracketMatching(),
        indentOnInput(),
        highlightActiveLine(),
        // The inspector is narrow: long lines wrap rather than scroll the start of the code away.
        EditorView.lineWrapping,
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript(),
        linter((editor) => syntaxDiagnostics(editor.state.doc.toString()), { delay: 250 }),
        lintGutter(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.readOnly.of(readOnly),
        EditorView.contentAttributes.of({ id, 'aria-label': label, 'data-testid': testId }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const next = update.state.doc.toString();
          changed.current(next === '' ? undefined : next);
        }),
        codeEditorTheme,
      ],
    });
    const created = new EditorView({ state, parent: host.current! });
    view.current = created;
    return () => {
      created.destroy();
      view.current = undefined;
    };
    // Made once per field; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, readOnly]);

  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === text) return;
    current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: text } });
  }, [text]);

  return <div ref={host} className="cairn-code-editor" data-testid={`${testId}-editor`} />;
}
