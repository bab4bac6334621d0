// Inputs of the workflow operations (drafts, revisions, publishing, versions), for REST and tRPC alike.
import { z } from 'zod';
import { clientId, refusedAs, slug, text, wholeNumber } from './fields.js';

const draftRev = (what: string) => wholeNumber(`${what} (the draft revision the ${what === 'base' ? 'restore' : 'save'} is based on)`);
const versionNumber = wholeNumber('the version number', { min: 1, text: true });
const revisionNumber = wholeNumber('the revision number', { min: 1, text: true });

export const workflowInput = z.object({ slug });

/** Create or replace the draft; with `rev`, refused if someone saved after that revision. */
export const saveDraftInput = z.object({
  slug,
  name: refusedAs('INVALID_INPUT', text('name must be non-empty text').optional()),
  graph: z.unknown().optional(),
  rev: draftRev('rev').optional(),
  clientId: clientId.optional(),
});

/** REST's other way to say `rev`: the If-Match header. */
export const ifMatchHeader = z.object({ rev: wholeNumber('If-Match (the draft revision the save is based on)', { text: true }) });

export const revisionInput = z.object({ slug, rev: revisionNumber });

/** Make a kept revision the draft again: a new save on top of `base` (the revision the editor shows). */
export const restoreInput = z.object({ slug, rev: revisionNumber, base: draftRev('base').optional(), clientId: clientId.optional() });

/** Settle a conflict with their draft (at `theirsRev`), keeping `mine` as a revision to restore. */
export const takeTheirsInput = z.object({ slug, mine: z.unknown().optional(), theirsRev: wholeNumber('theirsRev'), clientId: clientId.optional() });

export const publishInput = z.object({ slug, note: refusedAs('INVALID_INPUT', text('note must be text').max(500).optional()) });

export const versionInput = z.object({ slug, version: versionNumber });

export const renameInput = z.object({ slug, name: z.string().max(200) });

export const duplicateInput = z.object({ slug, newSlug: slug, name: z.string().max(200).optional() });
