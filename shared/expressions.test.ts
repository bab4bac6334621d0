// Expressions and templates of DESIGN §2: JSONata inside {{ }}, evaluated against { input, nodes, instance }.
import { describe, expect, it } from 'vitest';
import { checkExpressions, DEFAULT_EXPRESSION_BUDGET, evaluateExpression, ExpressionError, expressionBudget, isStatic, resolveDeep, resolveString, setExpressionBudget, wholeExpression, type EvaluationRoot } from './expressions.js';

const root: EvaluationRoot = {
  input: { amount: 120, name: 'Ada', tags: ['a', 'b'], nested: { ok: true }, nothing: null },
  nodes: { fetch: { status: 200, body: { id: 42, items: [{ sku: 'x', qty: 2 }, { sku: 'y', qty: 3 }] } } },
  instance: { id: 'inst_1', workflow: 'expenses', version: 3, startedAt: '2024-05-01T10:00:00.000Z' },
};

describe('a whole {{ expr }} keeps its type', () => {
  it.each<[string, unknown]>([
    ['{{ input.amount }}', 120],
    ['  {{ input.amount * 2 }}  ', 240],
    ['{{ input.amount > 100 }}', true],
    ['{{ input.name }}', 'Ada'],
    ['{{ input.nested }}', { ok: true }],
    ['{{ input.tags }}', ['a', 'b']],
    ['{{ input.missing }}', undefined],
    ['{{ nodes.fetch.body.id }}', 42],
    ['{{ $sum(nodes.fetch.body.items.qty) }}', 5],
    ['{{ instance.workflow }}', 'expenses'],
    ['{{ instance.version + 1 }}', 4],
  ])('%s → %j', async (text, expected) => {
    const value = await resolveString(text, root);
    expect(value).toEqual(expected);
    expect(typeof value).toBe(typeof expected);
  });
});

describe('a template renders a string', () => {
  it.each([
    ['Total: {{ input.amount }} EUR', 'Total: 120 EUR'],
    ['{{ input.name }} owes {{ input.amount }}', 'Ada owes 120'],
    ['{{ input.amount }}{{ input.amount }}', '120120'],
    ['Large: {{ input.amount > 100 }}', 'Large: true'],
    ['Data: {{ input.nested }}', 'Data: {"ok":true}'],
    ['Tags: {{ input.tags }}', 'Tags: ["a","b"]'],
    ['Missing: [{{ input.missing }}]', 'Missing: []'],
    ['Run {{ instance.id }} of {{ instance.workflow }} v{{ instance.version }}', 'Run inst_1 of expenses v3'],
    ['Item {{ nodes.fetch.body.items[1].sku }}', 'Item y'],
    ['plain text stays as it is', 'plain text stays as it is'],
  ])('%s → %j', async (text, expected) => {
    expect(await resolveString(text, root)).toBe(expected);
  });
});

describe('text without {{ }} is literal, in every field (DESIGN §2)', () => {
  it.each<[string]>([['approved'], ['input.amount > 100'], ['nodes.fetch.body.id'], ['$count(input.tags)'], ['{"total": input.amount}'], ['   '], ['literal }} braces']])(
    '%j stays that text',
    async (text) => {
      expect(await resolveString(text, root)).toBe(text);
    },
  );

  it.each<[string, unknown]>([
    ['{{ input.amount > 100 }}', true],
    ['{{ nodes.fetch.body.id }}', 42],
    ['{{ {"total": input.amount, "by": input.name} }}', { total: 120, by: 'Ada' }],
    ['{{ "approved" }}', 'approved'],
  ])('the same written as {{ %s }} is evaluated', async (text, expected) => {
    expect(await resolveString(text, root)).toEqual(expected);
  });

  it('finds the source of a string that is exactly one {{ }}, and none in templates or text', () => {
    expect(wholeExpression('  {{ input.amount }} ')).toBe(' input.amount ');
    expect(wholeExpression('{{ {"a": {"b": 1} } }}')).toBe(' {"a": {"b": 1} } ');
    expect(wholeExpression('Total {{ input.amount }}')).toBeUndefined();
    expect(wholeExpression('{{ a }} and {{ b }}')).toBeUndefined();
    expect(wholeExpression('approved')).toBeUndefined();
  });
});

