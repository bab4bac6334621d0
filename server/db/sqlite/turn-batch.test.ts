// Writes made in one turn share one transaction; one that throws fails only its caller.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchRoot } from '../../testing/sqlite-template.js';
import { batchedPerTurn } from './turn-batch.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function open() {
  dir = mkdtempSync(path.join(scratchRoot(), 'cairn-turn-batch-'));
  const file = path.join(dir, 'batch.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  return { db, other: new Database(file, { readonly: true }) };
}

describe('batchedPerTurn', () => {
  it('writes of one turn commit together, and each caller learns its own outcome after the commit', async () => {
    const { db, other } = open();
    const committedSeen: number[] = [];
    const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
    const write = batchedPerTurn(db, (text: string) => {
      // What another connection sees while this turn's batch is being written: none of it.
      committedSeen.push((other.prepare("SELECT COUNT(*) AS n FROM notes").get() as { n: number }).n);
      if (text === 'bad') throw new Error('refused: bad');
      return Number(insert.run(text).lastInsertRowid);
    });
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c'].map((text) => write(text)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('refused: bad');
    expect(committedSeen).toEqual([0, 0, 0, 0]);
    expect(db.prepare('SELECT text FROM notes ORDER BY id').all()).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);

    // The next turn is a batch of its own.
    expect(await write('d')).toBe(4);
    expect(committedSeen.at(-1)).toBe(3);
    other.close();
    db.close();
  });

  it('a write that fails after writing leaves nothing of itself behind (its savepoint is rolled back)', async () => {
    const { db, other } = open();
    const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
    const write = batchedPerTurn(db, (text: string) => {
      insert.run(text);
      if (text.startsWith('half')) throw new Error('failed halfway');
      return text;
    });
    const results = await Promise.allSettled([write('one'), write('half-written'), write('two')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(other.prepare('SELECT text FROM notes ORDER BY id').all()).toEqual([{ text: 'one' }, { text: 'two' }]);
    other.close();
    db.close();
  });

  it('a flood is written a bounded batch per turn, so other work runs between the transactions', async () => {
    const { db, other } = open();
    const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
    const write = batchedPerTurn(db, (text: string) => Number(insert.run(text).lastInsertRowid), 2);
    const committedBetween: number[] = [];
    const writes = ['a', 'b', 'c', 'd', 'e'].map((text) => write(text));
    // A turn of other work after each batch: it sees what the batches before it committed.
    for (let turn = 0; turn < 3; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      committedBetween.push((other.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n);
    }
    expect(committedBetween).toEqual([2, 4, 5]);
    expect(await Promise.all(writes)).toEqual([1, 2, 3, 4, 5]);
    other.close();
    db.close();
  });
});
