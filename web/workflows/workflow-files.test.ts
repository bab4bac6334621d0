// The workflows page's pure helpers: slugs, import files (both shapes the CLI accepts) and times.
import { describe, expect, it } from 'vitest';
import { freeSlug, importSummary, nameFromSlug, readImportFile, slugify, slugProblem } from './workflow-files.js';

describe('slugs', () => {
  it.each([
    ['Expense approval', 'expense-approval'],
    ['  Café  Crème (EU) ', 'cafe-creme-eu'],
    ['--Hello__World--', 'hello-world'],
    ['Ünïcödé & symbols!', 'unicode-symbols'],
    ['', ''],
    ['x'.repeat(80), 'x'.repeat(63)],
  ])('slugify(%j) is %j', (name, slug) => expect(slugify(name)).toBe(slug));

  it('never ends in a dash when cut to length', () => expect(slugify(`${'a'.repeat(62)} b`)).toBe('a'.repeat(62)));

  it('says why a slug cannot be used', () => {
    const taken = new Set(['orders']);
    expect(slugProblem('', taken)).toMatch(/enter/i);
    expect(slugProblem('Orders', taken)).toMatch(/lower-case/);
    expect(slugProblem('-orders', taken)).toMatch(/starting/);
    expect(slugProblem('orders', taken)).toMatch(/already exists/);
    expect(slugProblem('orders-2', taken)).toBeNull();
  });

  it('finds a free copy slug', () => {
    expect(freeSlug('orders', new Set())).toBe('orders-copy');
    expect(freeSlug('orders', new Set(['orders-copy', 'orders-copy-2']))).toBe('orders-copy-3');
    expect(freeSlug('o'.repeat(63), new Set()).length).toBeLessThanOrEqual(63);
  });

  it('makes a name from a slug', () => expect(nameFromSlug('payment-retry')).toBe('Payment retry'));
});

describe('readImportFile', () => {
  const graph = { format: 'cairn.graph/v1', nodes: [], edges: [] };

  it('reads a bare graph, naming it after the file', () => {
    expect(readImportFile(JSON.stringify(graph), 'Payment Retry.json')).toEqual({ ok: true, candidate: { slug: 'payment-retry', name: 'Payment retry', graph, fileName: 'Payment Retry.json' } });
  });

  it('reads { slug, name, graph }', () => {
    const read = readImportFile(JSON.stringify({ slug: 'orders', name: 'Orders', description: 'x', graph }), 'example.json');
    expect(read).toEqual({ ok: true, candidate: { slug: 'orders', name: 'Orders', graph, fileName: 'example.json' } });
  });

  it('reads the scenarios and eval sets of an exported workflow, for the server to check and store', () => {
    const scenarios = [{ name: 'happy path' }, { name: 'rejected' }];
    const evals = [{ node: 'classify', cases: [] }];
    const read = readImportFile(JSON.stringify({ slug: 'triage', name: 'Triage', graph, scenarios, evals }), 'triage.json');
    expect(read).toEqual({ ok: true, candidate: { slug: 'triage', name: 'Triage', graph, scenarios, evals, fileName: 'triage.json' } });
    // Whatever they hold goes to the server as it is: a wrong shape is refused there, naming it.
    const odd = readImportFile(JSON.stringify({ graph, scenarios: 'all of them', evals: null }), 'odd.json');
    expect(odd).toMatchObject({ ok: true, candidate: { scenarios: 'all of them', evals: null } });
    expect(readImportFile(JSON.stringify(graph), 'bare.json')).toMatchObject({ ok: true, candidate: expect.not.objectContaining({ scenarios: expect.anything() }) });
  });

  it('says what an import file holds', () => {
    const nodes = [{ id: 'a' }, { id: 'b' }];
    expect(importSummary({ graph: { nodes, edges: [{}] } })).toBe('2 nodes, 1 edge');
    expect(importSummary({ graph: { nodes, edges: [] }, scenarios: [{}], evals: [{}, {}] })).toBe('2 nodes, 0 edges, 1 scenario, 2 eval sets');
    expect(importSummary({ graph: { nodes: [{}] }, scenarios: 'x' })).toBe('1 node, 0 edges');
    expect(importSummary({ graph: 'nope' })).toBe('no nodes found');
  });

  it('refuses what is not JSON or not an object', () => {
    expect(readImportFile('{ nope', 'a.json')).toMatchObject({ ok: false, message: expect.stringMatching(/a\.json is not valid JSON/) });
    expect(readImportFile('[1]', 'a.json')).toMatchObject({ ok: false, message: expect.stringMatching(/does not hold a workflow/) });
  });

  it('refuses a file over the payload limit before sending it', () => {
    expect(readImportFile(' '.repeat(300 * 1024), 'big.json')).toMatchObject({ ok: false, message: expect.stringMatching(/under 256\.0 KB/) });
  });
});
