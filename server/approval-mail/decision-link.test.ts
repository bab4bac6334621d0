// Decision links' tokens and the approval e-mail's header text: a token round-trips; anything not
// signed by this key, or signed but not of the link's shape, is refused with a DecisionLinkError; a
// subject or name with line breaks and control characters becomes one line.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerText } from './approval-mail-content.js';
import { decisionLinkKey, DecisionLinkError, signDecisionLink, verifyDecisionLink } from './decision-link.js';

const key = decisionLinkKey({ ok: true, key: randomBytes(32), source: 'test' })!;
const link = { taskId: 'run-1:review:1', user: 'ann', decision: 'approve' as const, expiresAt: 1_800_000_000_000 };
/** A token over any payload, signed with the right key: only the shape check can refuse it. */
const signedRaw = (fields: unknown) => {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
};

describe('decision links', () => {
  it('round-trip, and are refused when forged, cut, too long or of the wrong shape', () => {
    expect(verifyDecisionLink(key, signDecisionLink(key, link))).toEqual(link);
    expect(decisionLinkKey({ ok: false, reason: 'no key' })).toBeUndefined();
    const token = signDecisionLink(key, link);
    const other = decisionLinkKey({ ok: true, key: randomBytes(32), source: 'other' })!;
    const refused: [string, string][] = [
      [signDecisionLink(other, link), 'signature does not match'],
      [token.slice(0, -1), 'malformed'],
      [`${token}x`, 'malformed'],
      [token.replace('.', ''), 'malformed'],
      ['', 'malformed'],
      ['x'.repeat(1_501), 'longer than 1500 characters'],
      [signedRaw([link.taskId, link.user, 'maybe', link.expiresAt]), 'malformed'],
      [signedRaw([link.taskId, link.user, 'approve', 1.5]), 'malformed'],
      [signedRaw([link.taskId, 42, 'approve', link.expiresAt]), 'malformed'],
      [signedRaw({ taskId: link.taskId }), 'malformed'],
      [signedRaw([link.taskId, link.user, 'approve']), 'malformed'],
      [`${Buffer.from('not json').toString('base64url')}.${createHmac('sha256', key).update(Buffer.from('not json').toString('base64url')).digest('base64url')}`, 'malformed'],
    ];
    for (const [bad, words] of refused) {
      expect(() => verifyDecisionLink(key, bad), bad.slice(0, 30)).toThrow(DecisionLinkError);
      expect(() => verifyDecisionLink(key, bad)).toThrow(words);
    }
  });

  it('header text is one line without control characters, and bounded', () => {
    expect(headerText('Pay Ada\r\nBcc: thief@evil.example')).toBe('Pay Ada Bcc: thief@evil.example');
    expect(headerText('a\u0000b\u2028c\td')).toBe('a b c d');
    expect(headerText('x'.repeat(300))).toHaveLength(200);
  });
});
