// One input schema per operation: what REST's parseInput makes of bad input (the refusal and the
// message a caller reads), and that tRPC, given the same schema, refuses the same values.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors.js';
import { updateUserInput } from './accounts.schemas.js';
import { decideInput, listApprovalsInput } from './approvals.schemas.js';
import { MAX_DB_INT, parseInput } from './fields.js';
import { cancelInput, listRunsInput, startRunInput } from './runs.schemas.js';
import { publishInput, saveDraftInput, versionInput } from './workflows.schemas.js';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('operation inputs', () => {
  it('a field that says its refusal is answered with it; others are BAD_REQUEST naming the field', () => {
    expect(refusal(() => parseInput(publishInput, { slug: 'a', note: { toString: 'x' } }))).toEqual({ code: 'INVALID_INPUT', message: 'note must be text' });
    expect(refusal(() => parseInput(publishInput, { slug: 'a', note: 'x'.repeat(501) }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^note: .*500/) });
    expect(refusal(() => parseInput(cancelInput, { id: 'r', compensate: 'yes' }))).toEqual({ code: 'INVALID_INPUT', message: 'compensate must be true or false' });
    expect(refusal(() => parseInput(decideInput, { id: 't', decision: 'maybe' }))).toEqual({ code: 'INVALID_INPUT', message: 'decision must be "approve" or "reject"' });
    expect(refusal(() => parseInput(listApprovalsInput, { scope: 'everyone' }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('scope must be "mine"') });
    expect(refusal(() => parseInput(startRunInput, { workflow: 'a', idempotencyKey: ['k1', 'k2'] }))).toEqual({ code: 'BAD_REQUEST', message: 'Idempotency-Key must be 1–200 characters' });
    expect(refusal(() => parseInput(startRunInput, { workflow: 'a', idempotencyKey: '   ' }))).toEqual({ code: 'BAD_REQUEST', message: 'Idempotency-Key must be 1–200 characters' });
  });

  it('whole numbers: a body number must be a JSON number; a path or query number may be digits; nothing past the integer column', () => {
    for (const rev of [1e20, 2 ** 40, -1, '1', 1.5, null]) {
      expect(refusal(() => parseInput(saveDraftInput, { slug: 'a', rev })).message, String(rev)).toMatch(/^rev \(the draft revision the save is based on\) must be a whole number from 0 to 2147483647, not /);
    }
    expect(parseInput(versionInput, { slug: 'a', version: '12' }).version).toBe(12);
    expect(parseInput(versionInput, { slug: 'a', version: 12 }).version).toBe(12);
    for (const version of ['1e2', '0', ' ', '0x10', String(MAX_DB_INT + 1), '99999999999']) {
      expect(refusal(() => parseInput(versionInput, { slug: 'a', version })).message, version).toContain('the version number must be a whole number from 1');
    }
    expect(refusal(() => parseInput(listRunsInput, { limit: 'all' })).message).toBe('limit must be a whole number from 1 to 2147483647, not "all"');
  });

  it('unknown fields of a user update are named, hostile keys included, and nothing else passes', () => {
    expect(refusal(() => parseInput(updateUserInput, JSON.parse('{"id":"u","disabled":true,"__proto__":{"admin":true},"admin":true}')))).toEqual({
      code: 'BAD_REQUEST',
      message: 'unknown field "__proto__", "admin": send disabled, password, roles or email',
    });
    expect(parseInput(updateUserInput, { id: 'u', disabled: false })).toEqual({ id: 'u', disabled: false });
  });

  it('the same schema refuses the same value for tRPC (its own BAD_REQUEST, every problem listed)', () => {
    const result = saveDraftInput.safeParse({ slug: '', rev: '1', clientId: 'x'.repeat(101) });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path[0])).toEqual(['slug', 'rev', 'clientId']);
  });
});

describe('messages name the field once', () => {
  it('zod’s own words get the field in front; the schemas’ own messages already name it', () => {
    expect(refusal(() => parseInput(cancelInput, { id: 7 })).message).toMatch(/^id: Invalid input/);
    expect(refusal(() => parseInput(cancelInput, { id: 'r', reason: 'x'.repeat(501) })).message).toMatch(/^reason: Too big/);
    expect(refusal(() => parseInput(publishInput, { slug: 'a', note: 3 })).message).toBe('note must be text');
  });
});
