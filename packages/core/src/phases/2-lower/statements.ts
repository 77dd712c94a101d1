/** Lowering of statements: declarations, expression statements, blocks and the final return. */
import { Node, type Statement } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';
import { describeConstruct } from './constructs.js';
import { lowerExpression } from './expressions.js';

/**
 * Lowers a function body's statements; returns the value of the final `return`, or undefined
 * (after reporting it) when the body does not end in one.
 */
export function lowerBody(ctx: LoweringContext, statements: Statement[], functionNode: Node): ValueId | undefined {
  let result: ValueId | undefined;
  statements.forEach((statement, index) => {
    if (Node.isReturnStatement(statement) && index === statements.length - 1) {
      const expression = statement.getExpression();
      result = expression ? lowerExpression(ctx, expression) : ctx.error('AD1004', [ctx.functionName, 'void'], statement);
      return;
    }
    lowerStatement(ctx, statement);
  });
  if (result === undefined && !statements.some((s) => Node.isReturnStatement(s))) {
    ctx.error('AD1004', [ctx.functionName, 'void'], functionNode);
  }
  return result;
}

function lowerStatement(ctx: LoweringContext, statement: Statement): void {
  if (Node.isVariableStatement(statement)) {
    const mutable = statement.getDeclarationKind() !== 'const';
    for (const declaration of statement.getDeclarations()) {
      const nameNode = declaration.getNameNode();
      if (!Node.isIdentifier(nameNode)) {
        ctx.error('AD1002', ['Destructuring'], nameNode);
        continue;
      }
      const init = declaration.getInitializer();
      const value = init ? lowerExpression(ctx, init) : undefined;
      const binding = ctx.scope.declare(nameNode.getText(), mutable);
      if (value === undefined) ctx.env.set(binding, undefined);
      else ctx.assign(binding, value);
    }
    return;
  }
  if (Node.isExpressionStatement(statement)) {
    lowerExpression(ctx, statement.getExpression());
    return;
  }
  if (Node.isBlock(statement)) {
    const outer = ctx.scope;
    ctx.scope = outer.child();
    for (const inner of statement.getStatements()) lowerStatement(ctx, inner);
    ctx.scope = outer;
    return;
  }
  if (Node.isEmptyStatement(statement)) return;
  if (Node.isReturnStatement(statement)) {
    ctx.error('AD1007', [], statement);
    return;
  }
  ctx.error('AD1002', [describeConstruct(statement)], statement);
}
