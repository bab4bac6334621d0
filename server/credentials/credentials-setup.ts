// What a process needs for credentials, made once by its composition root: the key (checked at
// start-up: a bad CAIRN_SECRET_KEY stops it with a message naming the variable), the source actions
// resolve names from at run time, and, where there is an API, the service that manages them.
import type { Clock } from '../engine/clock.js';
import type { EngineDatabase } from '../db/engine-database.js';
import type { PrismaClient } from '../db/generated/sqlite/client.js';
import { createCredentialsRepo, readCredentialSecret } from '../db/repos/credentials.repo.js';
import { createCredentialSource, type CredentialSource } from './credential-source.js';
import { createCredentialsService, type CredentialsService } from './credentials.service.js';
import { loadSecretKey, type SecretKey } from './secret-key.js';

export interface CredentialsSetup {
  key: SecretKey;
  source: CredentialSource;
}

/** Reads or creates the key (see secret-key.ts); call before opening anything else, so a bad key stops start-up first. */
export function credentialsKey(options: { secretKey?: string; databaseUrl: string }): SecretKey {
  return loadSecretKey(options);
}

export function credentialSource(key: SecretKey, database: Pick<EngineDatabase, 'scalar'>): CredentialSource {
  return createCredentialSource(key, readCredentialSecret(database));
}

export function credentialsService(key: SecretKey, prisma: PrismaClient, clock: Clock): CredentialsService {
  return createCredentialsService({ repo: createCredentialsRepo(prisma), key, clock });
}
