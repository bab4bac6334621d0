// Row ↔ record mapping for the engine tables. JSON columns are parsed here and nowhere else.
import type { RunState, InstanceStatus, TimerPurpose } from '../engine/core/types.js';
import { parsePolicy } from '../../shared/runs/approval-policy.js';
import type { HistoryRecord, InstanceRecord, SignalKind, SignalRecord, TaskRecord, TaskVote, TimerRecord } from '../engine/store.js';

export interface InstanceRow {
  id: string;
  workflow_id: string;
  slug: string;
  version_id: string;
  version: number;
  status: string;
  input: string;
  output: string | null;
  error: string | null;
  state: string;
  rev: number;
  history_count: number;
  waiting_on: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  idempotency_key: string | null;
  parent_id: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export const INSTANCE_COLUMNS = `i.id, i.workflow_id, w.slug, i.version_id, i.version, i.status, i.input, i.output, i.error,
  i.state, i.rev, i.history_count, i.waiting_on, i.lease_owner, i.lease_expires_at, i.idempotency_key, i.parent_id,
  i.created_at, i.updated_at, i.finished_at`;

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/**
 * A run a claim took: its row, with the lease just taken and, when the claim replaced a lease nobody
 * gave back, `interrupted`, set on the record rather than spread into a copy of it (one object, made
 * the same way at every claim site).
 */
export function claimedInstance(row: InstanceRow, lease: { owner: string; expiresAt: number } | null, interrupted: boolean): InstanceRecord {
  const instance = toInstance(row);
  if (lease) {
    instance.leaseOwner = lease.owner;
    instance.leaseExpiresAt = lease.expiresAt;
  }
  if (interrupted) instance.interrupted = true;
  return instance;
}

export function toInstance(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowSlug: row.slug,
    versionId: row.version_id,
    version: row.version,
    status: row.status as InstanceStatus,
    input: parse(row.input),
    output: parse(row.output),
    error: parse(row.error) as InstanceRecord['error'],
    state: JSON.parse(row.state) as RunState,
    rev: row.rev,
    historyCount: row.history_count,
    waitingOn: (parse(row.waiting_on) as InstanceRecord['waitingOn']) ?? [],
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    idempotencyKey: row.idempotency_key,
    parentId: row.parent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export interface HistoryRow {
  seq: number;
  type: string;
  node_id: string | null;
  visit: number | null;
  attempt: number | null;
  data: string | null;
  at: number;
}

export function toHistory(row: HistoryRow): HistoryRecord {
  return {
    seq: row.seq,
    type: row.type,
    at: row.at,
    ...(row.node_id !== null ? { nodeId: row.node_id } : {}),
    ...(row.visit !== null ? { visit: row.visit } : {}),
    ...(row.attempt !== null ? { attempt: row.attempt } : {}),
    ...(row.data !== null ? { data: JSON.parse(row.data) } : {}),
  };
}

export interface TimerRow {
  id: string;
  instance_id: string;
  token_id: string;
  purpose: string;
  due_at: number;
}

export function toTimer(row: TimerRow): TimerRecord {
  return { id: row.id, instanceId: row.instance_id, tokenId: row.token_id, purpose: row.purpose as TimerPurpose, dueAt: row.due_at };
}

export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export interface TaskRow {
  id: string;
  instance_id: string;
  slug: string;
  node_id: string;
  visit: number;
  title: string;
  details: string | null;
  data: string | null;
  form: string | null;
  shown_hash: string;
  status: string;
  due_at: number | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  decision: string | null;
  comment: string | null;
  form_values: string | null;
  users: string | null;
  roles: string | null;
  on_behalf_of: string | null;
  policy: string | null;
  reminders: number;
  reminded_at: number | null;
  escalated_at: number | null;
  /** JSON array of { by, onBehalfOf, decision, comment, at }, in order. */
  decisions: string | null;
}

export function toTask(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    instanceId: row.instance_id,
    workflowSlug: row.slug,
    nodeId: row.node_id,
    visit: row.visit,
    title: row.title,
    details: row.details,
    data: parse(row.data),
    form: parse(row.form) as TaskRecord['form'],
    assignees: { users: (parse(row.users) as string[] | null) ?? [], roles: (parse(row.roles) as string[] | null) ?? [] },
    shownHash: row.shown_hash,
    status: row.status as TaskRecord['status'],
    dueAt: row.due_at,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decision: row.decision,
    comment: row.comment,
    formValues: parse(row.form_values),
    onBehalfOf: row.on_behalf_of,
    policy: parsePolicy(row.policy),
    decisions: ((parse(row.decisions) as TaskVote[] | null) ?? []).map((vote) => ({ ...vote, at: Number(vote.at) })),
    reminders: Number(row.reminders),
    remindedAt: row.reminded_at,
    escalatedAt: row.escalated_at,
  };
}

export interface SignalRow {
  id: string;
  instance_id: string;
  kind: string;
  name: string | null;
  data: string | null;
  created_at: number;
}

export const toSignal = (row: SignalRow): SignalRecord => ({
  id: row.id,
  instanceId: row.instance_id,
  kind: row.kind as SignalKind,
  name: row.name,
  data: row.data === null ? null : JSON.parse(row.data),
  createdAt: row.created_at,
});
