/**
 * Lowering of expressions to SSA values. Evaluation order is the source's: left operand first,
 * and an assignment inside an expression updates the environment before the next operand is read.
 */
import { Node, SyntaxKind, type Expression } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import { lookupRule, mathConstants } from '../../rules/index.js';
import type { LoweringContext } from './context.js';
import { describeConstruct, describeOperator } from './constructs.js';

const arithmeticOperators: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.PlusToken]: '+',
  [SyntaxKind.MinusToken]: '-',
  [SyntaxKind.AsteriskToken]: '*',
  [SyntaxKind.SlashToken]: '/',
  [SyntaxKind.PercentToken]: '%',
  [SyntaxKind.AsteriskAsteriskToken]: '**',
};

/** `x op= e` means `x = x op e`. */
const compoundAssignments: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.PlusEqualsToken]: '+',
  [SyntaxKind.MinusEqualsToken]: '-',
  [SyntaxKind.AsteriskEqualsToken]: '*',
  [SyntaxKind.SlashEqualsToken]: '/',
  [SyntaxKind.PercentEqualsToken]: '%',
  [SyntaxKind.AsteriskAsteriskEqualsToken]: '**',
};

/** Global names that denote numbers. */
const numericGlobals: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY };

export function lowerExpression(ctx: LoweringContext, node: Expression): ValueId {
  if (Node.isNumericLiteral(node)) return ctx.builder.constant(numericLiteralValue(node.getText()));
  if (Node.isIdentifier(node)) return readVariable(ctx, node);
  if (
    Node.isParenthesizedExpression(node) ||
    Node.isAsExpression(node) ||
    Node.isNonNullExpression(node) ||
    Node.isTypeAssertion(node) ||
    Node.isSatisfiesExpression(node)
  ) {
    return lowerExpression(ctx, node.getExpression());
  }
  if (Node.isPrefixUnaryExpression(node)) return lowerPrefixUnary(ctx, node);
  if (Node.isPostfixUnaryExpression(node)) return lowerIncrement(ctx, node, node.getOperand(), node.getOperatorToken(), 'postfix');
  if (Node.isBinaryExpression(node)) return lowerBinary(ctx, node);
  if (Node.isCallExpression(node)) return lowerCall(ctx, node);
  if (Node.isPropertyAccessExpression(node)) return lowerPropertyAccess(ctx, node);
  return ctx.error('AD1002', [describeConstruct(node)], node);
}

function readVariable(ctx: LoweringContext, node: import('ts-morph').Identifier): ValueId {
  const name = node.getText();
  const binding = ctx.scope.lookup(name);
  if (binding) {
    const value = ctx.env.get(binding);
    return value ?? ctx.error('AD1009', [name], node);
  }
  if (Object.hasOwn(numericGlobals, name)) return ctx.builder.constant(numericGlobals[name]!);
  const moduleConstant = ctx.file.moduleConstants.get(name);
  if (moduleConstant) {
    ctx.globalsRead.add(name);
    return ctx.builder.global(name);
  }
  if (name === 'undefined') return ctx.error('AD1006', [name, "'undefined', which is not a number"], node);
  return ctx.error('AD1006', [name, describeDeclaration(ctx, name)], node);
}

/** What a name that is neither local nor a module constant refers to, for the error message. */
function describeDeclaration(ctx: LoweringContext, name: string): string {
  const sourceFile = ctx.file.sourceFile;
  if (sourceFile.getVariableStatements().some((s) => s.getDeclarations().some((d) => d.getName() === name))) {
    return 'module-level mutable state';
  }
  if (sourceFile.getImportDeclarations().some((i) => i.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name))) {
    return 'an imported value';
  }
  return 'a name that is not a local variable, a parameter or a module-level const';
}

function lowerPrefixUnary(ctx: LoweringContext, node: import('ts-morph').PrefixUnaryExpression): ValueId {
  const operator = node.getOperatorToken();
  const operand = node.getOperand();
  switch (operator) {
    case SyntaxKind.MinusToken:
      return ctx.builder.prim('neg', [lowerExpression(ctx, operand)], ctx.origin(node));
    case SyntaxKind.PlusToken:
      // +x of a number is x
      return lowerExpression(ctx, operand);
    case SyntaxKind.PlusPlusToken:
    case SyntaxKind.MinusMinusToken:
      return lowerIncrement(ctx, node, operand, operator, 'prefix');
    default:
      return ctx.error('AD1002', [describeOperator(operator)], node);
  }
}

