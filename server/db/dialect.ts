// Which kind of database a URL names: `file:` (or a path) is SQLite, `postgresql://` PostgreSQL.
// A leaf: every part that differs by dialect asks here, and nothing here knows either driver.
export type Dialect = 'sqlite' | 'postgresql';

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgresql' : 'sqlite';
}