describe('resolveDeep', () => {
  it('resolves every string in nested objects and arrays and keeps other values', async () => {
    const value = {
      url: 'https://api.example.com/{{ nodes.fetch.body.id }}',
      amount: '{{ input.amount }}',
      flags: ['{{ input.nested.ok }}', 'static', 7, null, { deep: ['{{ instance.version }}', 'v{{ instance.version }}'] }],
      count: 5,
      enabled: false,
    };
    const copy = structuredClone(value);
    expect(await resolveDeep(value, root)).toEqual({
      url: 'https://api.example.com/42',
      amount: 120,
      flags: [true, 'static', 7, null, { deep: [3, 'v3'] }],
      count: 5,
      enabled: false,
    });
    expect(value).toEqual(copy);
  });

  it.each<[unknown]>([[42], [null], [true], ['plain']])('returns %j unchanged', async (value) => {
    expect(await resolveDeep(value, root)).toBe(value);
  });
});

describe('an expression that throws rejects with an ExpressionError naming it', () => {
  it.each([
    ['a whole value', () => resolveString('{{ $error("boom") }}', root), '$error("boom")'],
    ['a template', () => resolveString('before {{ $error("boom") }} after', root), '$error("boom")'],
    ['deep inside resolveDeep', () => resolveDeep({ a: [{ b: '{{ $error("boom") }}' }] }, root), '$error("boom")'],
    ['a syntax error', () => resolveString('{{ input.amount + }}', root), 'input.amount +'],
  ])('%s', async (_label, run, expression) => {
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).message).toContain(expression);
    expect((error as ExpressionError).expression.trim()).toBe(expression);
  });

  it('carries the thrown message', async () => {
    await expect(resolveString('{{ $error("boom") }}', root)).rejects.toThrow(/boom/);
  });
});

describe('checkExpressions', () => {
  it.each<[string, boolean]>([
    ['Hello {{ input.name }}', false],
    ['plain text', false],
    ['{{ a }} and {{ b }}', false],
    ['{{ $sum(nodes.fetch.body.items.qty) > 3 }}', false],
    ['input.amount >', false],
    ['{{ input.amount > 100 }}', false],
  ])('accepts %j', (text) => {
    expect(checkExpressions(text)).toEqual([]);
  });

  it.each<[string, RegExp[]]>([
    ['{{ 1 + }}', [/1 \+/]],
    ['ok {{ input.name }} but {{ $sum( }}', [/\$sum\(/]],
    ['{{ 1 + }} and {{ ( }}', [/1 \+/, /\(/]],
    ['{{ input.amount > }}', [/input\.amount >/]],
    ['{{ }}', [/empty expression/]],
    ['{{    }}', [/empty expression/]],
  ])('reports syntax errors in %j', (text, expected) => {
    const problems = checkExpressions(text);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, index) => expect(problems[index]).toMatch(pattern));
  });

  it.each([
    ['{{ input.name'],
    ['Hello {{ input.name }} }}'],
    ['{{ a }} and {{ b'],
    ['}} then {{ input.name'],
  ])('reports unbalanced braces in %j', (text) => {
    expect(checkExpressions(text).join('\n')).toMatch(/unbalanced/);
  });
});

describe('isStatic', () => {
  it.each<[unknown, boolean]>([
    ['plain', true],
    [42, true],
    [null, true],
    [{ a: ['x', { b: 'y' }], n: 1 }, true],
    ['literal }} braces', true],
    ['{{ input.name }}', false],
    ['Hi {{ input.name }}', false],
    [['static', '{{ a }}'], false],
    [{ a: ['x', { b: 'hi {{ y }}' }] }, false],
  ])('%j → %s', (value, expected) => {
    expect(isStatic(value)).toBe(expected);
  });
});

