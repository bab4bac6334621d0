// What REST v1 takes and answers, as the client's callers see it. Requests are the input types of
// the zod schemas the server validates each operation with (server/api/schemas), answers the types
// the services return; all through `import type`, so a change on the server is a type error here
// and nothing of the server is loaded where the client runs.
import type { z } from 'zod';
import type { decideInput, listApprovalsInput } from '../schemas/approvals.schemas.js';
import type { cancelInput, listRunsInput, signalInput, startRunInput } from '../schemas/runs.schemas.js';
import type { ApprovalsService } from '../../services/approvals.service.js';
import type { RunsService } from '../../services/runs.service.js';

type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
/** An operation's fields less the ones the client puts in the path. */
type Fields<Schema extends z.ZodType, PathFields extends string> = Omit<z.input<Schema>, PathFields>;

export type StartRequest = Fields<typeof startRunInput, 'workflow'>;
/** `201 { id, version, status }` of POST /workflows/:slug/instances (200 for a repeated Idempotency-Key). */
export type StartAnswer = Pick<Answer<RunsService['start']>, 'id' | 'version' | 'status'>;
/** GET /instances/:id. */
export type Run = Answer<RunsService['get']>;
export type RunListFilters = z.input<typeof listRunsInput>;
/** GET /instances: a page of runs, newest first, and the cursor of the next page (null at the end). */
export type RunList = Answer<RunsService['list']>;
export type HistoryEvent = Answer<RunsService['history']>[number];
export type SignalData = z.input<typeof signalInput>['data'];
export type SignalAnswer = { signalId: string };
export type CancelRequest = Fields<typeof cancelInput, 'id'>;
export type CancelAnswer = { id: string; status: 'cancelling' };
export type ApprovalFilters = z.input<typeof listApprovalsInput>;
export type ApprovalTask = Answer<ApprovalsService['list']>[number];
export type Decision = Fields<typeof decideInput, 'id'>;
export type DecisionAnswer = Answer<ApprovalsService['decide']>;
