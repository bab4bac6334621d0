// Statements on a better-sqlite3 connection: reads with their prepared statements kept (the same
// text is prepared once), and the shared programs of db/statements.ts run in one transaction.
import type Database from 'better-sqlite3';
import type { Program, Row, Statement } from '../statements.js';

export function sqliteStatements(db: Database.Database) {
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const execute = ({ kind, sql, params }: Statement): Row[] => {
    if (kind === 'read') return prepare(sql).all(...params) as Row[];
    prepare(sql).run(...params);
    return [];
  };
  return {
    rows: async (sql: string, params: unknown[]): Promise<Row[]> => execute({ kind: 'read', sql, params }),
    /** The whole program in one (synchronous) transaction. */
    transaction: <T>(program: () => Program<T>): T =>
      db.transaction(() => {
        const steps = program();
        let step = steps.next();
        while (!step.done) step = steps.next(execute(step.value));
        return step.value;
      })(),
  };
}
