/** Prints output-language expressions as TypeScript, with the parentheses precedence requires. */
import type { BinaryOperator, Expr } from '../../ir/code.js';
import { accessSuffix, literalKey } from '../../ir/property-names.js';

/** JavaScript operator precedence (higher binds tighter). */
const precedence: Record<BinaryOperator, number> = {
  '??': 3,
  '||': 3,
  '&&': 4,
  '===': 8,
  '!==': 8,
  '==': 8,
  '!=': 8,
  '<': 9,
  '<=': 9,
  '>': 9,
  '>=': 9,
  '+': 11,
  '-': 11,
  '*': 12,
  '/': 12,
  '%': 12,
  '**': 13,
};
const CONDITIONAL = 2;
const UNARY = 14;
const CALL = 17;
const PRIMARY = 20;

function precedenceOf(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return precedence[e.op];
    case 'cond':
      return CONDITIONAL;
    case 'unary':
      return UNARY;
    case 'num':
      return e.value < 0 || Object.is(e.value, -0) ? UNARY : PRIMARY;
    case 'call':
    case 'member':
    case 'method':
    case 'index':
    case 'new':
      return CALL;
    case 'arrow':
    case 'as':
      return CONDITIONAL;
    default:
      return PRIMARY;
  }
}

/** `??` and `||` or `&&` may not be mixed without parentheses. */
function mixesNullish(op: BinaryOperator, operand: Expr): boolean {
  const logical = (o: BinaryOperator) => o === '??' || o === '||' || o === '&&';
  return operand.kind === 'binary' && logical(op) && logical(operand.op) && (op === '??') !== (operand.op === '??');
}

export function printNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/**
 * Prints an expression read for its value. An element read carries `!`: the companion reads only
 * elements that exist (its loops run over the arrays' lengths, as the source's did), and under
 * `noUncheckedIndexedAccess` (set by `tsc --init`) `a[i]` would otherwise be `number | undefined`.
 * Only the left operand of `??`, which expects a missing element, is read without it.
 */
export function printExpression(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return printNumber(e.value);
    case 'bool':
      return String(e.value);
    case 'str':
      return JSON.stringify(e.value);
    case 'ref':
      return e.name;
    case 'unary': {
      const operand = wrap(e.operand, precedenceOf(e.operand) <= UNARY);
      // `- -x` must not print as `--x`
      return `${e.op}${operand.startsWith('-') ? `(${operand})` : operand}`;
    }
    case 'postIncrement':
      return `${e.name}++`;
    case 'binary': {
      // a chain grouped to the left, a + b - c + …, printed in a loop: it may be 20,000 deep
      const links: Array<Extract<Expr, { kind: 'binary' }>> = [e];
      for (let link = e; link.left.kind === 'binary' && !leftNeedsParens(link); link = link.left) links.push(link.left);
      const innermost = links.at(-1)!;
      const parts = [
        innermost.op === '??' && innermost.left.kind === 'index'
          ? printElement(innermost.left)
          : wrap(innermost.left, leftNeedsParens(innermost)),
      ];
      for (let i = links.length - 1; i >= 0; i--) parts.push(` ${links[i]!.op} `, wrap(links[i]!.right, rightNeedsParens(links[i]!)));
      return parts.join('');
    }
    case 'cond':
      return `${wrap(e.test, precedenceOf(e.test) <= CONDITIONAL)} ? ${printExpression(e.then)} : ${printExpression(e.else)}`;
    case 'call':
      return `${e.callee}(${e.args.map(printExpression).join(', ')})`;
    case 'member':
      return `${wrap(e.object, precedenceOf(e.object) < CALL || e.object.kind === 'num')}${accessSuffix(e.property)}`;
    case 'method':
      return `${wrap(e.object, precedenceOf(e.object) < CALL || e.object.kind === 'num')}.${e.method}(${e.args.map(printExpression).join(', ')})`;
    case 'index':
      return `${printElement(e)}!`;
    case 'new':
      return `new ${e.callee}(${e.args.map(printExpression).join(', ')})`;
    case 'array':
      return `[${e.elements.map(printExpression).join(', ')}]`;
    case 'arrow':
      return `(${e.params.join(', ')}) => ${wrap(e.body, e.body.kind === 'object')}`;
    case 'as':
      return `${wrap(e.expr, precedenceOf(e.expr) < CALL)} as ${e.type}`;
    case 'object': {
      // shorthand `{ x }` where the value is the variable of the key's name (never for __proto__)
      const shorthand = (p: { key: string; value: Expr }) =>
        p.value.kind === 'ref' && p.value.name === p.key && literalKey(p.key) === p.key;
      return `{ ${e.properties.map((p) => (shorthand(p) ? p.key : `${literalKey(p.key)}: ${printExpression(p.value)}`)).join(', ')} }`;
    }
  }
}

/**
 * Prints the target of an assignment: `a[i] = v` as it is, `a[i]! += v` with `!` (a compound
 * assignment reads the element first).
 */
export function printAssignTarget(target: Expr, op: string): string {
  if (target.kind !== 'index') return printExpression(target);
  return op === '=' ? printElement(target) : `${printElement(target)}!`;
}

/** `a[i]`, the element itself, without `!`. */
function printElement(e: Extract<Expr, { kind: 'index' }>): string {
  return `${wrap(e.object, precedenceOf(e.object) < CALL)}[${printExpression(e.index)}]`;
}

/** ** is right-associative, and its left operand may not be a bare unary expression. */
function leftNeedsParens(e: Extract<Expr, { kind: 'binary' }>): boolean {
  return e.op === '**' ? precedenceOf(e.left) <= UNARY : precedenceOf(e.left) < precedence[e.op] || mixesNullish(e.op, e.left);
}

function rightNeedsParens(e: Extract<Expr, { kind: 'binary' }>): boolean {
  return e.op === '**'
    ? precedenceOf(e.right) < precedence[e.op]
    : precedenceOf(e.right) <= precedence[e.op] || mixesNullish(e.op, e.right);
}

function wrap(e: Expr, parens: boolean): string {
  const text = printExpression(e);
  return parens ? `(${text})` : text;
}
