/**
 * `let`/`const` declarations, including destructuring: `const [a, b] = pair` reads the elements,
 * `const { x, y: height } = point` reads the fields, nested patterns alike.
 */
import { Node, type BindingName, type VariableDeclaration } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';
import { snippet } from './constructs.js';
import { lowerExpression } from './expressions.js';

/** Declares the names of `declaration`, bound to `value` or else to the initialiser's value. */
export function lowerDeclaration(ctx: LoweringContext, declaration: VariableDeclaration, mutable: boolean, value?: ValueId): void {
  const init = declaration.getInitializer();
  const bound = value ?? (init ? lowerExpression(ctx, init) : undefined);
  bindName(ctx, declaration.getNameNode(), bound, mutable);
}

function bindName(ctx: LoweringContext, name: BindingName, value: ValueId | undefined, mutable: boolean): void {
  if (Node.isIdentifier(name)) {
    const binding = ctx.scope.declare(name.getText(), mutable);
    if (value === undefined) ctx.env.set(binding, undefined);
    else ctx.assign(binding, value);
    return;
  }
  if (value === undefined) {
    ctx.error('AD1009', [name.getText()], name);
    return;
  }
  const origin = ctx.origin(name);
  if (Node.isArrayBindingPattern(name)) {
    name.getElements().forEach((element, i) => {
      if (Node.isOmittedExpression(element)) return;
      if (element.getDotDotDotToken() || element.getInitializer()) {
        ctx.error(element.getDotDotDotToken() ? 'AD1108' : 'AD1130', [snippet(element)], element);
        bindFailed(ctx, element.getNameNode(), mutable);
        return;
      }
      bindName(ctx, element.getNameNode(), ctx.builder.load(value, ctx.builder.constant(i), origin), mutable);
    });
    return;
  }
  for (const element of name.getElements()) {
    if (element.getDotDotDotToken() || element.getInitializer()) {
      ctx.error(element.getDotDotDotToken() ? 'AD1108' : 'AD1130', [snippet(element)], element);
      bindFailed(ctx, element.getNameNode(), mutable);
      continue;
    }
    const property = element.getPropertyNameNode();
    if (property && !Node.isIdentifier(property)) {
      ctx.error('AD1118', [snippet(property)], property);
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
