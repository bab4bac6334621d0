// Expectation messages name the expectation and the difference; JUnit XML stays well-formed whatever
// the messages hold.
import { describe, expect, it } from 'vitest';
import { checkExpectations } from './expectations.js';
import { junitXml } from './junit.js';
import type { RunView } from './run-view.js';
import { elementsNamed, parseXml } from '../testing/xml-tree.js';

const view: RunView = {
  status: 'completed',
  input: { amount: 420 },
  output: { status: 'paid', amount: 420, lines: [{ sku: 'A' }, { sku: 'B' }] },
  error: null,
  path: ['start', 'charge', 'charge', 'receipt', 'paid'],
  nodes: { charge: { body: { chargeId: 'ch_1' } }, receipt: null },
  attempts: { charge: 4 },
  waitingAt: [],
  duration: 3_600_000,
  history: [],
};

describe('checkExpectations', () => {
  it('passes when everything holds', async () => {
    expect(
      await checkExpectations(
        { status: 'completed', path: view.path, visited: ['receipt'], notVisited: ['suspend'], output: { amount: 420, lines: [{}, { sku: 'B' }] }, nodes: { charge: { body: {} } }, attempts: { charge: 4 }, duration: '1h', assert: 'output.amount = input.amount', waitingAt: [] },
        view,
      ),
    ).toEqual([]);
  });

  it('names each failed expectation and the difference', async () => {
    expect(
      await checkExpectations(
        {
          status: 'failed',
          path: ['start', 'charge', 'receipt'],
          visited: ['suspend', 'receipt'],
          notVisited: ['charge'],
          waitingAt: ['review'],
          output: { amount: 400, currency: 'EUR', lines: [{ sku: 'A' }] },
          error: { code: 'X' },
          nodes: { charge: { body: { chargeId: 'ch_2' } }, notifyUser: {} },
          attempts: { charge: 1, receipt: 2 },
          duration: { atMost: '30m' },
          assert: ['output.amount > 1000', '$undefinedFunction()'],
        },
        view,
      ),
    ).toEqual([
      'status: expected failed, got completed',
      'path: expected [start, charge, receipt], got [start, charge, charge, receipt, paid]: they part at #3 (receipt expected, charge taken)',
      'visited: expected [suspend] to be visited; the path was [start, charge, charge, receipt, paid]',
      'notVisited: [charge] visited; the path was [start, charge, charge, receipt, paid]',
      'waitingAt: expected the run to wait at [review], it waits at [] (completed)',
      'output.amount: expected 400, got 420',
      'output.currency: expected "EUR", got nothing (it has status, amount, lines)',
      'output.lines: expected 1 item(s) [{"sku":"A"}], got 2: [{"sku":"A"},{"sku":"B"}]',
      'error: expected {"code":"X"}, but the run has no error (completed)',
      'nodes.charge.body.chargeId: expected "ch_2", got "ch_1"',
      'nodes.notifyUser: expected {}, but node notifyUser has no output (not completed)',
      'attempts.charge: expected 1, got 4',
      'attempts.receipt: expected 2, got 0',
      'duration: expected at most 30m, the run took 1h of workflow time',
      'assert[0]: "output.amount > 1000" gave false, not true',
      expect.stringMatching(/^assert\[1\]: "\$undefinedFunction\(\)" failed: /),
    ]);
  });
});

describe('junitXml', () => {
  it('escapes markup and drops characters XML cannot hold, so the report always parses', () => {
    const hostile = 'a <b> & "c" \u0000\u0007 \uFFFE ]]> \u{1F600}';
    const xml = junitXml(
      [{ name: hostile, source: 'x<y>.json', passed: false, failures: [hostile, 'line 2'], wallMs: 12, path: [], reached: { nodes: [], edges: [] } }],
      [{ source: 'bad&.json', message: `bad & broken\n${hostile}` }],
      { timestamp: new Date(Date.UTC(2026, 0, 1)) },
    );
    // The reader is strict: it would refuse a report that is not well-formed.
    expect(() => parseXml('<testsuites><testsuite></testsuites>')).toThrow();
    expect(() => parseXml('<a>\u0000</a>')).toThrow();
    const report = parseXml(xml);
    const [failure] = elementsNamed(report, 'failure');
    expect(failure.attributes.message).toBe('a <b> & "c" \uFFFD\uFFFD \uFFFD ]]> \u{1F600}');
    expect(failure.text).toBe('a <b> & "c" \uFFFD\uFFFD \uFFFD ]]> \u{1F600}\nline 2');
    expect(elementsNamed(report, 'error')[0].attributes.message).toBe('bad & broken');
    expect(elementsNamed(report, 'testsuite').map((suite) => [suite.attributes.name, suite.attributes.failures, suite.attributes.errors])).toEqual([
      ['x<y>.json', '1', '0'],
      ['bad&.json', '0', '1'],
    ]);
    expect(report.attributes.tests).toBe('2');
  });
});
