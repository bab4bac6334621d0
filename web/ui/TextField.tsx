// A labelled text input with a hint, or its error in place of the hint (linked by aria-describedby).
import { useId } from 'react';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'password';
  hint?: string;
  error?: string;
  testId: string;
  autoComplete?: string;
  autoFocus?: boolean;
}

export function TextField({ label, value, onChange, type = 'text', hint, error, testId, autoComplete, autoFocus }: TextFieldProps) {
  const id = useId();
  const noteId = useId();
  const note = error ?? hint;
  return (
    <div className="cairn-field">
      <label htmlFor={id} className="cairn-field__label">
        {label}
      </label>
      <input
        id={id}
        className="cairn-input"
        type={type}
        value={value}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        autoCapitalize="none"
        spellCheck={false}
        aria-invalid={Boolean(error)}
        aria-describedby={note ? noteId : undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      {note && (
        <p id={noteId} className={error ? 'cairn-field__error' : 'cairn-field__hint'}>
          {note}
        </p>
      )}
    </div>
  );
}
