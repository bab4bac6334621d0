// The editor's conflict: a banner while it stands (the unsaved changes wait for a choice) and the
// dialog that compares their draft with yours, opened as the conflict arises and from the banner.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { resolveConflict, type DraftApi } from './autosave.js';
import { ConflictDialog } from './ConflictDialog.js';
import type { EditorStore } from './editor.store.js';

export function DraftConflict(props: { slug: string; store: EditorStore; api: DraftApi; me: string | undefined; onNotice: (notice: string) => void }) {
  const { store, api } = props;
  const save = useStore(store, (state) => state.save);
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(save === 'conflict'), [save]);
  if (save !== 'conflict') return null;
  return (
    <>
      <div className="cairn-banner cairn-banner--warning" data-testid="conflict">
        <span>This draft was saved elsewhere while you had unsaved changes; they wait for your choice and are not lost.</span>
        <button type="button" className="cairn-button" onClick={() => setOpen(true)} data-testid="conflict-review">
          Compare and choose
        </button>
      </div>
      {open && (
        <ConflictDialog
          slug={props.slug}
          store={store}
          me={props.me}
          onChoose={async (choice, theirs) => {
            await resolveConflict(store, api, choice, theirs);
            props.onNotice(choice === 'theirs' ? 'You took their draft; yours is kept in the draft history.' : 'Your draft is saved on top; theirs is kept in the draft history.');
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
