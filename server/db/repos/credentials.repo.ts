// Credentials through Prisma (the API's reads and writes), plus the one read the action runner makes
// at run time through the engine database's driver (a `cairn worker` process has no Prisma).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/sqlite/client.js';
import type { EngineDatabase } from '../engine-database.js';

export interface CredentialRow {
  name: string;
  kind: string;
  description: string | null;
  createdBy: string | null;
  createdAt: Date;
  rotatedAt: Date;
}

const listed = { name: true, kind: true, description: true, createdBy: true, createdAt: true, rotatedAt: true } as const;

export function createCredentialsRepo(prisma: PrismaClient) {
  return {
    list: (): Promise<CredentialRow[]> => prisma.credential.findMany({ orderBy: { name: 'asc' }, select: listed }),
    find: (name: string): Promise<CredentialRow | null> => prisma.credential.findUnique({ where: { name }, select: listed }),
    /** False when the name is taken. */
    async create(row: { name: string; kind: string; description: string | null; secret: string; createdBy: string | null; now: Date }): Promise<boolean> {
      try {
        await prisma.credential.create({ data: { id: randomUUID(), name: row.name, kind: row.kind, description: row.description, secret: row.secret, createdBy: row.createdBy, createdAt: row.now, rotatedAt: row.now } });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
    },
    /** False when there is no such credential. */
    async rotate(name: string, change: { kind: string; secret: string; description?: string | null; now: Date }): Promise<boolean> {
      const { count } = await prisma.credential.updateMany({
        where: { name },
        data: { kind: change.kind, secret: change.secret, rotatedAt: change.now, ...(change.description !== undefined ? { description: change.description } : {}) },
      });
      return count > 0;
    },
    async remove(name: string): Promise<boolean> {
      const { count } = await prisma.credential.deleteMany({ where: { name } });
      return count > 0;
    },
    /** Every published version's graph with its workflow's slug (to find where a credential is used). */
    versionGraphs: () => prisma.workflowVersion.findMany({ select: { version: true, graph: true, workflow: { select: { slug: true } } } }),
  };
}

export type CredentialsRepo = ReturnType<typeof createCredentialsRepo>;

/** The stored ciphertext of one credential, read through the engine's driver. */
export function readCredentialSecret(database: Pick<EngineDatabase, 'scalar'>) {
  return async (name: string): Promise<string | undefined> => (await database.scalar<string | undefined>('SELECT secret FROM credentials WHERE name = ?', name)) ?? undefined;
}