/** `++x`/`x++` and `--x`/`x--`: x = x ± 1; the prefix form yields the new value, the postfix the old. */
function lowerIncrement(
  ctx: LoweringContext,
  node: Node,
  operand: Expression,
  operator: SyntaxKind,
  fix: 'prefix' | 'postfix',
): ValueId {
  const target = assignmentTarget(ctx, operand);
  if (!target) return ctx.builder.constant(Number.NaN);
  const old = readVariable(ctx, operand as import('ts-morph').Identifier);
  const op = operator === SyntaxKind.PlusPlusToken ? '+' : '-';
  const updated = ctx.builder.prim(op, [old, ctx.builder.constant(1)], ctx.origin(node));
  ctx.assign(target, updated);
  return fix === 'prefix' ? updated : old;
}

function lowerBinary(ctx: LoweringContext, node: import('ts-morph').BinaryExpression): ValueId {
  const operator = node.getOperatorToken().getKind();
  const left = node.getLeft();
  const right = node.getRight();
  const arithmetic = arithmeticOperators[operator];
  if (arithmetic) {
    const a = lowerExpression(ctx, left);
    const b = lowerExpression(ctx, right);
    return ctx.builder.prim(arithmetic, [a, b], ctx.origin(node));
  }
  if (operator === SyntaxKind.EqualsToken) {
    const target = assignmentTarget(ctx, left);
    const value = lowerExpression(ctx, right);
    if (target) ctx.assign(target, value);
    return value;
  }
  const compound = compoundAssignments[operator];
  if (compound) {
    const target = assignmentTarget(ctx, left);
    if (!target) return ctx.builder.constant(Number.NaN);
    const old = readVariable(ctx, left as import('ts-morph').Identifier);
    const value = ctx.builder.prim(compound, [old, lowerExpression(ctx, right)], ctx.origin(node));
    ctx.assign(target, value);
    return value;
  }
  if (operator === SyntaxKind.CommaToken) {
    lowerExpression(ctx, left);
    return lowerExpression(ctx, right);
  }
  return ctx.error('AD1002', [describeOperator(operator)], node.getOperatorToken());
}

/** The binding an assignment writes, or undefined after reporting why it cannot be written. */
function assignmentTarget(ctx: LoweringContext, target: Expression) {
  const unwrapped = Node.isParenthesizedExpression(target) ? target.getExpression() : target;
  if (!Node.isIdentifier(unwrapped)) {
    ctx.error('AD1002', [`Assigning to ${describeConstruct(unwrapped).toLowerCase()}`], unwrapped);
    return undefined;
  }
  const binding = ctx.scope.lookup(unwrapped.getText());
  if (!binding) {
    ctx.error('AD1006', [unwrapped.getText(), 'a variable outside the function'], unwrapped);
    return undefined;
  }
  if (!binding.mutable) {
    ctx.error('AD1008', [binding.name], unwrapped);
    return undefined;
  }
  return binding;
}

function lowerCall(ctx: LoweringContext, node: import('ts-morph').CallExpression): ValueId {
  const callee = node.getExpression().getText().replace(/\s+/g, '');
  const rule = lookupRule(callee);
  if (!rule || !callee.startsWith('Math.')) return ctx.error('AD1005', [callee], node.getExpression());
  const argNodes = node.getArguments();
  const spread = argNodes.find((a) => Node.isSpreadElement(a));
  if (spread) return ctx.error('AD1002', [describeConstruct(spread)], spread);
  if (rule.arity !== 'variadic' && argNodes.length !== rule.arity) {
    return ctx.error('AD1002', [`Calling ${callee} with ${argNodes.length} arguments instead of ${rule.arity}`], node);
  }
  const args = argNodes.map((a) => lowerExpression(ctx, a as Expression));
  return ctx.builder.prim(callee, args, ctx.origin(node));
}

function lowerPropertyAccess(ctx: LoweringContext, node: import('ts-morph').PropertyAccessExpression): ValueId {
  const name = node.getText().replace(/\s+/g, '');
  if (Object.hasOwn(mathConstants, name)) return ctx.builder.global(name);
  if (name.startsWith('Math.')) return ctx.error('AD1005', [name], node);
  return ctx.error('AD1002', ['Reading a property'], node);
}

/**
 * The value of a numeric literal in any notation (`0x1F`, `0o17`, `0b101`, `1e-12`, `1_000`,
 * `.5`). Read from the text: ts-morph's getLiteralValue() reads `1e-12` as 1.
 */
function numericLiteralValue(text: string): number {
  return Number(text.replace(/_/g, ''));
}
