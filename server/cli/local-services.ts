// The services a CLI command needs, on the configured database, without the HTTP server or worker.
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry } from '../actions/registry.js';
import type { Config } from '../config.js';
import { createSqlitePrismaClient } from '../db/prisma-client.js';
import { createAccountsRepo } from '../db/repos/accounts.repo.js';
import { createWorkflowsRepo } from '../db/repos/workflows.repo.js';
import { openSqlite, sqlitePath } from '../db/sqlite/open.js';
import { systemClock } from '../engine/clock.js';
import { createAccountsService } from '../services/accounts.service.js';
import { createWorkflowsService } from '../services/workflows.service.js';

export async function withLocalServices<T>(config: Config, work: (services: { workflows: ReturnType<typeof createWorkflowsService>; accounts: ReturnType<typeof createAccountsService> }) => Promise<T>): Promise<T> {
  openSqlite(config.DATABASE_URL).close(); // creates and migrates the file if needed
  const prisma = createSqlitePrismaClient(sqlitePath(config.DATABASE_URL));
  await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  try {
    const actions = new ActionRegistry(builtinActions);
    return await work({
      workflows: createWorkflowsService({ repo: createWorkflowsRepo(prisma), actions, clock: systemClock }),
      accounts: createAccountsService({ repo: createAccountsRepo(prisma), clock: systemClock }),
    });
  } finally {
    await prisma.$disconnect();
  }
}
