// The name and slug inputs shared by the create, import and duplicate dialogs. While `derive` is on,
// the slug follows the name (lower-case-dashes) until the user edits the slug itself.
import { useState } from 'react';
import { Field } from '../ui/Dialog.js';
import { NAME_MAX, SLUG_MAX, slugify, slugProblem } from './workflow-files.js';

export interface NameSlug {
  name: string;
  slug: string;
  setName(name: string): void;
  setSlug(slug: string): void;
  /** Problems to show (after a submit attempt, or as soon as the slug is edited). */
  nameError: string | null;
  slugError: string | null;
  valid: boolean;
  /** Call on submit: from then on every problem shows. */
  attempt(): void;
}

export function useNameSlug(options: { name?: string; slug?: string; derive: boolean; taken: ReadonlySet<string> }): NameSlug {
  const [name, setNameValue] = useState(options.name ?? '');
  const [slug, setSlugValue] = useState(options.slug ?? (options.derive ? slugify(options.name ?? '') : ''));
  const [slugEdited, setSlugEdited] = useState(!options.derive);
  const [attempted, setAttempted] = useState(false);

  const nameProblem = name.trim() ? null : 'Enter a name.';
  const slugIssue = slugProblem(slug, options.taken);
  return {
    name,
    slug,
    setName(next) {
      setNameValue(next);
      if (!slugEdited) setSlugValue(slugify(next));
    },
    setSlug(next) {
      setSlugEdited(true);
      setSlugValue(next);
    },
    nameError: attempted ? nameProblem : null,
    // An edited or derived slug that is taken shows at once; an empty one only after submitting.
    slugError: attempted || (slug && (slugEdited || options.taken.has(slug))) ? slugIssue : null,
    valid: !nameProblem && !slugIssue,
    attempt: () => setAttempted(true),
  };
}

export function NameSlugFields({ state, testIdPrefix, autoFocus = 'name' }: { state: NameSlug; testIdPrefix: string; autoFocus?: 'name' | 'slug' }) {
  return (
    <>
      <Field label="Name" error={state.nameError}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className="cairn-input"
            data-testid={`${testIdPrefix}-name`}
            value={state.name}
            maxLength={NAME_MAX}
            data-autofocus={autoFocus === 'name' || undefined}
            autoComplete="off"
            placeholder="e.g. Vendor onboarding"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(event) => state.setName(event.target.value)}
          />
        )}
      </Field>
      <Field label="Slug" hint="Used in links and the API. Lower-case letters, digits and dashes." error={state.slugError}>
        {({ id, describedBy, invalid }) => (
          <div className="cairn-input-group">
            <span className="cairn-input-group__prefix" aria-hidden="true">
              /workflows/
            </span>
            <input
              id={id}
              className="cairn-input cairn-input--mono"
              data-testid={`${testIdPrefix}-slug`}
              value={state.slug}
              maxLength={SLUG_MAX}
              data-autofocus={autoFocus === 'slug' || undefined}
              autoComplete="off"
              spellCheck={false}
              placeholder="vendor-onboarding"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(event) => state.setSlug(event.target.value)}
            />
          </div>
        )}
      </Field>
    </>
  );
}
