// jsonBytes counts the UTF-8 bytes of a value's JSON without building a Buffer; it must agree with one.
import { describe, expect, it } from 'vitest';
import { jsonBytes } from './limits.js';

describe('jsonBytes equals Buffer.byteLength(JSON.stringify(value))', () => {
  it.each([
    ['ASCII', 'hello, world'],
    ['JSON escapes', 'quote " backslash \\ newline \n tab \t'],
    ['accented Latin', 'café crème brûlée, Zoë, Ångström'],
    ['2-byte boundaries', '\u0080 \u07ff'],
    ['3-byte boundaries', '\u0800 \uffff'],
    ['emoji', '😀🎉🚀'],
    ['emoji ZWJ sequence', '👩‍👩‍👧'],
    ['4-byte boundaries', '\u{10000} \u{10ffff}'],
    ['CJK and Hangul', '漢字 かな カナ 한국어'],
    ['a lone surrogate (escaped by JSON.stringify)', 'a\ud800b'],
    ['a number', 1234.5],
    ['null', null],
    ['a mixed object', { name: 'Zoë', note: '日本 😀', tags: ['ü', 'ß', '€'], n: [1, 2, 3], ok: true }],
    ['nested arrays', [['é', ['字', ['🎉']]]]],
  ])('%s', (_label, value) => {
    expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
  });
});
