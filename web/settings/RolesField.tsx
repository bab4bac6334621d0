// Choosing a user's roles: the built-in ones as checkboxes, others (approval assignee roles such as
// "manager") as free text.
import { useId, useState } from 'react';
import { BUILT_IN_ROLES, isBuiltIn, parseRoleList, roleProblems } from './settings-data.js';

export interface RolesDraft {
  builtIn: string[];
  customText: string;
}

export const rolesDraft = (roles: readonly string[]): RolesDraft => ({ builtIn: roles.filter(isBuiltIn), customText: roles.filter((role) => !isBuiltIn(role)).join(', ') });

export function draftRoles(draft: RolesDraft): string[] {
  return [...new Set([...BUILT_IN_ROLES.map((entry) => entry.role).filter((role) => draft.builtIn.includes(role)), ...parseRoleList(draft.customText)])];
}

export function useRolesDraft(initial: readonly string[]) {
  const [draft, setDraft] = useState(() => rolesDraft(initial));
  const roles = draftRoles(draft);
  const problems = roleProblems(draft.builtIn, parseRoleList(draft.customText));
  return { draft, setDraft, roles, ...problems };
}

export function RolesField(props: { draft: RolesDraft; onChange(draft: RolesDraft): void; error: string | null; warning: string | null; showErrors: boolean; testId: string }) {
  const { draft, onChange } = props;
  const customId = useId();
  const noteId = useId();
  const error = props.showErrors ? props.error : null;
  const toggle = (role: string, on: boolean) => onChange({ ...draft, builtIn: on ? [...draft.builtIn, role] : draft.builtIn.filter((item) => item !== role) });
  return (
    <fieldset className="cairn-roles" data-testid={props.testId}>
      <legend className="cairn-field__label">Roles</legend>
      <div className="cairn-roles__options">
        {BUILT_IN_ROLES.map(({ role, text }) => (
          <label key={role} className="cairn-roles__option">
            <input type="checkbox" checked={draft.builtIn.includes(role)} onChange={(event) => toggle(role, event.target.checked)} data-testid={`${props.testId}-${role}`} />
            <span>
              <span className="cairn-roles__name">{role}</span>
              <span className="cairn-roles__text">{text}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="cairn-field">
        <label htmlFor={customId} className="cairn-field__label cairn-roles__custom-label">
          Other roles <span className="cairn-muted">(for approval assignees)</span>
        </label>
        <input
          id={customId}
          className="cairn-input"
          placeholder="e.g. manager, director"
          autoComplete="off"
          spellCheck={false}
          value={draft.customText}
          aria-invalid={Boolean(error)}
          aria-describedby={noteId}
          onChange={(event) => onChange({ ...draft, customText: event.target.value.toLowerCase() })}
          data-testid={`${props.testId}-custom`}
        />
        <p id={noteId} className={error ? 'cairn-field__error' : props.warning ? 'cairn-field__hint cairn-roles__warning' : 'cairn-field__hint'}>
          {error ?? props.warning ?? 'Separated by commas. Approval steps assign tasks to roles by these names.'}
        </p>
      </div>
    </fieldset>
  );
}
