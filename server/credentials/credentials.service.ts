// Managing credentials (admins only, checked by the routes): list, create, rotate, delete. A value is
// validated by its kind, encrypted, and never returned; deleting one that published versions name is
// refused with the workflows and versions that name it.
import { z } from 'zod';
import { credentialNameSchema, credentialValueSchema, type CredentialChoice, type CredentialKind, type CredentialSummary } from '../../shared/credential-kinds.js';
import type { CredentialRow, CredentialsRepo } from '../db/repos/credentials.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { encryptCredential } from './credential-crypto.js';
import { credentialsNamedIn } from './credential-usage.js';
import type { SecretKey } from './secret-key.js';

const description = z.string().max(500, 'the description is longer than 500 characters').nullable().optional();
const createSchema = z.strictObject({ name: credentialNameSchema, description, value: credentialValueSchema });
const rotateSchema = z.strictObject({ description, value: credentialValueSchema });

/** The problems of a request, by field; never the values (a value may be the secret). */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || 'the request';
    if (issue.code === 'unrecognized_keys') return `${field === 'the request' ? '' : `${field}: `}unknown field ${issue.keys.map((key) => JSON.stringify(key.slice(0, 50))).join(', ')}`;
    if (issue.code === 'invalid_union' && issue.path.at(-1) === 'value') return 'value.kind must be bearer, basic, header, query or fields';
    return `${field}: ${issue.message}`;
  });
  throw new ApiError('INVALID_INPUT', problems.join('; '));
}

const summary = (row: CredentialRow): CredentialSummary => ({
  name: row.name,
  kind: row.kind as CredentialKind,
  description: row.description,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  rotatedAt: row.rotatedAt.toISOString(),
});

export interface CredentialUse {
  workflow: string;
  versions: number[];
}

export function createCredentialsService(deps: { repo: CredentialsRepo; key: SecretKey; clock: Clock }) {
  const { repo, clock } = deps;
  const key = (): Buffer => {
    if (!deps.key.ok) throw new ApiError('CONFLICT', `credentials cannot be stored: ${deps.key.reason}`);
    return deps.key.key;
  };
  const checkedName = (name: unknown): string => parse(credentialNameSchema, name);

  async function usage(name: string): Promise<CredentialUse[]> {
    const byWorkflow = new Map<string, number[]>();
    for (const version of await repo.versionGraphs()) {
      let graph: unknown;
      try {
        graph = JSON.parse(version.graph);
      } catch {
        continue;
      }
      if (!credentialsNamedIn(graph).has(name)) continue;
      byWorkflow.set(version.workflow.slug, [...(byWorkflow.get(version.workflow.slug) ?? []), version.version]);
    }
    return [...byWorkflow].map(([workflow, versions]) => ({ workflow, versions: versions.sort((a, b) => a - b) })).sort((a, b) => a.workflow.localeCompare(b.workflow));
  }

  return {
    /** Whether credentials can be stored here (a key is configured), and why not. */
    status: () => (deps.key.ok ? { available: true as const } : { available: false as const, reason: deps.key.reason }),
    list: async (): Promise<CredentialSummary[]> => (await repo.list()).map(summary),
    /** What a step's credential picker offers, and publish checks names against: no values, no who or when. */
    choices: async (): Promise<CredentialChoice[]> => (await repo.list()).map((row) => ({ name: row.name, kind: row.kind as CredentialKind, description: row.description })),
    names: async (): Promise<string[]> => (await repo.list()).map((row) => row.name),

    async create(input: unknown, by: string | null): Promise<CredentialSummary> {
      const request = parse(createSchema, input);
      const now = new Date(clock.now());
      const created = await repo.create({ name: request.name, kind: request.value.kind, description: request.description ?? null, secret: encryptCredential(key(), request.name, request.value), createdBy: by, now });
      if (!created) throw new ApiError('CONFLICT', `a credential named "${request.name}" exists: rotate it to change its value, or delete it first`);
      return summary((await repo.find(request.name))!);
    },

    /** A new value (and kind) for an existing credential; the next attempt of any step uses it. */
    async rotate(name: unknown, input: unknown): Promise<CredentialSummary> {
      const checked = checkedName(name);
      const request = parse(rotateSchema, input);
      const rotated = await repo.rotate(checked, { kind: request.value.kind, secret: encryptCredential(key(), checked, request.value), description: request.description, now: new Date(clock.now()) });
      if (!rotated) throw new ApiError('NOT_FOUND', `no credential named "${checked}"`);
      return summary((await repo.find(checked))!);
    },

    async remove(name: unknown): Promise<void> {
      const checked = checkedName(name);
      if (!(await repo.find(checked))) throw new ApiError('NOT_FOUND', `no credential named "${checked}"`);
      const uses = await usage(checked);
      if (uses.length > 0) {
        const listed = uses.map((use) => `${use.workflow} (version${use.versions.length > 1 ? 's' : ''} ${use.versions.join(', ')})`).join(', ');
        throw new ApiError('CONFLICT', `credential "${checked}" is used by published versions of ${listed}: any of them may still run or be promoted again. Rotate it instead, or delete those workflows first`, { workflows: uses });
      }
      await repo.remove(checked);
    },

    usage: async (name: unknown) => usage(checkedName(name)),
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
