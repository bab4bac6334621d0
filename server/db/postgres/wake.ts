// Wake-ups between processes that share one PostgreSQL database (LISTEN/NOTIFY): a transaction
// that leaves work for others — an inbox row, a run nobody holds yet, a timer — notifies on one
// channel as it commits, and every worker's listener hears it. Workers then sleep until told or
// until their next known wake-up, instead of polling.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { StoreWake } from '../../engine/store.js';
import { connectClient } from './sql.js';

export const WAKE_CHANNEL = 'cairn_work';

export const notifySql = (payloadParam: string): string => `pg_notify('${WAKE_CHANNEL}', ${payloadParam})`;

interface WakePayload {
  /** The store instance that sent it: a process does not need to hear its own wake-ups. */
  from: string;
  /** Epoch ms the work is due; 0 means now. */
  at: number;
}

export function createWakeChannel(url: string, logger: { warn(message: string, data?: object): void }) {
  const tag = randomUUID();
  const listeners = new Set<(wake: StoreWake) => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let reconnect: NodeJS.Timeout | undefined;

  const deliver = (wake: StoreWake) => {
    for (const listener of listeners) listener(wake);
  };

  async function connect(): Promise<void> {
    const next = connectClient(url);
    next.on('notification', (message) => {
      if (!message.payload) return;
      const payload = JSON.parse(message.payload) as WakePayload;
      if (payload.from !== tag) deliver({ at: payload.at });
    });
    next.on('error', (error) => {
      if (closed || client !== next) return;
      logger.warn('wake-up listener lost its connection; reconnecting', { error: String(error) });
      client = undefined;
      void next.end().catch(() => {});
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${WAKE_CHANNEL}`);
    client = next;
    // Anything sent while no connection listened is unknown: look for work now.
    deliver({ at: 0 });
  }

  function scheduleReconnect(): void {
    if (closed || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = undefined;
      connect().catch((error: unknown) => {
        logger.warn('wake-up listener could not reconnect', { error: String(error) });
        scheduleReconnect();
      });
    }, 500);
  }

  return {
    /** The payload for a wake-up this process sends. */
    payload: (at = 0): string => JSON.stringify({ from: tag, at } satisfies WakePayload),
    async subscribe(listener: (wake: StoreWake) => void): Promise<() => Promise<void>> {
      listeners.add(listener);
      closed = false;
      if (!client && !reconnect) await connect();
      return async () => {
        listeners.delete(listener);
        if (listeners.size === 0) await this.close();
      };
    },
    async close(): Promise<void> {
      closed = true;
      clearTimeout(reconnect);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}

export type WakeChannel = ReturnType<typeof createWakeChannel>;
