// Credential pickers: a select of the stored credentials (tRPC credentials.names: names and kinds,
// never values) for each credential a step's action declares — its `credentials`, one row per declared
// name — and for an input field that names a credential (http.request's `credential`). Without the
// list (a viewer may not read it) the name is typed. A required one left unchosen, a name that is not
// stored and a credential of another kind than declared are said under the row, as publish says them.
import type { CredentialChoice, CredentialRequirement } from '../../../shared/credential-kinds.js';
import { isRecord, withKey } from './config-fields.js';
import { ExpressionInput } from './ExpressionInput.js';
import { modeOf, toExpression, toFixed, type FieldMode } from './expression-mode.js';
import { ModeToggle } from './ModeToggle.js';
import { asString, useInspector, type WidgetProps } from './widget-kit.js';

interface PickerProps {
  id: string;
  testId: string;
  label: string;
  value: unknown;
  onChange(value: string | undefined): void;
  /** The kind the action needs; others are offered but marked. */
  kind?: CredentialRequirement['kind'];
  fieldPath?: string;
}

/** What is wrong with a choice, as the publish check would say it; undefined when nothing is. */
export function choiceProblem(value: unknown, options: { required: boolean; kind?: CredentialRequirement['kind']; stored?: readonly CredentialChoice[] }): string | undefined {
  if (value === undefined || value === '') return options.required ? 'Required: choose a stored credential.' : undefined;
  if (typeof value !== 'string') return 'A credential is named by text.';
  const found = options.stored?.find((choice) => choice.name === value);
  if (options.stored && !found) return `No credential named “${value}” is stored: an admin adds it in Settings → Credentials.`;
  if (found && options.kind && found.kind !== options.kind) return `“${value}” is a ${found.kind} credential; this needs ${options.kind}.`;
  return undefined;
}

/** One select of the stored credentials (or a text box when they cannot be listed). */
export function CredentialPicker({ id, testId, label, value, onChange, kind, fieldPath }: PickerProps) {
  const { readOnly, credentials } = useInspector();
  const name = asString(value);
  if (!credentials) {
    return (
      <input id={id} type="text" className="cairn-inspector__input" data-testid={testId} data-field-path={fieldPath} aria-label={label} placeholder="a stored credential's name" value={name} disabled={readOnly} onChange={(event) => onChange(event.target.value || undefined)} />
    );
  }
  const known = !name || credentials.some((choice) => choice.name === name);
  return (
    <select id={id} className="cairn-inspector__input" data-testid={testId} data-field-path={fieldPath} aria-label={label} value={name} disabled={readOnly} onChange={(event) => onChange(event.target.value || undefined)}>
      <option value="">{credentials.length === 0 ? 'No credentials stored yet' : 'Choose a credential…'}</option>
      {credentials.map((choice) => (
        <option key={choice.name} value={choice.name}>
          {choice.name} ({choice.kind}
          {kind && choice.kind !== kind ? `; needs ${kind}` : ''}){choice.description ? ` — ${choice.description}` : ''}
        </option>
      ))}
      {!known && <option value={name}>{name} (not stored)</option>}
    </select>
  );
}

/** The step's `credentials` (or its compensation's): a picker per credential its action declares. */
export function CredentialsWidget({ id, testId, label, value, onChange, fieldPath = 'credentials', actionName }: WidgetProps & { actionName?: unknown }) {
  const { actions, credentials, readOnly } = useInspector();
  const action = actions.find((candidate) => candidate.name === actionName);
  const declared = Object.entries(action?.credentials ?? {});
  const chosen = isRecord(value) ? value : {};
  const undeclared = Object.keys(chosen).filter((slot) => !declared.some(([name]) => name === slot));
  // Nothing chosen leaves no empty object behind.
  const set = (slot: string, next: string | undefined) => {
    const updated = withKey(chosen, slot, next);
    onChange(Object.keys(updated).length > 0 ? updated : undefined);
  };
  return (
    <div className="cairn-inspector__group" id={id} data-testid={testId}>
      {declared.length === 0 && <p className="cairn-inspector__hint">{action ? `${action.name} needs no stored credentials.` : 'Choose an action first.'}</p>}
      {declared.map(([slot, requirement]) => {
        const problem = choiceProblem(chosen[slot], { required: !requirement.optional, kind: requirement.kind, stored: credentials });
        return (
          <div className="cairn-inspector__subfield" key={slot} data-testid={`${testId}-${slot}-row`}>
            <label htmlFor={`${id}-${slot}`}>
              {slot}
              {!requirement.optional && (
                <abbr className="cairn-inspector__required" title="required">
                  *
                </abbr>
              )}
              {requirement.kind && <span className="cairn-inspector__mark"> {requirement.kind}</span>}
            </label>
            <p className="cairn-inspector__hint">{requirement.description}</p>
            <CredentialPicker id={`${id}-${slot}`} testId={`${testId}-${slot}`} label={`${label}: ${slot}`} value={chosen[slot]} kind={requirement.kind} fieldPath={`${fieldPath}.${slot}`} onChange={(next) => set(slot, next)} />
            {problem && (
              <p className="cairn-inspector__problem" data-testid={`${testId}-${slot}-problem`}>
                {problem}
              </p>
            )}
          </div>
        );
      })}
      {undeclared.map((slot) => (
        <p className="cairn-inspector__problem" key={slot} data-testid={`${testId}-${slot}-undeclared`}>
          {action?.name ?? 'The action'} declares no credential “{slot}”.{' '}
          <button type="button" className="cairn-inspector__link-button" data-testid={`${testId}-${slot}-remove`} disabled={readOnly} onClick={() => set(slot, undefined)}>
            Remove it
          </button>
        </p>
      ))}
    </div>
  );
}

/**
 * An input field that names a credential: Fixed, the picker; Expression, the `{{ … }}` that computes the
 * name when the step runs (looked up then, not at publish).
 */
export function CredentialField({ id, testId, label, value, onChange, path }: { id: string; testId: string; label: string; value: unknown; onChange(value: unknown): void; path: string }) {
  const { credentials, readOnly } = useInspector();
  const mode = typeof value === 'string' ? modeOf(value) : 'fixed';
  const switchMode = (next: FieldMode) => onChange(next === 'expression' ? toExpression(asString(value)) : toFixed(asString(value)) || undefined);
  const problem = mode === 'fixed' ? choiceProblem(value, { required: false, stored: credentials }) : undefined;
  return (
    <>
      <ModeToggle testId={testId} label={label} mode={mode} onMode={switchMode} disabled={readOnly} />
      {mode === 'expression' ? (
        <ExpressionInput id={id} testId={testId} label={label} value={value} onChange={onChange} mode="expression" emptyIsUnset fieldPath={path} />
      ) : (
        <CredentialPicker id={id} testId={testId} label={label} value={value} onChange={onChange} fieldPath={path} />
      )}
      {problem && (
        <p className="cairn-inspector__problem" data-testid={`${testId}-credential-problem`}>
          {problem}
        </p>
      )}
    </>
  );
}
