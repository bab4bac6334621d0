// Checks a scenario's expectations against the run as it stands. Each failure names the expectation
// and the difference; an empty list means every expectation holds.
import { durationMs, formatDuration } from '../../shared/durations.js';
import { evaluateExpression } from '../../shared/expressions.js';
import type { Expectations } from '../../shared/scenarios/scenario.schema.js';
import { partialDiff, sequenceDiff, show } from './matchers.js';
import type { RunView } from './run-view.js';

const list = (items: readonly string[]) => `[${items.join(', ')}]`;

function durationFailures(expected: NonNullable<Expectations['duration']>, actual: number): string[] {
  const took = `the run took ${formatDuration(actual)} of workflow time`;
  if (typeof expected === 'string') return durationMs(expected) === actual ? [] : [`duration: expected ${expected} (${formatDuration(durationMs(expected))}), ${took}`];
  const failures: string[] = [];
  if (expected.atLeast !== undefined && actual < durationMs(expected.atLeast)) failures.push(`duration: expected at least ${expected.atLeast}, ${took}`);
  if (expected.atMost !== undefined && actual > durationMs(expected.atMost)) failures.push(`duration: expected at most ${expected.atMost}, ${took}`);
  return failures;
}

async function assertionFailures(assert: NonNullable<Expectations['assert']>, view: RunView): Promise<string[]> {
  // `history` lets an assertion look at every operation: what happened, at which node, when (epoch ms).
  const history = view.history.map((event) => ({ type: event.type, nodeId: event.nodeId, at: event.at, data: event.data }));
  const root = { status: view.status, input: view.input, output: view.output, error: view.error, nodes: view.nodes, path: view.path, waitingAt: view.waitingAt, duration: view.duration, attempts: view.attempts, history };
  const failures: string[] = [];
  for (const [index, source] of (Array.isArray(assert) ? assert : [assert]).entries()) {
    const label = Array.isArray(assert) ? `assert[${index}]` : 'assert';
    try {
      const value = await evaluateExpression(source, root);
      if (value !== true) failures.push(`${label}: ${show(source)} gave ${show(value)}, not true`);
    } catch (error) {
      failures.push(`${label}: ${show(source)} failed: ${(error as Error).message}`);
    }
  }
  return failures;
}

export async function checkExpectations(expect: Expectations, view: RunView): Promise<string[]> {
  const failures: string[] = [];
  if (expect.status !== undefined && expect.status !== view.status) {
    failures.push(`status: expected ${expect.status}, got ${view.status}${view.error ? ` ([${view.error.code}] ${view.error.message})` : ''}`);
  }
  if (expect.path) {
    const difference = sequenceDiff(expect.path, view.path, 'path');
    if (difference) failures.push(difference);
  }
  const entered = new Set(view.path);
  const missed = (expect.visited ?? []).filter((nodeId) => !entered.has(nodeId));
  if (missed.length) failures.push(`visited: expected ${list(missed)} to be visited; the path was ${list(view.path)}`);
  const forbidden = (expect.notVisited ?? []).filter((nodeId) => entered.has(nodeId));
  if (forbidden.length) failures.push(`notVisited: ${list(forbidden)} visited; the path was ${list(view.path)}`);
  if (expect.waitingAt) {
    const expected = [...expect.waitingAt].sort();
    const actual = [...view.waitingAt].sort();
    if (expected.join() !== actual.join()) failures.push(`waitingAt: expected the run to wait at ${list(expected)}, it waits at ${list(actual)} (${view.status})`);
  }
  if ('output' in expect && expect.output !== undefined) failures.push(...partialDiff(expect.output, view.output, 'output'));
  if (expect.error) {
    if (!view.error) failures.push(`error: expected ${show(expect.error)}, but the run has no error (${view.status})`);
    else failures.push(...partialDiff(expect.error, view.error, 'error'));
  }
  for (const [nodeId, expected] of Object.entries(expect.nodes ?? {})) {
    if (!(nodeId in view.nodes)) failures.push(`nodes.${nodeId}: expected ${show(expected)}, but node ${nodeId} has no output (not completed)`);
    else failures.push(...partialDiff(expected, view.nodes[nodeId], `nodes.${nodeId}`));
  }
  for (const [nodeId, count] of Object.entries(expect.attempts ?? {})) {
    const actual = view.attempts[nodeId] ?? 0;
    if (actual !== count) failures.push(`attempts.${nodeId}: expected ${count}, got ${actual}`);
  }
  if (expect.duration !== undefined) failures.push(...durationFailures(expect.duration, view.duration));
  if (expect.assert !== undefined) failures.push(...(await assertionFailures(expect.assert, view)));
  return failures;
}
