// The engine's fast path for `{{ nodes.a.b }}`: wherever resolveSimple answers, JSONata gives the same
// value; wherever the two could differ, it steps aside and JSONata evaluates.
import { describe, expect, it } from 'vitest';
import { resolveDeep, type EvaluationRoot } from './expressions.js';
import { NEEDS_JSONATA, readSimplePath, resolveSimple } from './simple-paths.js';

const root: EvaluationRoot = {
  input: { value: 3, name: 'Ada', flag: false, nothing: null, nested: { deep: { id: 'x1' } }, list: [1, 2, 3], one: [5], objects: [{ id: 'a' }, { id: 'b' }], big: 1e308 * 10 },
  nodes: { s1: { value: 4, body: { items: [{ id: 1 }] } }, and: { value: 'word' } },
  instance: { id: 'run-1', workflow: 'wf', version: 2, startedAt: '2026-01-01T00:00:00.000Z' },
};

describe('simple field paths are read without JSONata, with its answer', () => {
  const paths = ['input.value', ' nodes.s1.value ', 'input.name', 'input.flag', 'input.nothing', 'input.nested', 'input.nested.deep.id', 'input.missing', 'nodes.s1.body', 'instance.version', 'input.big'];
  for (const source of paths) {
    it(`{{ ${source.trim()} }}`, async () => {
      const fast = readSimplePath(source, root);
      expect(fast).not.toBe(NEEDS_JSONATA);
      expect(fast).toEqual(await resolveDeep(`{{${source}}}`, root));
    });
  }

  it('a whole config value of paths and templates resolves in one synchronous walk, as JSONata would', async () => {
    const config = { value: '{{ nodes.s1.value }}', label: 'Hello {{ input.name }} #{{ input.value }}', list: ['{{ input.nested.deep.id }}', 'literal'], n: 7 };
    const fast = resolveSimple(config, root);
    expect(fast).toEqual({ value: 4, label: 'Hello Ada #3', list: ['x1', 'literal'], n: 7 });
    expect(fast).toEqual(await resolveDeep(config, root));
  });

  it('an object read by a path is a copy: the state never shares objects with what a step is given', () => {
    const body = readSimplePath('nodes.s1.body', root) as { items: unknown[] };
    expect(body).toEqual(root.nodes.s1 && (root.nodes.s1 as { body: unknown }).body);
    expect(body).not.toBe((root.nodes.s1 as { body: unknown }).body);
  });
});

describe('anything else is left to JSONata', () => {
  const others = ['input.list', 'input.one', 'input.objects.id', 'input.nothing.field', 'input.missing.field', 'nodes.and.value', '$now()', 'input.value + 1', 'input.`odd name`', 'input["value"]', 'nodes.s1.body.items.id', '$'];
  for (const source of others) {
    it(`{{ ${source} }}`, () => {
      expect(readSimplePath(source, root)).toBe(NEEDS_JSONATA);
    });
  }

  it('one expression that needs JSONata sends the whole value to JSONata', () => {
    expect(resolveSimple({ a: '{{ input.value }}', b: '{{ input.value * 2 }}' }, root)).toBe(NEEDS_JSONATA);
    expect(resolveSimple(['{{ input.list }}'], root)).toBe(NEEDS_JSONATA);
  });

  it('hostile text is no work for it: a huge path-like expression is refused in one pass, and goes to JSONata and its budget', () => {
    const huge = `${'input.'.repeat(100_000)}value!`;
    const began = performance.now();
    expect(readSimplePath(huge, root)).toBe(NEEDS_JSONATA);
    // A path that is well formed but that long is left to JSONata too, unparsed and not remembered.
    expect(readSimplePath(`${'input.'.repeat(100_000)}value`, root)).toBe(NEEDS_JSONATA);
    // Refused by its length before any parsing: well under the expression budget (1 s).
    expect(performance.now() - began).toBeLessThan(1_000);
  });

  it('a value nested deeper than a stored value may be fails as JSONata\'s would, naming the expression', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let level = 0; level < 300; level++) deep = { deep };
    const hostile: EvaluationRoot = { ...root, input: { deep } };
    expect(() => readSimplePath('input.deep', hostile)).toThrow(/nested deeper than 200 levels/);
  });
});
