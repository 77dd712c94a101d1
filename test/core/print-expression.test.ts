/**
 * The printer keeps the tree's meaning: parentheses where precedence needs them, no `--`; and it
 * prints (and expressionOf rebuilds) a chain of operators however long it is.
 */
import { describe, expect, it } from 'vitest';
import { add, binary, mul, neg, num, ref, sub } from '../../packages/core/src/ir/build.js';
import type { CodeModule, Expr } from '../../packages/core/src/ir/code.js';
import { expressionOf } from '../../packages/core/src/ir/expression-tree.js';
import type { Instr } from '../../packages/core/src/ir/ssa.js';
import { emit, emitUnformatted } from '../../packages/core/src/phases/5-emit/index.js';
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

describe('a chain of 20,000 operators grouped to the left (a module constant copied whole)', () => {
  const terms = 20_000;
  /** x + 1 - 2 + 3 - … as the tree a lowered chain is: 20,000 deep down its left operands. */
  const chain = () => {
    let e: Expr = x;
    for (let i = 1; i <= terms; i++) e = binary(i % 2 ? '+' : '-', e, num(i));
    return e;
  };
  const expectedText = () => ['x', ...Array.from({ length: terms }, (_, k) => `${k % 2 ? '-' : '+'} ${k + 1}`)].join(' ');

  it('is printed in a loop, not by recursion', () => {
    expect(printExpression(chain()) === expectedText()).toBe(true);
  });

  it('is rebuilt from its instructions in a loop (expressionOf)', () => {
    const instrs: Instr[] = [{ kind: 'global', result: 0, name: 'X' } as Instr];
    for (let i = 1; i <= terms; i++) {
      instrs.push({ kind: 'const', result: 2 * i - 1, value: i } as Instr, { kind: 'prim', result: 2 * i, op: i % 2 ? '+' : '-', args: [2 * i - 2, 2 * i - 1], origin: { line: 1, column: 1, text: '' } });
    }
    const expression = expressionOf({ instrs }, 2 * terms, (name) => name.toLowerCase());
    expect(printExpression(expression) === expectedText()).toBe(true);
  });

  it('keeps Adjoint\'s layout where prettier runs out of stack on it', async () => {
    const module: CodeModule = { header: '', imports: [], items: [{ kind: 'const', name: 'K', init: chain() }] };
    const emitted = await emit(module, { format: true });
    // (compared as a boolean: a diff of two 150 KB lines says nothing)
    expect(emitted === emitUnformatted(module) && emitted.includes(`const K = ${expectedText()};`)).toBe(true);
  });
});

describe('property names from the program', () => {
  it.each<[string, Expr]>([
    ['{ x: 1, ["__proto__"]: 2, "a-b": 3, if: 4, __proto___2 }', { kind: 'object', properties: [{ key: 'x', value: num(1) }, { key: '__proto__', value: num(2) }, { key: 'a-b', value: num(3) }, { key: 'if', value: num(4) }, { key: '__proto___2', value: ref('__proto___2') }] }],
    ['{ ["__proto__"]: __proto__ }', { kind: 'object', properties: [{ key: '__proto__', value: ref('__proto__') }] }],
    ['x["a-b"]', { kind: 'member', object: x, property: 'a-b' }],
    ['x.__proto__', { kind: 'member', object: x, property: '__proto__' }],
    ['"it\'s \\"q\\"\\n"', { kind: 'str', value: 'it\'s "q"\n' }],
  ])('prints %s', (expected, expression) => {
    expect(printExpression(expression)).toBe(expected);
  });

  it('makes a __proto__ key an own property, not the prototype', () => {
    const object = new Function(`return ${printExpression({ kind: 'object', properties: [{ key: '__proto__', value: num(2) }] })};`)() as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toBe(2);
  });
});
