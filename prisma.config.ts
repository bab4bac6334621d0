// Prisma CLI configuration (Prisma 7 reads the datasource URL here, not from the schema). A
// postgres:// or postgresql:// DATABASE_URL selects the PostgreSQL schema and migrations, which
// are derived from prisma/schema.prisma (see prisma/scripts/derive-postgres-schema.ts).
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ?? 'file:./data/cairn.db';
const folder = /^postgres(ql)?:\/\//i.test(url) ? 'prisma/postgresql' : 'prisma';

export default defineConfig({
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  datasource: { url },
});
