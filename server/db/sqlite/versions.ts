// Workflow versions as the engine sees them: immutable graphs, cached after the first read.
// `publishVersion` is the minimal write path used by the CLI, tests and benchmarks.
import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { graphSchema, type Graph } from '../../../shared/graph/graph.schema.js';
import type { VersionRecord } from '../../engine/store.js';

interface VersionRow {
  id: string;
  workflow_id: string;
  slug: string;
  version: number;
  graph: string;
}

export function createVersionReader(db: Database.Database) {
  const byId = db.prepare<[string], VersionRow>(
    `SELECT v.id, v.workflow_id, w.slug, v.version, v.graph FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = ?`,
  );
  // Only the id: the graph of a known version comes from the cache (versions are immutable).
  const activeIdBySlug = db.prepare<[string], string>(
    `SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.active_version WHERE w.slug = ?`,
  ).pluck();
  const cache = new Map<string, VersionRecord>();
  const toRecord = (row: VersionRow): VersionRecord => {
    const cached = cache.get(row.id);
    if (cached) return cached;
    const record = { versionId: row.id, workflowId: row.workflow_id, workflowSlug: row.slug, version: row.version, graph: graphSchema.parse(JSON.parse(row.graph)) };
    cache.set(row.id, record);
    return record;
  };
  return {
    load(versionId: string): VersionRecord {
      const cached = cache.get(versionId);
      if (cached) return cached;
      const row = byId.get(versionId);
      if (!row) throw new Error(`invariant: version ${versionId} does not exist`);
      return toRecord(row);
    },
    active(slug: string): VersionRecord | undefined {
      const versionId = activeIdBySlug.get(slug);
      return versionId === undefined ? undefined : this.load(versionId);
    },
  };
}

export function graphHash(graph: Graph): string {
  return createHash('sha256').update(JSON.stringify(graph)).digest('hex');
}

/** Create the workflow if needed, add the graph as its next version and make it active. */
export function publishVersion(db: Database.Database, options: { slug: string; name?: string; graph: Graph; note?: string; now: number }) {
  return db.transaction(() => {
    const draft = JSON.stringify(options.graph);
    let workflow = db.prepare<[string], { id: string }>('SELECT id FROM workflows WHERE slug = ?').get(options.slug);
    if (!workflow) {
      workflow = { id: randomUUID() };
      db.prepare('INSERT INTO workflows (id, slug, name, draft, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        workflow.id, options.slug, options.name ?? options.slug, draft, options.now, options.now,
      );
    }
    const { next } = db.prepare<[string], { next: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM workflow_versions WHERE workflow_id = ?').get(workflow.id)!;
    const versionId = randomUUID();
    db.prepare('INSERT INTO workflow_versions (id, workflow_id, version, graph, graph_hash, note, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      versionId, workflow.id, next, draft, graphHash(options.graph), options.note ?? null, options.now,
    );
    db.prepare('UPDATE workflows SET active_version = ?, updated_at = ? WHERE id = ?').run(next, options.now, workflow.id);
    return { workflowId: workflow.id, versionId, version: next };
  })();
}
