// A test's own read-only view of a database of either kind, for assertions on what is stored (also
// while another process writes to it). Plain SQL both kinds accept, with `?` placeholders; 64-bit
// integers (PostgreSQL's COUNT) come back as numbers and timestamps as epoch milliseconds, as on SQLite.
import Database from 'better-sqlite3';
import pg from 'pg';
import { dialectOf } from '../db/engine-database.js';
import { numberedPlaceholders } from '../db/postgres/sql.js';
import { sqlitePath } from '../db/sqlite/open.js';

export interface DatabaseReader {
  rows<Row = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<Row[]>;
  /** The first column of the first row; undefined without rows. */
  scalar<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  /** A scalar as a number (PostgreSQL returns COUNT as bigint). */
  count(sql: string, ...params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function openDatabaseReader(url: string): Promise<DatabaseReader> {
  const rows = dialectOf(url) === 'postgresql' ? await postgresRows(url) : sqliteRows(url);
  const scalar = async <T>(sql: string, ...params: unknown[]): Promise<T> => {
    const [first] = await rows.read(sql, params);
    return (first ? Object.values(first)[0] : undefined) as T;
  };
  return {
    rows: <Row>(sql: string, ...params: unknown[]) => rows.read(sql, params) as Promise<Row[]>,
    scalar,
    count: async (sql, ...params) => Number(await scalar(sql, ...params)),
    close: rows.close,
  };
}

interface RowSource {
  read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

function sqliteRows(url: string): RowSource {
  const db = new Database(sqlitePath(url), { readonly: true });
  return {
    read: async (sql, params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    close: async () => void db.close(),
  };
}

const INT8 = 20;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

async function postgresRows(url: string): Promise<RowSource> {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8) return Number;
        // A timestamp without time zone holds UTC (as Prisma writes it).
        if (oid === TIMESTAMP) return (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
        if (oid === TIMESTAMPTZ) return (text: string) => (pg.types.getTypeParser(TIMESTAMPTZ)(text) as Date).getTime();
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends (the database dropped under it) must not crash the test process;
  // the next query reports it.
  client.on('error', () => {});
  await client.connect();
  return {
    read: async (sql, params) => (await client.query(numberedPlaceholders(sql), params)).rows as Record<string, unknown>[],
    close: () => client.end(),
  };
}
