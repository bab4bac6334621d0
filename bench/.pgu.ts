import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
const ROOT = '/work/main';
const { userStepsRound } = await import(`${ROOT}/bench/users.ts`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'pgu-'));
const adminUrl = process.env.PGURL ?? execFileSync('bash', ['/work/main/scripts/postgres.sh', 'start', dir], { encoding: 'utf8' }).trim();
async function admin(work: (c: pg.Client) => Promise<unknown>) { const c = new pg.Client({ connectionString: adminUrl }); await c.connect(); try { return await work(c); } finally { await c.end(); } }
try {
  const floors: number[] = [];
  for (let r = 0; r < 3; r++) floors.push(await admin(async (c) => { await c.query('CREATE TABLE IF NOT EXISTS bf (id bigserial PRIMARY KEY, v text)'); for (let i = 0; i < 100; i++) await c.query('INSERT INTO bf (v) VALUES ($1)', ['w']); const t = performance.now(); for (let i = 0; i < 2000; i++) await c.query('INSERT INTO bf (v) VALUES ($1)', ['r']); const x = 2000 / ((performance.now() - t) / 1000); await c.query('DROP TABLE bf'); return x; }) as number);
  floors.sort((a, b) => a - b); const floor = floors[1];
  const res: any[] = [];
  for (let round = 0; round <= 3; round++) {
    const name = `u_${round}_${process.pid}`;
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => c.query(`CREATE DATABASE ${name}`)));
    const u = new URL(adminUrl); u.pathname = '/' + name;
    const r = await userStepsRound(u.toString(), round === 0 ? 200 : 1000);
    { const c = new pg.Client({ connectionString: u.toString() }); await c.connect(); const { rows } = await c.query("SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname IN ('instances','history_events')"); console.log(round, JSON.stringify(rows)); await c.end(); }
    if (round > 0) res.push(r);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  console.log(ROOT, 'floor', floor.toFixed(0), 'steps', res.map((r) => r.stepsPerSec.toFixed(0)), 'x floor', res.map((r) => (r.stepsPerSec / floor).toFixed(2)), 'cpu', res.map((r) => r.cpuMicrosPerStep.toFixed(0)), 'cp/tx', res.map((r) => r.checkpointsPerTransaction.toFixed(0)));
} finally { if (!process.env.PGURL) execFileSync('bash', ['/work/main/scripts/postgres.sh', 'stop', dir]); }
