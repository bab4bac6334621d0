// The services a CLI command needs, on the configured database, without the HTTP server or worker.
import { parseAllowList } from '../actions/egress.js';
import { createEvalsService, type EvalsService } from '../ai/evals/evals.service.js';
import { createModelClient } from '../ai/model-client.js';
import { createActionRegistry, loadTeamActions } from '../actions/team-actions.js';
import type { Config } from '../config.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createAccountsRepo } from '../db/repos/accounts.repo.js';
import { createCredentialsRepo } from '../db/repos/credentials.repo.js';
import { createEvalsRepo } from '../db/repos/evals.repo.js';
import { createScenariosRepo } from '../db/repos/scenarios.repo.js';
import { createWorkflowsRepo } from '../db/repos/workflows.repo.js';
import { systemClock } from '../engine/clock.js';
import { createAccountsService } from '../services/accounts.service.js';
import { createScenariosService, type ScenariosService } from '../services/scenarios.service.js';
import { createWorkflowsService } from '../services/workflows.service.js';

export interface LocalServices {
  workflows: ReturnType<typeof createWorkflowsService>;
  accounts: ReturnType<typeof createAccountsService>;
  scenarios: ScenariosService;
  evals: EvalsService;
}

export async function withLocalServices<T>(config: Config, work: (services: LocalServices) => Promise<T>): Promise<T> {
  await (await openEngineDatabase(config.DATABASE_URL)).close(); // creates (SQLite) and migrates the database if needed
  const prisma = await createPrismaClient(config.DATABASE_URL);
  try {
    // `import --publish` checks steps against the team's actions too.
    const actions = createActionRegistry({ team: await loadTeamActions(config) });
    // `import --publish` is refused like a publish over REST when the workflow requires passing scenarios.
    const scenarios = createScenariosService({ repo: createScenariosRepo(prisma), actions, egress: parseAllowList(config.CAIRN_HTTP_ALLOW), clock: systemClock });
    // …and when an eval set's threshold is not met by the configured models (CAIRN_AI_*).
    const evals = createEvalsService({ repo: createEvalsRepo(prisma), models: createModelClient(config.ai), actions, clock: systemClock });
    return await work({
      scenarios,
      evals,
      workflows: createWorkflowsService({
        repo: createWorkflowsRepo(prisma),
        actions,
        clock: systemClock,
        scenarios: scenarios.hooks,
        evals: evals.hooks,
        // …and when a step names a credential that is not stored.
        credentialNames: async () => (await createCredentialsRepo(prisma).list()).map((row) => row.name),
      }),
      accounts: createAccountsService({ repo: createAccountsRepo(prisma), clock: systemClock }),
    });
  } finally {
    await prisma.$disconnect();
  }
}
