// Workflow versions on PostgreSQL as the engine sees them (immutable graphs, cached after the
// first read), and the minimal publish used by the CLI, tests and benchmarks.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { graphSchema } from '../../../shared/graph/graph.schema.js';
import type { VersionRecord } from '../../engine/store.js';
import type { PublishedVersion, PublishOptions } from '../engine-database.js';
import { graphHash } from '../sqlite/versions.js';
import { transaction, ts } from './sql.js';

interface VersionRow {
  id: string;
  workflow_id: string;
  slug: string;
  version: number;
  graph: string;
}

export function createVersionReader(pool: pg.Pool) {
  const cache = new Map<string, VersionRecord>();
  async function load(versionId: string): Promise<VersionRecord> {
    const cached = cache.get(versionId);
    if (cached) return cached;
    const { rows } = await pool.query<VersionRow>(
      'SELECT v.id, v.workflow_id, w.slug, v.version, v.graph FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = $1',
      [versionId],
    );
    const row = rows[0];
    if (!row) throw new Error(`invariant: version ${versionId} does not exist`);
    const record = { versionId: row.id, workflowId: row.workflow_id, workflowSlug: row.slug, version: row.version, graph: graphSchema.parse(JSON.parse(row.graph)) };
    cache.set(row.id, record);
    return record;
  }
  return {
    load,
    async active(slug: string): Promise<VersionRecord | undefined> {
      // Only the id: the graph of a known version comes from the cache (versions are immutable).
      const { rows } = await pool.query<{ id: string }>(
        'SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.active_version WHERE w.slug = $1',
        [slug],
      );
      return rows[0] ? load(rows[0].id) : undefined;
    },
  };
}

export function publishVersion(pool: pg.Pool, options: PublishOptions): Promise<PublishedVersion> {
  return transaction(pool, async (client) => {
    const draft = JSON.stringify(options.graph);
    await client.query(
      `INSERT INTO workflows (id, slug, name, draft, created_at, updated_at) VALUES ($1, $2, $3, $4, ${ts('$5')}, ${ts('$5')})
       ON CONFLICT (slug) DO NOTHING`,
      [randomUUID(), options.slug, options.name ?? options.slug, draft, options.now],
    );
    // Locking the workflow row serialises concurrent publishes of one workflow.
    const { rows } = await client.query<{ id: string }>('SELECT id FROM workflows WHERE slug = $1 FOR UPDATE', [options.slug]);
    const workflowId = rows[0].id;
    const { rows: next } = await client.query<{ next: number }>(
      'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM workflow_versions WHERE workflow_id = $1',
      [workflowId],
    );
    const version = next[0].next;
    const versionId = randomUUID();
    await client.query(
      `INSERT INTO workflow_versions (id, workflow_id, version, graph, graph_hash, note, published_at) VALUES ($1, $2, $3, $4, $5, $6, ${ts('$7')})`,
      [versionId, workflowId, version, draft, graphHash(options.graph), options.note ?? null, options.now],
    );
    await client.query(`UPDATE workflows SET active_version = $1, updated_at = ${ts('$2')} WHERE id = $3`, [version, options.now, workflowId]);
    return { workflowId, versionId, version };
  });
}
