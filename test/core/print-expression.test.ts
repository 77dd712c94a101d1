/** The printer keeps the tree's meaning: parentheses where precedence needs them, no `--`. */
import { describe, expect, it } from 'vitest';
import { add, binary, mul, neg, num, ref, sub } from '../../packages/core/src/ir/build.js';
import { printAssignTarget, printExpression } from '../../packages/core/src/phases/5-emit/print-expression.js';

const x = ref('x');
const y = ref('y');

describe('printExpression', () => {
  it.each([
    ['-(x + y)', neg(binary('+', x, y))],
    ['-(x * y)', neg(binary('*', x, y))],
    ['-(-0.5 * y)', neg(binary('*', num(-0.5), y))],
    ['-(-x)', { kind: 'unary', op: '-', operand: { kind: 'unary', op: '-', operand: x } } as const],
    ['x - (y - 1)', sub(x, binary('-', y, num(1)))],
    ['x - y - 1', binary('-', binary('-', x, y), num(1))],
    ['(-x) ** 2', binary('**', neg(x), num(2))],
    ['x ** y ** 2', binary('**', x, binary('**', y, num(2)))],
    ['(x ** y) ** 2', binary('**', binary('**', x, y), num(2))],
    ['x * (y + 1)', mul(x, add(y, num(1)))],
    ['x - -1', binary('-', x, num(-1))],
    // ?? may not be mixed with || or && without parentheses
    ['(x || y) ?? 1', binary('??', binary('||', x, y), num(1))],
    ['x ?? (y && 1)', binary('??', x, binary('&&', y, num(1)))],
    ['(x ?? y) || 1', binary('||', binary('??', x, y), num(1))],
    ['x ?? y ?? 1', binary('??', binary('??', x, y), num(1))],
    ['(x ?? y) * 2', binary('*', binary('??', x, y), num(2))],
  ])('prints %s', (expected, expression) => {
    expect(printExpression(expression)).toBe(expected);
    // and JavaScript reads it back as the same number
    const evaluate = (text: string) => new Function('x', 'y', `return ${text};`)(1.7, -0.6) as number;
    expect(evaluate(printExpression(expression))).toBe(evaluate(expected));
  });
});

describe('element reads under noUncheckedIndexedAccess', () => {
  const v = ref('v');
  const element = (object: Parameters<typeof printExpression>[0], at: Parameters<typeof printExpression>[0]) => ({ kind: 'index', object, index: at }) as const;
  it.each([
    // a read carries `!`, so that `v[i]` is a number, not number | undefined
    ['v[i]! * 2', mul(element(v, ref('i')), num(2))],
    ['v[i]![j]!', element(element(v, ref('i')), ref('j'))],
    ['v[tape[--top]!]!', element(v, element(ref('tape'), { kind: 'unary', op: '--', operand: ref('top') }))],
    // the left operand of ?? expects a missing element
    ['v[i] ?? 0', binary('??', element(v, ref('i')), num(0))],
  ])('prints %s', (expected, expression) => {
    expect(printExpression(expression)).toBe(expected);
  });

  it('writes an element plainly, and reads it with ! in a compound assignment', () => {
    const target = element(element(ref('m'), ref('i')), ref('j'));
    expect(printAssignTarget(target, '=')).toBe('m[i]![j]');
    expect(printAssignTarget(target, '+=')).toBe('m[i]![j]!');
    expect(printAssignTarget(ref('x'), '+=')).toBe('x');
  });
});