describe('every evaluation stays within its budget (DESIGN §3, containment)', () => {
  const tight = { ...DEFAULT_EXPRESSION_BUDGET, timeoutMs: 100 };

  it('an endless recursion fails on the depth limit, naming it', async () => {
    await expect(resolveString('{{ ($f := function($x){ $f($x) + 1 }; $f(1)) }}', root)).rejects.toThrow(/nested deeper than 500 levels; is it an endless recursion\?/);
  });

  it('an endless tail call (which JSONata runs without growing its depth) fails on the time budget', async () => {
    const started = performance.now();
    await expect(evaluateExpression('($f := function($x){ $f($x) }; $f(1))', {}, { budget: tight })).rejects.toThrow(/ran over its time budget of 100 ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a long loop fails on the time budget and names the variable', async () => {
    const slow = '$sum($map([1..900000], function($x){ $sum($map([1..50], function($y){ $y * $x })) }))';
    const started = performance.now();
    await expect(evaluateExpression(slow, {}, { budget: tight })).rejects.toThrow(/time budget of 100 ms \(CAIRN_EXPRESSION_TIMEOUT_MS\)/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a huge sequence or string is refused before it fills the heap', async () => {
    await expect(resolveString('{{ $count([1..5000000]) }}', root)).rejects.toThrow(/sequence of more than 1,000,000 items/);
    await expect(resolveString('{{ $reduce([1..30], function($acc, $i){ $acc & $acc }, "ab") }}', root)).rejects.toThrow(/string of .* characters, over the limit of 5,000,000/);
  });

  it('values are detached copies of the root, so {{ nodes }} and {{ $ }} can be stored', async () => {
    const value = (await resolveString('{{ nodes }}', root)) as Record<string, unknown>;
    expect(value).toEqual(root.nodes);
    expect(value).not.toBe(root.nodes);
    const whole = await resolveString('{{ $ }}', root);
    expect(JSON.parse(JSON.stringify(whole))).toEqual(root);
  });

  it('a function as a value is a clear error, not a checkpoint that cannot be written', async () => {
    await expect(resolveString('{{ function($x){ $x } }}', root)).rejects.toThrow(/gave a function, which cannot be stored/);
    await expect(resolveString('{{ $uppercase }}', root)).rejects.toThrow(/gave a function/);
  });

  it('the budget is process-wide and can be changed (CAIRN_EXPRESSION_TIMEOUT_MS)', async () => {
    const before = expressionBudget();
    setExpressionBudget({ timeoutMs: 100 });
    try {
      await expect(evaluateExpression('$sum($map([1..900000], function($x){ $sum($map([1..50], function($y){ $y })) }))', {})).rejects.toThrow(/100 ms/);
    } finally {
      setExpressionBudget(before);
    }
  });
});

describe('regular expressions in expressions run in linear time', () => {
  it('a catastrophic pattern answers at once', async () => {
    const started = performance.now();
    const value = await evaluateExpression('$contains(s, /^(a+)+$/)', { s: `${'a'.repeat(40)}!` });
    expect(value).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('$match, $replace and $split still work on the linear engine', async () => {
    expect(await evaluateExpression('$match("a1b22c333", /[0-9]+/).match', {})).toEqual(['1', '22', '333']);
    expect(await evaluateExpression('$replace("Hello World", /o/, "0")', {})).toBe('Hell0 W0rld');
    expect(await evaluateExpression('$split("a, b,c", /,\\s*/)', {})).toEqual(['a', 'b', 'c']);
    expect(await evaluateExpression('$contains("ABC", /b/i)', {})).toBe(true);
  });

  it('a pattern RE2 cannot run is a clear error', async () => {
    await expect(evaluateExpression('$contains("aa", /(a)\\1/)', {})).rejects.toThrow(/backreference/i);
  });
});
