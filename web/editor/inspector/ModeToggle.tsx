// The Fixed / Expression switch of one field (as n8n has). It shows what the value is — text without
// `{{ }}` is fixed, text with them is computed — and switches only when clicked. Reusable by any
// field editor: give it the mode read from the value and what to do on a switch.
import type { FieldMode } from './expression-mode.js';
import './mode-toggle.css';

export interface ModeToggleProps {
  testId: string;
  /** The field's title, to name the switch for assistive technology. */
  label: string;
  mode: FieldMode;
  onMode(mode: FieldMode): void;
  /** The field must be an expression (a condition): Fixed is not offered. */
  expressionOnly?: boolean;
  disabled?: boolean;
}

export function ModeToggle({ testId, label, mode, onMode, expressionOnly, disabled }: ModeToggleProps) {
  const option = (value: FieldMode, text: string, title: string) => (
    <button
      type="button"
      className="cairn-mode-toggle__option"
      data-testid={`${testId}-mode-${value}`}
      aria-pressed={mode === value}
      title={title}
      disabled={disabled || (expressionOnly && value === 'fixed')}
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => value !== mode && onMode(value)}
    >
      {text}
    </button>
  );
  return (
    <div className="cairn-mode-toggle" role="group" aria-label={`${label}: fixed value or expression`} data-testid={`${testId}-mode`} data-mode={mode}>
      {option('fixed', 'Fixed', expressionOnly ? `${label} is always computed: write it as {{ … }}` : 'A fixed value, used as written')}
      {option('expression', 'Expression', 'Computed when the node runs: JSONata inside {{ }}')}
    </div>
  );
}
