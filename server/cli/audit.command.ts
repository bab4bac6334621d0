// `cairn audit verify` checks the approvals' hash-chained audit log (server/db/audit-chain.ts) and the
// decision rows against it: exit 0 naming the entries and the head hash, or exit 1 naming the first
// broken entry. `cairn audit export` writes the log as JSON Lines, one entry a line, in order.
import type { Config } from '../config.js';
import { verifyAuditLog, auditPage } from '../db/audit-verify.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { CliError } from './cli-error.js';

export const AUDIT_USAGE = `  audit verify                          check the approvals' audit log; exit 1 naming the first broken entry
  audit export                          print the audit log as JSON Lines`;

export async function auditCli(args: string[], loadConfig: () => Config, print: (line: string) => void): Promise<number> {
  const [verb, ...extra] = args;
  if ((verb !== 'verify' && verb !== 'export') || extra.length > 0) throw new CliError(`usage:\n${AUDIT_USAGE}`);
  const config = loadConfig();
  const database = await openEngineDatabase(config.DATABASE_URL, { migrate: false });
  try {
    const run = database.transact.bind(database);
    if (verb === 'export') {
      for (let after = 0; ; ) {
        const page = await run(() => auditPage(database.dialect, after));
        if (page.length === 0) return 0;
        for (const row of page) print(JSON.stringify({ ...row, at: new Date(row.at).toISOString(), data: JSON.parse(row.data) as unknown }));
        after = page[page.length - 1].seq;
      }
    }
    const verdict = await verifyAuditLog(run, database.dialect);
    if (verdict.ok) {
      print(`audit log intact: ${verdict.entries} entries, head ${verdict.head}`);
      return 0;
    }
    print(`audit log BROKEN at entry ${verdict.seq}: ${verdict.problem} (${verdict.entries} entries before it are intact)`);
    return 1;
  } finally {
    await database.close();
  }
}
