// The linear-time regex engine: RegExp-compatible results for JSONata and ajv, catastrophic patterns
// answered in linear time, backtracking-only constructs refused with a reason, and the publish-time
// scan of JSONata regex literals.
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { LinearRegExp, MAX_PATTERN_LENGTH, UnsupportedRegexError, compileLinearRegex, linearRegExpForAjv, regexProblem, regexProblems } from './linear-regex.js';

const HOSTILE = `${'a'.repeat(30)}!`;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

async function withEngines(source: string, input: unknown = null): Promise<{ native: unknown; linear: unknown }> {
  const native = await jsonata(source).evaluate(input);
  const linear = await jsonata(source, { RegexEngine: LinearRegExp } as unknown as jsonata.JsonataOptions).evaluate(input);
  return { native, linear };
}

describe('LinearRegExp', () => {
  it('answers the catastrophic ^(a+)+$ on a 31-character value within milliseconds', () => {
    compileLinearRegex('^(a+)+$');
    const { value, ms } = timed(() => new LinearRegExp('^(a+)+$').test(HOSTILE));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(50);
    const long = timed(() => new LinearRegExp('^(a+)+$').test(`${'a'.repeat(200_000)}!`));
    expect(long.value).toBe(false);
    expect(long.ms).toBeLessThan(500);
  });

  it('iterates matches like a global RegExp: index, groups, lastIndex, reset after the last', () => {
    const re = new LinearRegExp(/a(b+)(x)?/g);
    const first = re.exec('ab abb')!;
    expect([...first]).toEqual(['ab', 'b', undefined]);
    expect(first.index).toBe(0);
    expect(re.lastIndex).toBe(2);
    const second = re.exec('ab abb')!;
    expect([second[0], second.index, re.lastIndex]).toEqual(['abb', 3, 6]);
    expect(re.exec('ab abb')).toBeNull();
    expect(re.lastIndex).toBe(0);
    re.lastIndex = 99;
    expect(re.exec('ab')).toBeNull();
    expect(re.lastIndex).toBe(0);
  });

  it('counts positions in UTF-16 units, as JavaScript does', () => {
    const match = new LinearRegExp('é+', 'g').exec('x😀ééy')!;
    expect([match[0], match.index]).toEqual(['éé', 3]);
  });

  it('keeps named groups and the i, m and s flags', () => {
    expect(new LinearRegExp('(?<year>\\d{4})').exec('in 2024')!.groups).toEqual({ year: '2024' });
    expect(new LinearRegExp('^B$', 'im').test('a\nb')).toBe(true);
    expect(new LinearRegExp('a.b', 's').test('a\nb')).toBe(true);
    expect(new LinearRegExp('a.b').test('a\nb')).toBe(false);
  });

  it('gives JSONata the same answers as the built-in engine', async () => {
    const cases = [
      '$match("ababbabbba", /a(b+)/)',
      '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")',
      '$split("a1b22c333d", /\\d+/)',
      '$contains("Hello World", /wo/i)',
      '$replace("x😀y😀", /😀/, "-")',
      '$match("line1\\nline2", /^line\\d$/m)',
    ];
    for (const source of cases) {
      const { native, linear } = await withEngines(source);
      expect(linear, source).toEqual(native);
    }
    const filtered = await withEngines('names[$ ~> /^J/]', { names: ['Jo', 'Al', 'Jim'] });
    expect([...(filtered.linear as string[])]).toEqual(['Jo', 'Jim']);
  });

  it('keeps JSONata refusing a pattern that matches the empty string', async () => {
    await expect(jsonata('$match("abc", /x*/)', { RegexEngine: LinearRegExp } as unknown as jsonata.JsonataOptions).evaluate(null)).rejects.toMatchObject({ code: 'D1004' });
  });

  it('runs a hostile JSONata regex within milliseconds', async () => {
    const expression = jsonata(`$match("${HOSTILE}", /^(a+)+$/)`, { RegexEngine: LinearRegExp } as unknown as jsonata.JsonataOptions);
    const start = performance.now();
    expect(await expression.evaluate(null)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('refused patterns', () => {
  const refused: [string, RegExp][] = [
    ['(a)\\1', /backreference \(\\1\).*exponential time/],
    ['(?<x>a)\\k<x>', /named backreference/],
    ['a(?=b)', /lookahead/],
    ['a(?!b)', /negative lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /negative lookbehind/],
    ['a++', /not supported \(invalid nested repetition operator/],
    ['(a', /not supported \(missing closing \)/],
    ['a{1001}', /not supported \(invalid repeat count/],
  ];
  for (const [source, message] of refused) {
    it(`refuses /${source}/ with a reason`, () => {
      expect(() => new LinearRegExp(source)).toThrow(UnsupportedRegexError);
      expect(regexProblem(source)).toMatch(message);
    });
  }

  it('does not mistake escaped or bracketed look-alikes for backtracking constructs', () => {
    for (const source of ['\\\\1', '[(?=]', '\\(?=x', '[\\]]\\d', '\\/a']) expect(regexProblem(source), source).toBeUndefined();
  });

  it('refuses patterns that are too long or compile to too large a program', () => {
    expect(regexProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/over the limit of 4,096/);
    expect(regexProblem('[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}')).toMatch(/too complex/);
  });

  it('refuses a sticky flag it cannot honour', () => {
    expect(regexProblem('a', 'y')).toMatch(/flag "y" is not supported/);
  });

  it('serves ajv: a test() function and a distinct toString per pattern', () => {
    const rx = linearRegExpForAjv('^(a+)+$', 'u');
    expect(rx.test(HOSTILE)).toBe(false);
    expect(rx.test('aaa')).toBe(true);
    expect(String(rx)).toBe('/^(a+)+$/u');
    expect(() => linearRegExpForAjv('(a)\\1', 'u')).toThrow(/backreference/);
  });
});

describe('regexProblems (JSONata regex literals at publish)', () => {
  it('finds refused literals wherever they sit in the expression', () => {
    const source = '$map(items, function($v){ $replace($v, /(a)\\1/, "") })[$ ~> /(?=x)y/] & $match(x, /fine+/)';
    const problems = regexProblems(source);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/\/\(a\)\\1\/ uses a backreference/);
    expect(problems[1]).toMatch(/lookahead/);
  });

  it('accepts supported literals, expressions without any, and leaves syntax errors to the parser check', () => {
    expect(regexProblems('$match(name, /^[A-Z][a-z]+$/i)')).toEqual([]);
    expect(regexProblems('input.amount > 100')).toEqual([]);
    expect(regexProblems('$match(a, /(a')).toEqual([]);
    expect(regexProblems('')).toEqual([]);
  });
});
