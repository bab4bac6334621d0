// What a process needs for callback URLs, made once by the composition root: the signer its worker's
// runs use for `callbacks.<eventNodeId>.url`, and where there is an API, the service that takes the
// POSTs. URLs start with CAIRN_PUBLIC_URL; without it, with the address this server listens on.
import type { SecretKey } from '../credentials/secret-key.js';
import type { EngineDatabase } from '../db/engine-database.js';
import { inboxHoldsSignal } from '../db/repos/callbacks.repo.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { callbackKey, callbackUrlSigner } from './callback-token.js';
import { createCallbacksService, type CallbacksService } from './callbacks.service.js';

/** The base of URLs made before the server listens (a recovered run, a `cairn worker` without CAIRN_PUBLIC_URL). */
const DEFAULT_BASE = 'http://127.0.0.1:3000';

export function callbacksSetup(options: { secretKey: SecretKey; publicUrl?: string }) {
  const key = callbackKey(options.secretKey);
  let listening: string | undefined;
  return {
    callbackUrl: key ? callbackUrlSigner(key, () => options.publicUrl ?? listening ?? DEFAULT_BASE) : undefined,
    /** The server's own address, once it listens. */
    listening(url: string): void {
      listening = url;
    },
    service(deps: { engine: Pick<Engine, 'getRun' | 'signal'>; database: Pick<EngineDatabase, 'scalar'>; clock: Clock }): CallbacksService {
      return createCallbacksService({ key, engine: deps.engine, posted: inboxHoldsSignal(deps.database), clock: deps.clock });
    },
  };
}
