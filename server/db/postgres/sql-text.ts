// SQL text for PostgreSQL that code shared by both dialects builds: the conversion of the engine's
// epoch-millisecond times to and from the `timestamp(3)` (UTC) columns Prisma creates, and `?`
// placeholders numbered. Apart from sql.ts so that a SQLite process never loads the `pg` driver.

/** A parameter in epoch ms → timestamp (UTC). */
export const ts = (param: string): string => `(to_timestamp((${param})::float8 / 1000) AT TIME ZONE 'UTC')`;

/** A timestamp column → epoch ms (a JS number: float8 holds every millisecond exactly). */
export const ms = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;

/** `?` → `$1`, `$2`, … (the form the shared queries are written in), except inside quoted strings and identifiers. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '?') {
      out += `$${++n}`;
      continue;
    }
    out += char;
  }
  return out;
}
