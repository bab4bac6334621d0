// Scenarios and run to here on an approval with a quorum (issue 19): an unnamed `decide` step is
// the next assignee who has not decided (and may: self-approval skipped), so two steps settle a
// 2-of-3; run to here approves as many stand-ins as the quorum needs.
import { describe, expect, it } from 'vitest';
import { parseScenarios } from '../../shared/scenarios/parse-scenarios.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { parseAllowList } from '../actions/egress.js';
import { ActionRegistry } from '../actions/registry.js';
import { buildGraph } from '../testing/graphs.js';
import { scratchRoot } from '../testing/sqlite-template.js';
import { testDialect } from '../testing/test-database.js';
import { runScenarios } from './run-all.js';
import { runToHere } from './trial-run.js';

const actions = new ActionRegistry(builtinActions);
const graph = buildGraph(
  [
    ['start', 'start'],
    ['review', 'approval', { title: 'Go?', assignees: { users: ['eve', 'ann', 'bob', 'cy'] }, approvalsNeeded: 2, forbidSelfApproval: true, selfApprover: '{{ input.employee }}' }],
    ['yes', 'end', { output: '{{ { "approved": true, "by": nodes.review.decisions.by } }}' }],
    ['no', 'end', { output: '{{ { "approved": false } }}' }],
  ],
  ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
);

describe.runIf(testDialect() === 'sqlite')('quorum in scenarios', () => {
  it('two unnamed decide steps settle a 2-of-3, skipping the forbidden user', async () => {
    const read = parseScenarios(
      {
        format: 'cairn.scenario/v1',
        name: 'two approve',
        input: { employee: 'eve' },
        steps: [{ advance: { untilWaiting: true } }, { decide: 'review', decision: 'approve' }, { decide: 'review', decision: 'approve' }],
        expect: { status: 'completed', output: { approved: true, by: ['ann', 'bob'] } },
      },
      'case',
    );
    if (!read.ok) throw new Error(read.problems.join('\n'));
    const suite = await runScenarios([{ scenario: read.scenarios[0], graph, slug: 'case', source: 'case', workflowSource: 'case' }], { actions, egress: parseAllowList([]), scratch: scratchRoot() });
    expect(suite.results[0]).toMatchObject({ passed: true });
  });

  it('run to here passes an approval that needs two approvals', async () => {
    const result = await runToHere({ graph, slug: 'case', untilNode: 'yes', input: { employee: 'eve' } }, { actions, egress: parseAllowList([]), scratch: scratchRoot() });
    expect(result).toMatchObject({ reached: true, error: null });
    expect(result.notes.filter((note) => note === 'approved review')).toHaveLength(2);
  });
});
