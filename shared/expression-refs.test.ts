// The root names an expression reads: only paths evaluated against the evaluation root, never names
// inside filters, mapped steps, group-by or lambdas (those are relative to other values).
import { describe, expect, it } from 'vitest';
import { rootReferences } from './expression-refs.js';

describe('rootReferences', () => {
  it.each<[string, string[][]]>([
    ['approved', [['approved']]],
    ['input.amount > 100', [['input', 'amount']]],
    ['nodes.review.decision = "approve"', [['nodes', 'review', 'decision']]],
    ['nodes.`my-step`.body.items', [['nodes', 'my-step', 'body']]],
    ['instance.id & "-" & instance.foo', [['instance', 'id'], ['instance', 'foo']]],
    ['$sum(input.items.price)', [['input', 'items', 'price']]],
    ['( $a := input.x; $a + nodes.b.c )', [['input', 'x'], ['nodes', 'b', 'c']]],
    ['{ "a": input.x, "b": [nodes.y, 1] }', [['input', 'x'], ['nodes', 'y']]],
    ['input.a ? nodes.b : missing', [['input', 'a'], ['nodes', 'b'], ['missing']]],
    ['-input.x', [['input', 'x']]],
    ['input ~> $keys()', [['input']]],
    ['input.items[price > 10].name', [['input', 'items']]],
    ['input.items.(price * qty)', [['input', 'items']]],
    ['input.items{ name: price }', [['input', 'items']]],
    ['$map(input.items, function($i) { $i.price + other })', [['input', 'items']]],
    ['"approved"', []],
    ['$now()', []],
    ['$', []],
    ['$$.input', []],
    ['**.x', []],
  ])('%s', (source, expected) => {
    expect(rootReferences(source)).toEqual(expected);
  });

  it('finds nothing in an expression that does not compile', () => {
    expect(rootReferences('input.amount >')).toEqual([]);
  });
});
