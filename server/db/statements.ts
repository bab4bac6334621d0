// A transaction written once for both dialects: a generator yields its statements (`?` placeholders)
// and receives each one's rows. SQLite's transactions are synchronous (better-sqlite3) and
// PostgreSQL's are not, so the logic cannot be one async function: each connection kind runs the
// same program its own way (sqlite/statements.ts; runStatements below for pg and Prisma).
export interface Statement {
  /** `read` answers rows; `write` answers none. */
  kind: 'read' | 'write';
  sql: string;
  params: unknown[];
}

export type Row = Record<string, unknown>;

export type Program<T> = Generator<Statement, T, Row[]>;

export const read = (sql: string, ...params: unknown[]): Statement => ({ kind: 'read', sql, params });
export const write = (sql: string, ...params: unknown[]): Statement => ({ kind: 'write', sql, params });

/** Runs `program` statement by statement through `execute` (inside the caller's transaction). */
export async function runStatements<T>(program: Program<T>, execute: (statement: Statement) => Promise<Row[]>): Promise<T> {
  let step = program.next();
  while (!step.done) step = program.next(await execute(step.value));
  return step.value;
}
