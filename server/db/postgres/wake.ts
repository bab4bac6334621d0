// Notifications between processes that share one PostgreSQL database (LISTEN/NOTIFY), on two
// channels, each sent by a transaction as it commits:
// - `cairn_work`: it left work for others — an inbox row, a run nobody holds yet, a timer. Every
//   worker listens, and sleeps until told or until its next known wake-up instead of polling.
// - `cairn_changes`: runs moved on and tasks changed. API processes listen, to feed live updates to
//   pages whose runs another process's worker moves.
// One connection listens, and only on the channels this process has listeners for.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { StoreChanges, StoreWake } from '../../engine/store.js';
import { connectClient } from './sql.js';

export const WAKE_CHANNEL = 'cairn_work';
export const CHANGES_CHANNEL = 'cairn_changes';

export const notifySql = (payloadParam: string): string => `pg_notify('${WAKE_CHANNEL}', ${payloadParam})`;
export const notifyChangesSql = (payloadParam: string): string => `pg_notify('${CHANGES_CHANNEL}', ${payloadParam})`;

interface WakePayload {
  /** The process (store instance) that sent it: a process does not need to hear its own. */
  from: string;
  /** Epoch ms the work is due; 0 means now. */
  at: number;
}

interface ChangesPayload {
  from: string;
  /** [instanceId, status, rev] */
  runs: [string, string, number][];
  tasks: boolean;
}

// PostgreSQL refuses payloads of 8,000 bytes or more; a batch's changes are split below that.
const MAX_PAYLOAD_BYTES = 7_000;

type Channel = typeof WAKE_CHANNEL | typeof CHANGES_CHANNEL;

export function createWakeChannel(url: string, logger: { warn(message: string, data?: object): void }) {
  const tag = randomUUID();
  const listeners = { [WAKE_CHANNEL]: new Set<(wake: StoreWake) => void>(), [CHANGES_CHANNEL]: new Set<(changes: StoreChanges) => void>() };
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let reconnect: NodeJS.Timeout | undefined;
  const listening = () => (Object.keys(listeners) as Channel[]).filter((channel) => listeners[channel].size > 0);

  const deliverWake = (wake: StoreWake) => {
    for (const listener of listeners[WAKE_CHANNEL]) listener(wake);
  };

  function hear(message: pg.Notification): void {
    if (!message.payload) return;
    const payload = JSON.parse(message.payload) as WakePayload | ChangesPayload;
    if (payload.from === tag) return;
    if (message.channel === WAKE_CHANNEL) deliverWake({ at: (payload as WakePayload).at });
    if (message.channel === CHANGES_CHANNEL) {
      const { runs, tasks } = payload as ChangesPayload;
      const changes = { runs: runs.map(([instanceId, status, rev]) => ({ instanceId, status, rev })), tasks };
      for (const listener of listeners[CHANGES_CHANNEL]) listener(changes);
    }
  }

  async function connect(): Promise<void> {
    const next = connectClient(url);
    next.on('notification', hear);
    next.on('error', (error) => {
      if (closed || client !== next) return;
      logger.warn('notification listener lost its connection; reconnecting', { error: String(error) });
      client = undefined;
      void next.end().catch(() => {});
      scheduleReconnect();
    });
    await next.connect();
    for (const channel of listening()) await next.query(`LISTEN ${channel}`);
    client = next;
    // Anything sent while no connection listened is unknown: look for work now.
    deliverWake({ at: 0 });
  }

  function scheduleReconnect(): void {
    if (closed || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = undefined;
      connect().catch((error: unknown) => {
        logger.warn('notification listener could not reconnect', { error: String(error) });
        scheduleReconnect();
      });
    }, 500);
  }

  async function listen<L>(channel: Channel, set: Set<L>, listener: L): Promise<() => Promise<void>> {
    const first = set.size === 0;
    set.add(listener);
    closed = false;
    if (connecting) await connecting;
    if (!client && !reconnect) {
      connecting = connect().finally(() => (connecting = undefined));
      await connecting;
    } else if (client && first) {
      await client.query(`LISTEN ${channel}`);
    }
    return async () => {
      set.delete(listener);
      if (listening().length === 0) await close();
      else if (set.size === 0) await client?.query(`UNLISTEN ${channel}`);
    };
  }

  async function close(): Promise<void> {
    closed = true;
    clearTimeout(reconnect);
    reconnect = undefined;
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  }

  return {
    /** The payload for a wake-up this process sends. */
    payload: (at = 0): string => JSON.stringify({ from: tag, at } satisfies WakePayload),
    /** The payloads announcing `changes`: as many as it takes to stay under PostgreSQL's limit. */
    changesPayloads(changes: StoreChanges): string[] {
      const payloads: string[] = [];
      let runs: ChangesPayload['runs'] = [];
      let bytes = 0;
      const flush = () => {
        payloads.push(JSON.stringify({ from: tag, runs, tasks: changes.tasks } satisfies ChangesPayload));
        runs = [];
        bytes = 0;
      };
      for (const run of changes.runs) {
        const entry: ChangesPayload['runs'][number] = [run.instanceId, run.status, run.rev];
        const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
        if (bytes + size > MAX_PAYLOAD_BYTES && runs.length > 0) flush();
        runs.push(entry);
        bytes += size;
      }
      if (runs.length > 0 || changes.tasks) flush();
      return payloads;
    },
    subscribe: (listener: (wake: StoreWake) => void) => listen(WAKE_CHANNEL, listeners[WAKE_CHANNEL], listener),
    subscribeChanges: (listener: (changes: StoreChanges) => void) => listen(CHANGES_CHANNEL, listeners[CHANGES_CHANNEL], listener),
    close,
  };
}

export type WakeChannel = ReturnType<typeof createWakeChannel>;
