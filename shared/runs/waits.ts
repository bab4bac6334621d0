// What an unfinished run waits on: one entry per waiting token, kept on the run so lists can show
// and filter it without reading state.

export const WAIT_KINDS = ['timer', 'retry', 'signal', 'approval', 'child'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

export interface WaitingOn {
  nodeId: string;
  kind: WaitKind;
  /** When the wait ends or times out (ISO 8601). */
  until?: string;
  /** The signal name, the approval task id or the child run id. */
  on?: string;
}
