// Users, sessions and API tokens, through Prisma (DESIGN §5: the API's reads and writes).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/sqlite/client.js';

export interface UserRecord {
  id: string;
  username: string;
  name: string;
  roles: string[];
  createdAt: Date;
  /** When an admin disabled the user; null while they may sign in. */
  disabledAt: Date | null;
  /** Where approval tasks are e-mailed; null: none are. */
  email: string | null;
}

type UserRow = { id: string; username: string; name: string; roles: string; createdAt: Date; passwordHash: string; disabledAt: Date | null; email: string | null };
const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  name: row.name,
  roles: JSON.parse(row.roles) as string[],
  createdAt: row.createdAt,
  disabledAt: row.disabledAt,
  email: row.email,
});

export function createAccountsRepo(prisma: PrismaClient) {
  return {
    countUsers: () => prisma.user.count(),
    async createUser(user: { username: string; name: string; passwordHash: string; roles: string[]; now: Date; email?: string | null }): Promise<UserRecord> {
      const row = await prisma.user.create({
        data: { id: randomUUID(), username: user.username, name: user.name, passwordHash: user.passwordHash, roles: JSON.stringify(user.roles), createdAt: user.now, email: user.email ?? null },
      });
      return toUser(row);
    },
    /** The first user, only while there is none: two racing set-ups cannot both win. */
    async createFirstUser(user: { username: string; name: string; passwordHash: string; now: Date }): Promise<UserRecord | undefined> {
      return prisma.$transaction(async (tx) => {
        if ((await tx.user.count()) > 0) return undefined;
        const row = await tx.user.create({
          data: { id: randomUUID(), username: user.username, name: user.name, passwordHash: user.passwordHash, roles: JSON.stringify(['admin']), createdAt: user.now },
        });
        return toUser(row);
      });
    },
    async findUserByUsername(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
      const row = await prisma.user.findUnique({ where: { username } });
      return row ? { ...toUser(row), passwordHash: row.passwordHash } : undefined;
    },
    async listUsers(): Promise<UserRecord[]> {
      return (await prisma.user.findMany({ orderBy: { username: 'asc' } })).map(toUser);
    },
    async setRoles(userId: string, roles: string[]): Promise<UserRecord | undefined> {
      const row = await prisma.user.update({ where: { id: userId }, data: { roles: JSON.stringify(roles) } }).catch(() => undefined);
      return row && toUser(row);
    },
    async setEmail(userId: string, email: string | null): Promise<UserRecord | undefined> {
      const row = await prisma.user.update({ where: { id: userId }, data: { email } }).catch(() => undefined);
      return row && toUser(row);
    },
    /** Disabling also ends the user's sessions, in the same transaction. */
    async setDisabled(userId: string, disabledAt: Date | null): Promise<UserRecord | undefined> {
      return prisma.$transaction(async (tx) => {
        // Looked up first: a failed statement would abort the whole transaction on PostgreSQL.
        if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) return undefined;
        const row = await tx.user.update({ where: { id: userId }, data: { disabledAt } });
        if (disabledAt) await tx.session.deleteMany({ where: { userId } });
        return toUser(row);
      });
    },
    /** A new password ends the user's sessions, but the one given (the admin changing their own). */
    async setPassword(userId: string, passwordHash: string, keepSessionId?: string): Promise<UserRecord | undefined> {
      return prisma.$transaction(async (tx) => {
        if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) return undefined;
        const row = await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        await tx.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
        return toUser(row);
      });
    },

    createSession: (session: { id: string; userId: string; csrfToken: string; now: Date; expiresAt: Date }) =>
      prisma.session.create({ data: { id: session.id, userId: session.userId, csrfToken: session.csrfToken, createdAt: session.now, expiresAt: session.expiresAt } }),
    async findSession(id: string) {
      const row = await prisma.session.findUnique({ where: { id }, include: { user: true } });
      return row ? { id: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt, user: toUser(row.user) } : undefined;
    },
    deleteSession: (id: string) => prisma.session.deleteMany({ where: { id } }),

    createToken: (token: { name: string; tokenHash: string; role: string; userId?: string; now: Date }) =>
      prisma.apiToken.create({ data: { id: randomUUID(), name: token.name, tokenHash: token.tokenHash, role: token.role, userId: token.userId, createdAt: token.now } }),
    async findToken(tokenHash: string) {
      const row = await prisma.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
      if (!row || row.revokedAt) return undefined;
      return { id: row.id, name: row.name, role: row.role, user: row.user ? toUser(row.user) : undefined };
    },
    listTokens: () => prisma.apiToken.findMany({ orderBy: { createdAt: 'desc' }, select: { id: true, name: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } }),
    revokeToken: (id: string, now: Date) => prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } }),
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
