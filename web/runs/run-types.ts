// The shapes the runs pages read: derived from the tRPC router, so they follow the server, and the run
// vocabulary of shared/runs (statuses, errors, waits, history events). No shape is copied by hand.
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../app/trpc.js';

export { RUN_STATUSES, isFinished, type RunStatus } from '../../shared/runs/status.js';
export type { RunError } from '../../shared/runs/errors.js';
export type { HistoryEvent } from '../../shared/runs/history.js';
export type { WaitingOn } from '../../shared/runs/waits.js';
export type { VersionSummary } from '../../shared/runs/versions.js';

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type RunDetail = Outputs['runs']['detail'];
export type RunView = RunDetail['run'];
export type RunListPage = Outputs['runs']['list'];
export type RunRow = RunListPage['runs'][number];

/** Bulk actions on the runs a filter matches (operations.bulk). */
export type BulkAction = Inputs['operations']['bulk']['preview']['action'];
export type BulkFilter = Inputs['operations']['bulk']['preview']['filter'];
export type BulkJob = Outputs['operations']['bulk']['get'];
