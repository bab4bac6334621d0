// The quorum rule (a veto: the first rejection rejects; N approvals approve), and the approval
// node's policy fields as publish checks them: each hostile config is one problem naming its field.
import { describe, expect, it } from 'vitest';
import { graphWarnings } from '../graph-warnings.js';
import { validateGraph } from '../validate.js';
import { describeTally, parsePolicy, quorumOutcome, tallyOf } from './approval-policy.js';

describe('quorumOutcome', () => {
  it.each([
    [1, 'approved', 'approved'],
    [1, 'rejected', 'rejected'],
    [2, 'approved', 'pending'],
    [2, 'approved approved', 'approved'],
    [2, 'approved rejected', 'rejected'],
    [3, 'approved approved', 'pending'],
    [3, 'rejected', 'rejected'],
    [2, '', 'pending'],
  ])('%i needed, decisions "%s" → %s', (required, decisions, expected) => {
    const tally = tallyOf(decisions.split(' ').filter(Boolean).map((decision) => ({ decision })));
    expect(quorumOutcome({ required }, tally)).toBe(expected);
  });

  it('shows progress as the inbox does', () => {
    expect(describeTally({ required: 2 }, { approvals: 1, rejections: 0 })).toBe('1 of 2 approved');
    expect(describeTally({ required: 3 }, { approvals: 1, rejections: 1 })).toBe('1 of 3 approved, 1 rejected');
  });

  it('a task made before policies is one decision', () => {
    expect(parsePolicy(null)).toEqual({ quorum: 'any', required: 1, forbidden: [] });
  });
});

const withApproval = (config: Record<string, unknown>) => ({
  format: 'cairn.graph/v1',
  nodes: [
    { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
    { id: 'review', kind: 'approval', position: { x: 200, y: 0 }, config: { title: 'Go?', assignees: { users: ['ann', 'bob', 'cy'] }, ...config } },
    { id: 'done', kind: 'end', position: { x: 400, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'review' },
    { id: 'e2', source: 'review', sourcePort: 'approved', target: 'done' },
  ],
});

const problems = (config: Record<string, unknown>) => {
  const result = validateGraph(withApproval(config));
  return result.ok ? [] : result.problems.map((problem) => ({ field: problem.field, message: problem.message }));
};

describe('publish checks of the policy fields', () => {
  it('accepts a full policy', () => {
    expect(problems({ approvalsNeeded: 2, forbidSelfApproval: true, selfApprover: '{{ input.employee }}', remindEvery: '1d', escalateAfter: '3d', escalateTo: { roles: ['director'] }, escalation: 'add', decideAfter: '7d', autoDecision: 'reject' })).toEqual([]);
  });

  it.each([
    ['N > M', { approvalsNeeded: 4 }, 'approvalsNeeded', 'needs 4 approvals but names only 3 user(s)'],
    ['count without N', { quorum: 'count' }, 'approvalsNeeded', 'needs approvalsNeeded'],
    ['N with "any"', { quorum: 'any', approvalsNeeded: 2 }, 'quorum', 'must be "count"'],
    ['"all" over a role', { quorum: 'all', assignees: { roles: ['finance'] } }, 'quorum', 'a role has no fixed number of holders'],
    ['an unknown quorum', { quorum: 'most' }, 'quorum', 'quorum is "any", "all" or "count"'],
    ['N of zero', { approvalsNeeded: 0 }, 'approvalsNeeded', ''],
    ['a zero duration', { decideAfter: '0s' }, 'decideAfter', 'must be longer than zero'],
    ['a negative duration', { remindEvery: '-1h' }, 'remindEvery', 'not a duration'],
    ['reminders every second', { remindEvery: '1s' }, 'remindEvery', 'at most once a minute'],
    ['an escalation without targets', { escalateAfter: '1d' }, 'escalateTo', 'needs both'],
    ['an escalation after the end', { escalateAfter: '8d', escalateTo: { users: ['dora'] }, decideAfter: '7d' }, 'escalateAfter', 'would come after the wait ends'],
    ['timeout and decideAfter', { timeout: '1d', decideAfter: '2d' }, 'decideAfter', 'choose one'],
    ['autoDecision without decideAfter', { autoDecision: 'approve' }, 'autoDecision', 'needs decideAfter'],
    ['selfApprover without the flag', { selfApprover: '{{ input.employee }}' }, 'forbidSelfApproval', 'set forbidSelfApproval to true'],
    ['a selfApprover that does not compile', { forbidSelfApproval: true, selfApprover: '{{ input.( }}' }, 'selfApprover', ''],
  ])('%s is one problem naming %s', (_name, config, field, words) => {
    const found = problems(config);
    expect(found).toHaveLength(1);
    expect(found[0].field).toBe(field);
    expect(found[0].message).toContain(words);
    expect(found[0].message).toContain('node "review"');
  });
});

describe('publish warnings', () => {
  it('an approval that decides automatically at its deadline is not warned of waiting forever', () => {
    const codes = (config: Record<string, unknown>) => graphWarnings(withApproval(config) as Parameters<typeof graphWarnings>[0]).map((warning) => warning.code);
    expect(codes({})).toContain('NO_TIMEOUT');
    expect(codes({ decideAfter: '7d' })).not.toContain('NO_TIMEOUT');
  });
});
