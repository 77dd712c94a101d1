/**
 * Builders for the output language that simplify as they build, so the differentiator can write
 * the chain rule literally (`mul(adjoint, partial)`) and still emit `d_y * x`, not `d_y * 1 * x`.
 * Only rewrites that hold for every IEEE double are made (x * 1 = x, x / 1 = x, -(-x) = x, and
 * folding of two literals); x * 0 is kept, since it is NaN for infinite x.
 */
import type { AssignTarget, BinaryOperator, Expr } from './code.js';

export const num = (value: number): Expr => ({ kind: 'num', value });
export const bool = (value: boolean): Expr => ({ kind: 'bool', value });
export const ref = (name: string): AssignTarget => ({ kind: 'ref', name });
export const call = (callee: string, args: Expr[]): Expr => ({ kind: 'call', callee, args });
export const cond = (test: Expr, then: Expr, otherwise: Expr): Expr => ({ kind: 'cond', test, then, else: otherwise });

const isNum = (e: Expr, value?: number): e is { kind: 'num'; value: number } =>
  e.kind === 'num' && (value === undefined || Object.is(e.value, value));

function fold(op: BinaryOperator, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return undefined;
  }
}

export function binary(op: BinaryOperator, left: Expr, right: Expr): Expr {
  if (isNum(left) && isNum(right)) {
    const folded = fold(op, left.value, right.value);
    if (folded !== undefined && Number.isFinite(folded)) return num(folded);
  }
  return { kind: 'binary', op, left, right };
}

export function neg(operand: Expr): Expr {
  if (isNum(operand)) return num(-operand.value);
  if (operand.kind === 'unary' && operand.op === '-') return operand.operand;
  return { kind: 'unary', op: '-', operand };
}

export function not(operand: Expr): Expr {
  return { kind: 'unary', op: '!', operand };
}

const isNegation = (e: Expr): e is { kind: 'unary'; op: '-'; operand: Expr } => e.kind === 'unary' && e.op === '-';

export function add(a: Expr, b: Expr): Expr {
  if (isNegation(b)) return sub(a, b.operand);
  return binary('+', a, b);
}

export function sub(a: Expr, b: Expr): Expr {
  if (isNum(a, 0)) return neg(b);
  if (isNegation(b)) return add(a, b.operand);
  return binary('-', a, b);
}

export function mul(a: Expr, b: Expr): Expr {
  // An indicator factor (`t ? 1 : 0`) selects instead of multiplying, so the unselected side is an
  // exact 0 even when the other factor is infinite: the convention of the non-smooth rules.
  if (b.kind === 'cond' && isNum(b.then, 1) && isNum(b.else, 0)) return cond(b.test, a, num(0));
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  // a · (1/b) = a/b, one rounding instead of two
  if (b.kind === 'binary' && b.op === '/' && isNum(b.left, 1)) return div(a, b.right);
  if (isNum(a, -1)) return neg(b);
  if (isNum(b, -1)) return neg(a);
  if (isNegation(a)) return neg(mul(a.operand, b));
  if (isNegation(b)) return neg(mul(a, b.operand));
  return binary('*', a, b);
}

export function div(a: Expr, b: Expr): Expr {
  if (isNum(b, 1)) return a;
  if (isNegation(a)) return neg(div(a.operand, b));
  if (isNegation(b)) return neg(div(a, b.operand));
  return binary('/', a, b);
}

export function pow(base: Expr, exponent: Expr): Expr {
  if (isNum(exponent, 1)) return base;
  return binary('**', base, exponent);
}

export const index = (object: Expr, at: Expr): AssignTarget => ({ kind: 'index', object, index: at });
export const member = (object: Expr, property: string): AssignTarget => ({ kind: 'member', object, property });
export const method = (object: Expr, name: string, args: Expr[]): Expr => ({ kind: 'method', object, method: name, args });
