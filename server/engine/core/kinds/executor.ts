// What a node kind's executor implements. Every event a run receives that concerns a token — an
// action's result, a timer, a signal, a decision, a child run's start and end — reaches the
// executor of that token's node kind through `on`; the interpreter names no kind.
import type { IndexedNode } from '../graph-index.js';
import type { Run } from '../run.js';
import type { RunEventMap, RunEventType, Token, WaitingOn } from '../types.js';

/** A node with its config parsed by its kind's own schema (shared/nodes/<kind>.node.ts). */
export type KindNode<Config> = Omit<IndexedNode, 'config'> & { config: Config };

/** Events that belong to the run as a whole; every other event belongs to one of its tokens. */
export type RunLevelEventType = 'start' | 'recover' | 'cancelRequested' | 'retryRequested';
export type TokenEventType = Exclude<RunEventType, RunLevelEventType>;
/** Token events that name their token (by id): delivered to that token's kind. */
export type AddressedEventType = { [K in TokenEventType]: RunEventMap[K] extends { tokenId: string } ? K : never }[TokenEventType];
/** Token events that do not: offered to each token whose kind accepts them, in token order. */
export type OfferedEventType = Exclude<TokenEventType, AddressedEventType>;

/** Distributes over a union of types, so that narrowing on `type` works for a set of events. */
export type EventOf<K extends RunEventType> = K extends RunEventType ? { type: K } & RunEventMap[K] : never;
type Handle<K extends RunEventType, Config> = (run: Run, token: Token, node: KindNode<Config>, event: EventOf<K>) => Promise<void> | void;

/** The events a kind accepts. An event for a token whose kind does not accept it changes nothing. */
export type KindEvents<Config> = { [K in AddressedEventType]?: Handle<K, Config> } & {
  [K in OfferedEventType]?: {
    /** Whether this token is the one the event is for; the first token that takes it gets it. */
    takes(run: Run, token: Token, event: EventOf<K>): boolean;
    handle: Handle<K, Config>;
  };
};

export interface NodeExecutor<Config = Record<string, unknown>> {
  /** The token has entered the node; its visit is already counted. */
  enter(run: Run, token: Token, node: KindNode<Config>): Promise<void> | void;
  on?: KindEvents<Config>;
  /**
   * The run's lease expired while this token was `running`. Without this hook the in-flight work
   * counts as a failed attempt (an `actionFailed` event); a kind whose work is idempotent re-asks.
   */
  recover?(run: Run, token: Token, node: KindNode<Config>): void;
  /** What a `waiting` token of this kind waits on (the run's waitingOn); a timer when absent. */
  waitsOn?(token: Token): { kind: WaitingOn['kind']; on?: string };
  /** The token's path stops (the run fails or is cancelled): let go of what it holds outside the run. */
  stop?(run: Run, token: Token, node: KindNode<Config>, how: { compensate: boolean }): void;
}

export function entered(run: Run, token: Token, data?: Record<string, unknown>): void {
  run.record({ type: 'nodeEntered', nodeId: token.nodeId, visit: token.visit, ...(data ? { data } : {}) });
}
