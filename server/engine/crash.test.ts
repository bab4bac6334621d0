// Crash tests: a real child process is killed with SIGKILL mid-run and restarted. Every run must
// finish, every step key reach the sink, and no step completion be recorded twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { openDatabaseReader } from '../testing/database-reader.js';
import { scratchRoot, until } from '../testing/harness.js';

const childScript = fileURLToPath(new URL('../testing/crash-child.ts', import.meta.url));
let dir: string | undefined;
let database: TestDatabase | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited; // before dropping the database it may still hold
  }
  child = undefined;
  await database?.drop();
  database = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A fresh database (its URL is what the child gets) and a sink file the child's steps append to. */
async function setUp() {
  database = await createTestDatabase();
  dir = mkdtempSync(path.join(scratchRoot(), 'cairn-crash-'));
  return { url: database.url, sink: path.join(dir, 'sink.log') };
}

function spawnChild(args: string[]): { process: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  child = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
  return { process: child, exited };
}

const sinkLines = (sink: string) => (existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean) : []);

describe('crash and restart', () => {
  it('200 runs × 10 steps survive a SIGKILL mid-run: all complete, no step completion recorded twice', async () => {
    const { url, sink } = await setUp();
    const first = spawnChild([url, sink, 'start', 'tenSteps', '200']);
    await until(() => sinkLines(sink).length >= 300, { timeoutMs: 60_000, what: '300 steps in the sink' });
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const killedAt = sinkLines(sink).length;
    expect(killedAt).toBeLessThan(2_000);

    const second = spawnChild([url, sink, 'resume', 'tenSteps']);
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const reader = await openDatabaseReader(url);
    const statuses = await reader.rows('SELECT status, COUNT(*) AS n FROM instances GROUP BY status');
    expect(statuses).toEqual([{ status: 'completed', n: 200 }]);
    const twice = await reader.rows(
      `SELECT instance_id, node_id, visit, COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' GROUP BY instance_id, node_id, visit HAVING COUNT(*) > 1`,
    );
    expect(twice).toEqual([]);
    const ids = await reader.rows<{ id: string }>('SELECT id FROM instances');
    await reader.close();

    const lines = sinkLines(sink);
    const expected = ids.flatMap(({ id }) => Array.from({ length: 10 }, (_, i) => `${id}:s${i + 1}:1`));
    const seen = new Set(lines);
    expect(expected.filter((key) => !seen.has(key))).toEqual([]);
    const duplicates = lines.length - seen.size;
    console.log(`crash test: killed after ${killedAt} sink lines; ${lines.length} lines for ${expected.length} step keys; ${duplicates} duplicate side effects (attempts interrupted by the kill and retried)`);
    expect(seen.size).toBe(expected.length);
  }, 120_000);

  it('a step that kills the process on every attempt is quarantined after 3 restarts, although its retry policy allows 10 attempts', async () => {
    const { url, sink } = await setUp();
    let spawns = 0;
    let exit = { code: null as number | null, signal: null as NodeJS.Signals | null };
    while (spawns < 6) {
      spawns++;
      exit = await spawnChild([url, sink, spawns === 1 ? 'start' : 'resume', 'killer', '1']).exited;
      if (exit.code === 0) break;
      expect(exit.signal).toBe('SIGKILL');
    }
    expect(exit.code).toBe(0);
    expect(spawns).toBe(4);
    const reader = await openDatabaseReader(url);
    const [run] = await reader.rows<{ id: string; status: string; error: string }>('SELECT id, status, error FROM instances');
    const attempts = await reader.rows(`SELECT attempt FROM history_events WHERE instance_id = ? AND type = 'stepAttemptStarted' ORDER BY seq`, run.id);
    await reader.close();
    expect(run.status).toBe('failed');
    expect(JSON.parse(run.error)).toMatchObject({ code: 'QUARANTINED', nodeId: 'boom', message: expect.stringContaining('interrupted 3 times in a row') });
    expect(attempts).toEqual([{ attempt: 1 }, { attempt: 2 }, { attempt: 3 }]);
    expect(sinkLines(sink)).toEqual([1, 2, 3].map((attempt) => `${run.id}:boom:1#${attempt}`));
  }, 120_000);
});
