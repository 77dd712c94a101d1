/**
 * Functions as values inside a differentiable function. A function is never a value of the IR:
 * every call through a name and every callback is resolved, while lowering, to the function it
 * denotes, which must therefore be known where the call is written:
 *
 *   local    an arrow, a function expression or a nested function declaration of the function
 *            being lowered: its body is lowered in place at each call (local-functions.ts), in
 *            the scope where it is written, so it reads and updates the variables it captures
 *            exactly as JavaScript does, whenever it is called
 *   callee   a function of the project, or one with a derivative rule: a call instruction
 *   math     a Math function of the rules table: a primitive
 *   lifted   a local function that recurses, lowered once as a function of its own (specialise.ts)
 *
 * This module finds the function an expression denotes (a FunctionValue, scope.ts);
 * function-value-calls.ts lowers calls through it.
 * A function used in any other way (returned, stored in an array or object, chosen at run time)
 * escapes: AD1140 names it and where it escapes.
 */
import { Node, SyntaxKind, type Expression, type Identifier } from 'ts-morph';
import { type ValueId } from '../../ir/ssa.js';
import { lookupRule } from '../../rules/index.js';
import { namespaceMember } from './callees.js';
import { snippet } from './constructs.js';
import type { LoweringContext } from './context.js';
import type { FunctionValue } from './scope.js';
import { builtInName } from './built-ins.js';

/** An argument of a call through a function value: a value, or `undefined` (Array.from({ length: n }, f) passes it). */
export type FunctionArgument = ValueId | undefined;

const isTransparent = (node: Node) =>
  Node.isParenthesizedExpression(node) ||
  Node.isAsExpression(node) ||
  Node.isNonNullExpression(node) ||
  Node.isTypeAssertion(node) ||
  Node.isSatisfiesExpression(node);

/** The expression inside parentheses, `as`, `!` and `satisfies`. */
export function unwrapExpression(node: Expression): Expression {
  let inner: Node = node;
  while (isTransparent(inner)) inner = (inner as import('ts-morph').ParenthesizedExpression).getExpression();
  return inner as Expression;
}

/** True when the expression denotes a function, whether or not Adjoint knows which. */
export function isFunctionExpression(node: Expression): boolean {
  const inner = unwrapExpression(node);
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) return true;
  return inner.getType().getCallSignatures().length > 0;
}

/**
 * The function an expression denotes, when it is known where the expression is written: an arrow
 * or function expression, a name bound to a function (local, of the module, imported), or a Math
 * function. Undefined otherwise (a function chosen at run time, or not a function at all).
 */
export function functionValueOf(ctx: LoweringContext, node: Expression, name = '(anonymous)'): FunctionValue | undefined {
  const inner = unwrapExpression(node);
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) {
    if (inner.isAsync() || (Node.isFunctionExpression(inner) && inner.isGenerator())) return undefined;
    return { kind: 'local', node: inner, scope: ctx.scope, name: Node.isFunctionExpression(inner) ? (inner.getName() ?? name) : name };
  }
  if (Node.isIdentifier(inner)) {
    const binding = ctx.scope.lookup(inner.getText());
    if (binding) return binding.fn;
    return moduleFunction(ctx, inner);
  }
  if (Node.isPropertyAccessExpression(inner)) {
    // Math's functions, when `Math` is the global one (built-ins.ts)
    const op = builtInName(inner) ?? '';
    const rule = op.startsWith('Math.') ? lookupRule(op) : undefined;
    if (rule) return { kind: 'math', op, arity: rule.arity };
    // `ns.f` of `import * as ns from './m'`: m's function f, as `f` after `import { f }`
    const member = namespaceMember(inner);
    if (member) return moduleFunction(ctx, member);
  }
  return undefined;
}

/** A function of the project (or with a derivative rule) that a name outside the function denotes. */
function moduleFunction(ctx: LoweringContext, identifier: Identifier): FunctionValue | undefined {
  const lookup = ctx.callees.resolve(identifier);
  if (lookup.kind !== 'callee' || (!lookup.callee.node && !lookup.callee.rule)) return undefined;
  return { kind: 'callee', callee: lookup.callee };
}

/**
 * AD1140 for a function that escapes at `node` (an arrow, a function expression, or a name or
 * property denoting a function, used as a value): says where from the expression's context.
 */
export function functionEscapes(ctx: LoweringContext, node: Node): ValueId {
  let child: Node = node;
  let parent = node.getParent();
  while (parent && isTransparent(parent)) {
    child = parent;
    parent = parent.getParent();
  }
  // a method of the instance: an arrow that calls it is a function Adjoint knows
  if (Node.isPropertyAccessExpression(node) && Node.isThisExpression(node.getExpression())) {
    const method = node.getName();
    return ctx.error(
      'AD1148',
      {
        source: snippet(node),
        problem: `the method '${method}' ${whereItEscapes(child, parent)}`,
        instead: `Pass an arrow that calls it through this: (v) => this.${method}(v)`,
      },
      node,
    );
  }
  return ctx.error('AD1140', { function: snippet(node), use: whereItEscapes(child, parent) }, node);
}

/** A function's name: declared, or the variable it initialises, or its text. */
export function functionName(node: Node): string {
  if ((Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node)) && node.getName()) return node.getName()!;
  const parent = node.getParent();
  if (Node.isVariableDeclaration(parent)) return parent.getName();
  return snippet(node);
}

function whereItEscapes(child: Node, parent: Node | undefined): string {
  if (!parent) return 'is used as a value';
  if (Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) {
    const owner = Node.isArrowFunction(parent)
      ? parent
      : parent.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    return `is returned from ${owner ? `'${functionName(owner)}'` : 'the function'}`;
  }
  if (Node.isArrayLiteralExpression(parent)) return 'is stored in an array';
  if (Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent))
    return `is stored in the field '${parent.getName()}' of an object`;
  if (Node.isConditionalExpression(parent) && child !== parent.getCondition())
    return `is chosen at run time by '${snippet(parent.getCondition())}'`;
  if (Node.isBinaryExpression(parent)) {
    const operator = parent.getOperatorToken().getKind();
    if ([SyntaxKind.BarBarToken, SyntaxKind.AmpersandAmpersandToken, SyntaxKind.QuestionQuestionToken].includes(operator))
      return `is chosen at run time by '${snippet(parent)}'`;
    if (operator === SyntaxKind.EqualsToken && child === parent.getRight()) return `is assigned to '${snippet(parent.getLeft())}'`;
  }
  if (Node.isVariableDeclaration(parent)) return `is assigned to '${parent.getName()}' through a pattern`;
  if (Node.isCallExpression(parent) && child !== parent.getExpression())
    return `is passed to '${snippet(parent.getExpression())}', which Adjoint cannot specialise for it`;
  return 'is used as a value';
}
