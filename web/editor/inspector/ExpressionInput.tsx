// Template, value and expression fields. Text without `{{ }}` is a fixed value and text with them is
// computed (DESIGN §2); with `toggle`, a Fixed / Expression switch shows which and switches on click.
// A names hint (shown while the field has focus) inserts input, instance or nodes.<id> at the caret,
// inside `{{ }}` (so inserting into fixed text makes it an expression, which the switch then shows);
// inside braces, a completion list offers the names under what is typed, and a preview shows the
// value against the last run. Syntax problems are shown by the field.
import { useId, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { braceExpression } from '../../../shared/graph/upgrade.js';
import { insertName } from './expression-names.js';
import { CompletionList, PreviewLine, useCompleter } from './ExpressionAssist.js';
import { caretInside, modeOf, toExpression, toFixed, type FieldMode } from './expression-mode.js';
import { ModeToggle } from './ModeToggle.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

export interface ExpressionInputProps extends WidgetProps {
  /** template: text with {{ }} parts; value: fixed text or {{ … }}; expression: always {{ … }}. */
  mode: 'template' | 'value' | 'expression';
  multiline?: boolean;
  /** Show the Fixed / Expression switch. */
  toggle?: boolean;
}

export function ExpressionInput({ id, testId, label, value, onChange, placeholder, mode, emptyIsUnset, multiline, toggle, example, fieldPath }: ExpressionInputProps) {
  const { names, scope, lastRun, readOnly } = useInspector();
  const [focused, setFocused] = useState(false);
  const listId = `${useId()}completions`;
  const control = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const text = asString(value);
  const expressionOnly = mode === 'expression';
  // What the value is; an expression-only field is an expression even while its text is still bare.
  const shown: FieldMode = expressionOnly ? 'expression' : modeOf(text);
  const bare = expressionOnly && text.trim() !== '' && modeOf(text) === 'fixed';

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !control.current) return;
    control.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const change = (next: string, caret: number | null) => {
    onChange(next === '' && emptyIsUnset ? undefined : next);
    completer.refresh(caret ?? next.length);
  };
  const replace = (next: string, caret: number) => {
    pendingCaret.current = caret;
    onChange(next);
    control.current?.focus();
  };
  const completer = useCompleter(text, scope, replace);
  const insert = (name: string) => {
    const element = control.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? start;
    const inserted = insertName(text, { start, end }, name);
    replace(inserted.text, inserted.caret);
  };
  const switchMode = (next: FieldMode) => {
    if (next === 'expression') {
      const expression = toExpression(text);
      replace(expression, caretInside(expression));
    } else {
      const fixed = toFixed(text);
      if (fixed === '' && emptyIsUnset) onChange(undefined);
      else replace(fixed, fixed.length);
    }
  };
  const leave = (event: FocusEvent<HTMLDivElement>) => {
    if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
    setFocused(false);
    completer.close();
  };

  // An example with {{ }} fits the expression mode, one without it the fixed mode (a date-time); an
  // empty value field reads as fixed, so it names its expression example too; a template's example
  // (text with {{ }} parts) fits it either way.
  const examples =
    mode === 'template' && example
      ? { expression: `e.g. ${example}`, fixed: `e.g. ${example}` }
      : { expression: example?.includes('{{') ? example : undefined, fixed: !example ? undefined : example.includes('{{') ? `Text, or ${example}` : `e.g. ${example}` };
  const hint =
    shown === 'expression'
      ? (examples.expression ?? (mode === 'template' ? 'Text with {{ expressions }}' : '{{ … }}'))
      : (examples.fixed ?? (mode === 'template' ? 'Text; {{ expressions }} inside are computed' : 'Text, used as written'));
  const props = {
    id,
    ref: control,
    'data-testid': testId,
    'data-field-path': fieldPath,
    'data-mode': shown,
    'aria-label': label,
    className: `cairn-inspector__input${shown === 'expression' ? ' cairn-inspector__code' : ''}`,
    value: text,
    placeholder: placeholder ?? hint,
    disabled: readOnly,
    spellCheck: shown === 'fixed',
    onChange: (event: { target: { value: string; selectionStart: number | null } }) => change(event.target.value, event.target.selectionStart),
    // A combobox while it offers names: the list below is what the arrows move through.
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': !!completer.result && focused,
    'aria-controls': completer.result && focused ? listId : undefined,
    'aria-activedescendant': completer.result && focused ? `${listId}-${completer.active}` : undefined,
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => void completer.onKeyDown(event),
    onClick: (event: MouseEvent<HTMLInputElement & HTMLTextAreaElement>) => completer.refresh(event.currentTarget.selectionStart ?? text.length),
  };
  return (
    <div className="cairn-inspector__expression" onFocus={() => setFocused(true)} onBlur={leave}>
      {toggle && <ModeToggle testId={testId} label={label} mode={shown} onMode={switchMode} expressionOnly={expressionOnly} disabled={readOnly} />}
      <div className="cairn-inspector__completing">
        {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
        {focused && !readOnly && <CompletionList id={listId} testId={`${testId}-completions`} label={label} completer={completer} />}
      </div>
      {bare && !readOnly && (
        <button type="button" className="cairn-expression__fix" data-testid={`${testId}-brace`} onClick={() => replace(braceExpression(text.trim()), caretInside(braceExpression(text.trim())))}>
          Make it {braceExpression(text.trim())}
        </button>
      )}
      {/* Over what follows, never in the flow: leaving the field must not move the controls below. */}
      {focused && !completer.result && ((lastRun !== undefined && text.includes('{{')) || (!readOnly && names.length > 0)) && (
        <div className="cairn-inspector__assist">
          <PreviewLine testId={testId} text={text} lastRun={lastRun} />
          {!readOnly && (
            <div className="cairn-inspector__names" data-testid={`${testId}-names`} aria-label={`Names for ${label}`} role="group">
              {names.map((name) => (
                <button
                  key={name}
                  type="button"
                  className="cairn-inspector__name"
                  data-testid={`${testId}-name`}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => insert(name)}
                  title={`Insert ${name}`}
                >
                  {name}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
