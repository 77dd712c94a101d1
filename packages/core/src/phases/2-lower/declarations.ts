/**
 * `let`/`const` declarations, including destructuring: `const [a, b] = pair` reads the elements,
 * `const { x, y: height } = point` reads the fields, nested patterns alike.
 */
import { Node, type BindingName, type Expression, type VariableDeclaration } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';
import { snippet } from './constructs.js';
import { functionValueOf, unwrapExpression } from './function-values.js';

/**
 * Declares the names of `declaration`, bound to `value` or else to the initialiser's value. A name
 * initialised with a function known here (`const f = (x) => …`, `const g = square`) is bound to
 * that function (function-values.ts).
 */
export function lowerDeclaration(ctx: LoweringContext, declaration: VariableDeclaration, mutable: boolean, value?: ValueId): void {
  const init = declaration.getInitializer();
  const nameNode = declaration.getNameNode();
  if (value === undefined && init && Node.isIdentifier(nameNode) && mayBeFunction(init)) {
    const fn = functionValueOf(ctx, init, nameNode.getText());
    if (fn) {
      ctx.scope.declare(nameNode.getText(), mutable, fn);
      return;
    }
  }
  const bound = value ?? (init ? ctx.lowerExpression(init) : undefined);
  bindName(ctx, nameNode, bound, mutable);
}

/**
 * True for an initialiser that may denote a function: an arrow or function expression, a name, or
 * a member of Math (asked before resolving it, since resolving names is slow).
 */
function mayBeFunction(init: Expression): boolean {
  const inner = unwrapExpression(init);
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner) || Node.isIdentifier(inner)) return true;
  return Node.isPropertyAccessExpression(inner) && inner.getExpression().getText() === 'Math';
}

export function bindName(ctx: LoweringContext, name: BindingName, value: ValueId | undefined, mutable: boolean): void {
  if (Node.isIdentifier(name)) {
    const binding = ctx.scope.declare(name.getText(), mutable);
    if (value === undefined) ctx.env.set(binding, undefined);
    else ctx.assign(binding, value);
    return;
  }
  if (value === undefined) {
    ctx.error('AD1009', { name: name.getText() }, name);
    return;
  }
  const origin = ctx.origin(name);
  if (Node.isArrayBindingPattern(name)) {
    name.getElements().forEach((element, i) => {
      if (Node.isOmittedExpression(element)) return;
      if (element.getDotDotDotToken() || element.getInitializer()) {
        ctx.error(element.getDotDotDotToken() ? 'AD1108' : 'AD1130', { source: snippet(element) }, element);
        bindFailed(ctx, element.getNameNode(), mutable);
        return;
      }
      bindName(ctx, element.getNameNode(), ctx.builder.load(value, ctx.builder.constant(i), origin), mutable);
    });
    return;
  }
  for (const element of name.getElements()) {
    if (element.getDotDotDotToken() || element.getInitializer()) {
      ctx.error(element.getDotDotDotToken() ? 'AD1108' : 'AD1130', { source: snippet(element) }, element);
      bindFailed(ctx, element.getNameNode(), mutable);
      continue;
    }
    const property = element.getPropertyNameNode();
    if (property && !Node.isIdentifier(property)) {
      ctx.error('AD1118', { source: snippet(property) }, property);
      bindFailed(ctx, element.getNameNode(), mutable);
      continue;
    }
    const field = (property ?? element.getNameNode()).getText();
    bindName(ctx, element.getNameNode(), ctx.builder.load(value, field, origin), mutable);
  }
}

/**
 * Declares the names of a binding an error was reported for, each holding a value the error
 * accounts for: `const [a, ...rest] = xs` is one error, not one more for every read of `rest`.
 */
function bindFailed(ctx: LoweringContext, name: BindingName, mutable: boolean): void {
  if (Node.isIdentifier(name)) {
    ctx.assign(ctx.scope.declare(name.getText(), mutable), ctx.failedValue());
    return;
  }
  for (const element of name.getElements()) {
    if (!Node.isOmittedExpression(element)) bindFailed(ctx, element.getNameNode(), mutable);
  }
}
