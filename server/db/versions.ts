// Workflow versions on either dialect: the engine's reader (immutable graphs, cached after the
// first read) and the one publish (create the workflow if needed, add the graph as its next version,
// make it active), written once; only the time and lock clauses differ by dialect.
import { createHash, randomUUID } from 'node:crypto';
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import type { VersionRecord } from '../engine/store.js';
import type { Dialect } from './dialect.js';
import { ts } from './postgres/sql-text.js';
import { read, write, type Program, type Row } from './statements.js';

export function graphHash(graph: Graph): string {
  return createHash('sha256').update(JSON.stringify(graph)).digest('hex');
}

interface VersionRow {
  id: string;
  workflow_id: string;
  slug: string;
  version: number;
  graph: string;
}

const BY_ID = 'SELECT v.id, v.workflow_id, w.slug, v.version, v.graph FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = ?';
// Only the id: the graph of a known version comes from the cache (versions are immutable).
const ACTIVE_ID = 'SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.active_version WHERE w.slug = ?';

/** `rows` runs one query (`?` placeholders) on the dialect's connection. */
export function createVersionReader(rows: (sql: string, params: unknown[]) => Promise<Row[]>) {
  // The promise is cached, not the record: starts racing on a version not read yet (thousands at
  // once) share one read and one parse of its graph.
  const cache = new Map<string, Promise<VersionRecord>>();
  async function read(versionId: string): Promise<VersionRecord> {
    const [row] = (await rows(BY_ID, [versionId])) as unknown as VersionRow[];
    if (!row) throw new Error(`invariant: version ${versionId} does not exist`);
    return { versionId: row.id, workflowId: row.workflow_id, workflowSlug: row.slug, version: Number(row.version), graph: graphSchema.parse(JSON.parse(row.graph)) };
  }
  function load(versionId: string): Promise<VersionRecord> {
    let version = cache.get(versionId);
    if (!version) {
      cache.set(versionId, (version = read(versionId)));
      // A failed read (the database was busy) is not remembered.
      version.catch(() => cache.delete(versionId));
    }
    return version;
  }
  return {
    load,
    async active(slug: string): Promise<VersionRecord | undefined> {
      const [row] = await rows(ACTIVE_ID, [slug]);
      return row ? load(row.id as string) : undefined;
    },
  };
}

export interface PublishOptions {
  slug: string;
  /** The workflow's name when the publish creates it (default: the slug). */
  name?: string;
  graph: Graph;
  note?: string;
  /** Epoch milliseconds. */
  now: number;
  /** The team actions the graph uses, as JSON (server/actions/version-actions.ts); none when absent. */
  actions?: string;
}

export interface PublishedVersion {
  workflowId: string;
  versionId: string;
  version: number;
}

/** Times are epoch ms on SQLite and timestamp(3) UTC on PostgreSQL (as Prisma creates both). */
const at = (dialect: Dialect) => (dialect === 'postgresql' ? ts('?') : '?');

/** Create the workflow if needed, add the graph as its next version and make it active. */
export function* publishVersion(dialect: Dialect, options: PublishOptions): Program<PublishedVersion> {
  const draft = JSON.stringify(options.graph);
  yield write(
    `INSERT INTO workflows (id, slug, name, draft, created_at, updated_at) VALUES (?, ?, ?, ?, ${at(dialect)}, ${at(dialect)}) ON CONFLICT (slug) DO NOTHING`,
    randomUUID(), options.slug, options.name ?? options.slug, draft, options.now, options.now,
  );
  // Locking the workflow row serialises concurrent publishes of one workflow (SQLite's write
  // transaction already does).
  const [workflow] = yield read(`SELECT id FROM workflows WHERE slug = ?${dialect === 'postgresql' ? ' FOR UPDATE' : ''}`, options.slug);
  const workflowId = workflow.id as string;
  const [next] = yield read('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM workflow_versions WHERE workflow_id = ?', workflowId);
  const version = Number(next.next);
  const versionId = randomUUID();
  yield write(
    `INSERT INTO workflow_versions (id, workflow_id, version, graph, graph_hash, note, published_at, actions) VALUES (?, ?, ?, ?, ?, ?, ${at(dialect)}, ?)`,
    versionId, workflowId, version, draft, graphHash(options.graph), options.note ?? null, options.now, options.actions ?? null,
  );
  yield write(`UPDATE workflows SET active_version = ?, updated_at = ${at(dialect)} WHERE id = ?`, version, options.now, workflowId);
  return { workflowId, versionId, version };
}
