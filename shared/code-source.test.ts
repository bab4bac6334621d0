// The code step's source forms and where syntax errors sit (shared by the editor, publish and the sandbox).
import { describe, expect, it } from 'vitest';
import { compileCode, MAX_CODE_CHARS } from './code-source.js';
import { codeFieldProblems } from './validate-code.js';

describe('compileCode', () => {
  it('keeps a function as it is and wraps a body in an async function of (input, ctx)', () => {
    expect(compileCode('(input, ctx) => input.x')).toMatchObject({ ok: true, form: 'function' });
    expect(compileCode('async (input) => { return 1 };  // done')).toMatchObject({ ok: true, form: 'function', program: '(\nasync (input) => { return 1 }\n)' });
    expect(compileCode('async function main(input, ctx) { return input }')).toMatchObject({ ok: true, form: 'function' });
    expect(compileCode('const a = await Promise.resolve(1);\nreturn a;')).toMatchObject({ ok: true, form: 'body', lineOffset: 1 });
    expect(compileCode('// only a comment')).toMatchObject({ ok: true, form: 'body' });
  });

  it('names the line and column of a syntax error in the author\'s text', () => {
    expect(compileCode('const a = 1;\n\nreturn a +;')).toMatchObject({ ok: false, error: { line: 3, column: 11, message: 'Unexpected token' } });
    expect(compileCode('(input) => {')).toMatchObject({ ok: false, error: { line: 1 } });
  });

  it('refuses a body that tries to close the wrapper it is put in', () => {
    expect(compileCode('return 1; }); globalThis.escaped = (() => {')).toMatchObject({ ok: false });
  });

  it('refuses code over the size limit', () => {
    expect(compileCode('x'.repeat(MAX_CODE_CHARS + 1))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/over the 100,000 allowed/) } });
  });
});

describe('codeFieldProblems', () => {
  const schema = { type: 'object', properties: { code: { type: 'string', contentMediaType: 'text/javascript' }, note: { type: 'string' } } };
  it('reports fields declared as JavaScript that do not parse, and nothing else', () => {
    expect(codeFieldProblems(schema, { code: 'return (', note: 'return (' })).toEqual([{ path: 'code', message: expect.stringMatching(/^code does not parse: .*\(line 1, column \d+\)$/) }]);
    expect(codeFieldProblems(schema, { code: 'return 1' })).toEqual([]);
    expect(codeFieldProblems(schema, { code: '{{ input.code }}' })).toEqual([]);
    expect(codeFieldProblems(schema, null)).toEqual([]);
  });
});
