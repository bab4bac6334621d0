// Template and expression fields: JSONata text whose names hint (shown while the field has focus)
// inserts input, instance or nodes.<id> at the caret. Syntax problems are shown by the field.
import { useLayoutEffect, useRef, useState, type FocusEvent } from 'react';
import { insertName } from './expression-names.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

export interface ExpressionInputProps extends WidgetProps {
  mode: 'template' | 'expression';
  multiline?: boolean;
}

export function ExpressionInput({ id, testId, label, value, onChange, placeholder, mode, emptyIsUnset, multiline }: ExpressionInputProps) {
  const { names, readOnly } = useInspector();
  const [focused, setFocused] = useState(false);
  const control = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const text = asString(value);

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !control.current) return;
    control.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const change = (next: string) => onChange(next === '' && emptyIsUnset ? undefined : next);
  const insert = (name: string) => {
    const element = control.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? start;
    const inserted = insertName(text, { start, end }, name, mode);
    pendingCaret.current = inserted.caret;
    change(inserted.text);
    element?.focus();
  };
  const leave = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
  };

  const props = {
    id,
    ref: control,
    'data-testid': testId,
    'aria-label': label,
    className: 'cairn-inspector__input cairn-inspector__code',
    value: text,
    placeholder: placeholder ?? (mode === 'template' ? 'Text with {{ expressions }}' : 'JSONata, e.g. {{ input.amount > 100 }}'),
    disabled: readOnly,
    spellCheck: false,
    onChange: (event: { target: { value: string } }) => change(event.target.value),
  };
  return (
    <div className="cairn-inspector__expression" onFocus={() => setFocused(true)} onBlur={leave}>
      {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
      {focused && !readOnly && (
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
  );
}
