// The shapes the runs pages read, derived from the tRPC router so they follow the server.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../app/trpc.js';

type Outputs = inferRouterOutputs<AppRouter>;

export type RunDetail = Outputs['runs']['detail'];
export type RunView = RunDetail['run'];
export type HistoryEvent = RunDetail['history'][number];
export type RunToken = RunDetail['tokens'][number];
export type WaitingOn = RunView['waitingOn'][number];
export type RunListPage = Outputs['runs']['list'];
export type RunRow = RunListPage['runs'][number];
export type VersionSummary = Outputs['workflows']['versions'][number];

export const RUN_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const isFinished = (status: string) => status === 'completed' || status === 'failed' || status === 'cancelled';

/** The persisted error of a failed or cancelled run (STYLE: name, code, message, retryable). */
export interface RunErrorView {
  name?: string;
  code?: string;
  message?: string;
  retryable?: boolean;
  nodeId?: string;
  compensated?: boolean;
  compensationsFailed?: { nodeId: string; visit: number; error: { message?: string; code?: string } }[];
}

export const asRunError = (error: unknown): RunErrorView | null => (error && typeof error === 'object' ? (error as RunErrorView) : null);
