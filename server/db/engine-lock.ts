// One engine per SQLite file, and one live process per worker id on PostgreSQL (DESIGN §3,
// Containment). Two engines on one SQLite file duplicated side effects and locked each other out;
// two processes with one worker id took each other's runs as their own. The locks are the kind the
// operating system or PostgreSQL drops when the holder dies, so a crashed process never blocks its
// successor. Tools that open the database without an engine (migrate, token, export, import) take none.
import type { Logger } from '../logger.js';
import type { Dialect } from './dialect.js';

/** Start-up refused: another live process holds the lock. The message says which and what to do. */
export class EngineLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineLockError';
  }
}

export interface EngineLock {
  readonly dialect: Dialect;
  /** Give the lock up (on close); a second call does nothing. */
  release(): Promise<void>;
}

export interface EngineLockOptions {
  /** The worker id this process runs its engine as. */
  workerId: string;
  /**
   * PostgreSQL: the lock's connection was lost and, when it came back, another process held the id.
   * This process must stop working under it. Without a listener the loss is only logged.
   */
  onLost?: (error: EngineLockError) => void;
  logger?: Logger;
}
