// The interpreter and the run it works on name no node kind: what a kind does with an event, a
// wait or a stopped path is asked of its executor (core/kinds/), so a new kind touches neither.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../../shared/nodes/registry.js';
import { executors } from './kinds/index.js';

const kinds = Object.keys(nodeKinds);

describe.each(['interpreter.ts', 'run.ts'])('%s', (file) => {
  const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

  it.each(kinds)('does not name the kind %s', (kind) => {
    expect(source).not.toMatch(new RegExp(`['"\`]${kind}['"\`]`));
  });

  it('imports no executor of a kind, only the map', () => {
    for (const match of source.match(/from '\.\/kinds\/[^']+'/g) ?? []) expect(match).toMatch(/kinds\/(index|executor)\.js'$/);
  });
});

it('every kind of the registry has an executor', () => {
  expect(Object.keys(executors).sort()).toEqual([...kinds].sort());
});
