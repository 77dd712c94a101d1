/**
 * Lowering of expressions to SSA values. Evaluation order is the source's: left operand first,
 * and an assignment inside an expression updates the environment before the next operand is read.
 * `&&`, `||` and `?:` become branches, so their right operands run only when JavaScript runs them.
 */
import { Node, SyntaxKind, type Expression } from 'ts-morph';
import { booleanType, type ValueId } from '../../ir/ssa.js';
import { lookupRule, mathConstants } from '../../rules/index.js';
import type { LoweringContext } from './context.js';
import { snippet } from './constructs.js';
import { branch } from './control-flow.js';
import { lowerUserCall } from './calls.js';
import { namespaceOf } from './callees.js';
import { lowerArrayCall, lowerArrayLiteral, lowerNew, lowerObjectLiteral } from './containers.js';
import { builtInName, isBuiltIn } from './built-ins.js';
import type { Binding, FunctionValue } from './scope.js';
import { lowerArrayMethod } from './array-methods.js';
import { readModuleConstant } from './module-constant-reads.js';
import { functionEscapes, functionValueOf, isFunctionExpression, unwrapExpression } from './function-values.js';
import { callFunctionValue } from './function-value-calls.js';
import { lowerMethodCall, lowerThis } from './methods.js';

const arithmeticOperators: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.PlusToken]: '+',
  [SyntaxKind.MinusToken]: '-',
  [SyntaxKind.AsteriskToken]: '*',
  [SyntaxKind.SlashToken]: '/',
  [SyntaxKind.PercentToken]: '%',
  [SyntaxKind.AsteriskAsteriskToken]: '**',
};

const comparisonOperators: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.LessThanToken]: '<',
  [SyntaxKind.LessThanEqualsToken]: '<=',
  [SyntaxKind.GreaterThanToken]: '>',
  [SyntaxKind.GreaterThanEqualsToken]: '>=',
  [SyntaxKind.EqualsEqualsEqualsToken]: '===',
  [SyntaxKind.ExclamationEqualsEqualsToken]: '!==',
  [SyntaxKind.EqualsEqualsToken]: '==',
  [SyntaxKind.ExclamationEqualsToken]: '!=',
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

/** Number's constants: written into the generated code as their values. */
const numberConstants: Record<string, number> = {
  'Number.EPSILON': Number.EPSILON,
  'Number.MAX_VALUE': Number.MAX_VALUE,
  'Number.MIN_VALUE': Number.MIN_VALUE,
  'Number.MAX_SAFE_INTEGER': Number.MAX_SAFE_INTEGER,
  'Number.MIN_SAFE_INTEGER': Number.MIN_SAFE_INTEGER,
  'Number.POSITIVE_INFINITY': Number.POSITIVE_INFINITY,
  'Number.NEGATIVE_INFINITY': Number.NEGATIVE_INFINITY,
  'Number.NaN': Number.NaN,
};

/** Global names that denote numbers. */
const numericGlobals: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY };

export function lowerExpression(ctx: LoweringContext, node: Expression): ValueId {
  if (Node.isNumericLiteral(node)) return ctx.builder.constant(numericLiteralValue(node.getText()));
  if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) return ctx.builder.constant(Node.isTrueLiteral(node));
  if (Node.isIdentifier(node)) return readVariable(ctx, node);
  if (Node.isThisExpression(node)) return lowerThis(ctx, node);
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
  if (Node.isConditionalExpression(node)) {
    const cond = lowerExpression(ctx, node.getCondition());
    return branch(
      ctx,
      cond,
      () => lowerExpression(ctx, node.getWhenTrue()),
      () => lowerExpression(ctx, node.getWhenFalse()),
      node,
    )!;
  }
  if (Node.isCallExpression(node)) return lowerCall(ctx, node);
  if (Node.isPropertyAccessExpression(node)) return lowerPropertyAccess(ctx, node);
  if (Node.isElementAccessExpression(node)) {
    const container = lowerExpression(ctx, node.getExpression());
    const index = lowerIndex(ctx, node);
    return ctx.hasFailed(container) ? ctx.failedValue() : ctx.builder.load(container, index, ctx.origin(node));
  }
  if (Node.isArrayLiteralExpression(node)) return lowerArrayLiteral(ctx, node);
  if (Node.isObjectLiteralExpression(node)) return lowerObjectLiteral(ctx, node);
  if (Node.isNewExpression(node)) return lowerNew(ctx, node);
  // a function where a value is expected (calls and callbacks are resolved before they get here)
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return localFunctionUsedAsValue(ctx, node);
  return ctx.unsupported(node);
}

function readVariable(ctx: LoweringContext, node: import('ts-morph').Identifier): ValueId {
  const name = node.getText();
  const binding = ctx.scope.lookup(name);
  if (binding?.fn) return functionEscapes(ctx, node);
  if (binding) {
    const value = ctx.env.get(binding);
    return value ?? ctx.error('AD1009', { name }, node);
  }
  if (Object.hasOwn(numericGlobals, name) && isBuiltIn(node)) return ctx.builder.constant(numericGlobals[name]!);
  const constant = readModuleConstant(ctx, node);
  if (constant !== undefined) return constant;
  if (name === 'undefined') return ctx.error('AD1006', { source: name, what: "'undefined', which is not a number" }, node);
  if (functionValueOf(ctx, node)) return functionEscapes(ctx, node);
  return ctx.error('AD1006', { source: name, what: describeDeclaration(ctx, name) }, node);
}

/** What a name that is neither local nor a module constant refers to, for the error message. */
function describeDeclaration(ctx: LoweringContext, name: string): string {
  const sourceFile = ctx.file.sourceFile;
  if (sourceFile.getVariableStatements().some((s) => s.getDeclarations().some((d) => d.getName() === name))) {
    return 'module-level mutable state';
  }
  if (
    sourceFile
      .getImportDeclarations()
      .some((i) => i.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name))
  ) {
    return 'an imported value that is not a module-level const of the project';
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
    case SyntaxKind.ExclamationToken:
      return ctx.builder.prim('!', [lowerExpression(ctx, operand)], ctx.origin(node), booleanType);
    case SyntaxKind.PlusPlusToken:
    case SyntaxKind.MinusMinusToken:
      return lowerIncrement(ctx, node, operand, operator, 'prefix');
    default:
      return ctx.unsupportedOperator(operator, node);
  }
}

/**
 * Where an assignment writes: a variable, or an element or field of a container (whose container
 * and index are evaluated once, before the right-hand side).
 */
type Target = { kind: 'variable'; binding: Binding } | { kind: 'element'; container: ValueId; index: ValueId | string };

function assignmentTarget(ctx: LoweringContext, target: Expression): Target | undefined {
  // `(a[i])`, `a[i]!` (`a[i]! += v` under noUncheckedIndexedAccess), `(x as number)`: the same place
  const unwrapped = unwrapExpression(target);
  if (Node.isElementAccessExpression(unwrapped)) {
    const container = lowerExpression(ctx, unwrapped.getExpression());
    return { kind: 'element', container, index: lowerIndex(ctx, unwrapped) };
  }
  if (Node.isPropertyAccessExpression(unwrapped)) {
    const container = lowerExpression(ctx, unwrapped.getExpression());
    // `a.length = n` deletes elements (or adds holes): their adjoints would be lost with them
    if (unwrapped.getName() === 'length' && ctx.builder.typeOf(container).kind === 'array') {
      ctx.error('AD1132', { source: snippet(target) }, unwrapped);
      return undefined;
    }
    return { kind: 'element', container, index: unwrapped.getName() };
  }
  if (!Node.isIdentifier(unwrapped)) {
    ctx.unsupported(unwrapped);
    return undefined;
  }
  const binding = ctx.scope.lookup(unwrapped.getText());
  if (!binding) {
    // only module-level state lies outside the function: a write to it is a side effect
    ctx.error('AD1121', { source: snippet(target) }, unwrapped);
    return undefined;
  }
  if (!binding.mutable) {
    ctx.error('AD1008', { name: binding.name }, unwrapped);
    return undefined;
  }
  return { kind: 'variable', binding };
}

function readTarget(ctx: LoweringContext, target: Target, node: Node): ValueId {
  if (target.kind === 'element') return ctx.builder.load(target.container, target.index, ctx.origin(node));
  return ctx.env.get(target.binding) ?? ctx.error('AD1009', { name: target.binding.name }, node);
}

function writeTarget(ctx: LoweringContext, target: Target, value: ValueId, node: Node): void {
  const constant = target.kind === 'element' ? ctx.builder.constantOf(target.container) : undefined;
  if (constant !== undefined) ctx.error('AD1145', { function: snippet(node), constant }, node);
  else if (target.kind === 'variable') ctx.assign(target.binding, value);
  else ctx.builder.emit({ kind: 'store', container: target.container, index: target.index, value, origin: ctx.origin(node) });
}

/** `++x`/`x++` and `--x`/`x--`: x = x ± 1; the prefix form yields the new value, the postfix the old. */
function lowerIncrement(ctx: LoweringContext, node: Node, operand: Expression, operator: SyntaxKind, fix: 'prefix' | 'postfix'): ValueId {
  const target = assignmentTarget(ctx, operand);
  if (!target) return ctx.builder.constant(Number.NaN);
  const old = readTarget(ctx, target, operand);
  const op = operator === SyntaxKind.PlusPlusToken ? '+' : '-';
  const updated = ctx.builder.prim(op, [old, ctx.builder.constant(1)], ctx.origin(node));
  writeTarget(ctx, target, updated, node);
  return fix === 'prefix' ? updated : old;
}

/**
 * A binary expression. A chain grouped to the left, `a + b - c < d && e …` (the left operand of each
 * link is the next link), is lowered in a loop from its innermost link out, not by recursion: a
 * sum of 20,000 terms nests 20,000 deep (phases/1-parse/nesting.ts).
 */
function lowerBinary(ctx: LoweringContext, node: import('ts-morph').BinaryExpression): ValueId {
  if (!isChainLink(node)) return testForMissing(ctx, node) ?? lowerAssignment(ctx, node);
  const links = [node];
  for (let left = node.getLeft(); isChainLink(left); left = left.getLeft()) links.push(left);
  let value = lowerExpression(ctx, links.at(-1)!.getLeft());
  for (let i = links.length - 1; i >= 0; i--) value = lowerLink(ctx, links[i]!, value);
  return value;
}

/** The operators a chain's links may have: all but the assignments (whose left side is a target) and those not supported. */
const chainOperators = new Set<SyntaxKind>([
  ...(Object.keys(arithmeticOperators).map(Number) as SyntaxKind[]),
  ...(Object.keys(comparisonOperators).map(Number) as SyntaxKind[]),
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.CommaToken,
]);

function isChainLink(node: Node): node is import('ts-morph').BinaryExpression {
  // (a test for a missing element, `v == null`, is lowered on its own: testForMissing)
  return Node.isBinaryExpression(node) && chainOperators.has(node.getOperatorToken().getKind()) && missingTested(node) === undefined;
}

/** One link of a chain: its operator applied to `a`, the value of its left operand, and its right operand. */
function lowerLink(ctx: LoweringContext, node: import('ts-morph').BinaryExpression, a: ValueId): ValueId {
  const operator = node.getOperatorToken().getKind();
  const right = node.getRight();
  const arithmetic = arithmeticOperators[operator];
  if (arithmetic) return ctx.builder.prim(arithmetic, [a, lowerExpression(ctx, right)], ctx.origin(node));
  const comparison = comparisonOperators[operator];
  if (comparison) return ctx.builder.prim(comparison, [a, lowerExpression(ctx, right)], ctx.origin(node), booleanType);
  if (operator === SyntaxKind.AmpersandAmpersandToken || operator === SyntaxKind.BarBarToken) {
    // a && b is a ? b : a, and a || b is a ? a : b, with b evaluated only when needed.
    const lowerB = () => lowerExpression(ctx, right);
    return operator === SyntaxKind.AmpersandAmpersandToken
      ? branch(ctx, a, lowerB, () => a, node)!
      : branch(ctx, a, () => a, lowerB, node)!;
  }
  if (operator === SyntaxKind.QuestionQuestionToken) {
    // a ?? b is b when a is null or undefined (as a read past the end of an array is), else a.
    const missing = ctx.builder.prim('nullish', [a], ctx.origin(node), booleanType);
    return branch(
      ctx,
      missing,
      () => lowerExpression(ctx, right),
      () => a,
      node,
    )!;
  }
  // a, b: a was evaluated for its effects
  return lowerExpression(ctx, right);
}

/** `target = value`, `[a, b] = value` and `target op= value`. */
function lowerAssignment(ctx: LoweringContext, node: import('ts-morph').BinaryExpression): ValueId {
  const operator = node.getOperatorToken().getKind();
  const left = node.getLeft();
  const right = node.getRight();
  if (operator === SyntaxKind.EqualsToken && (Node.isArrayLiteralExpression(left) || Node.isObjectLiteralExpression(left))) {
    // [a, b] = value and ({ x, y } = value): each target takes its element or field
    const value = lowerExpression(ctx, right);
    destructure(ctx, left, value);
    return value;
  }
  if (operator === SyntaxKind.EqualsToken) {
    const target = assignmentTarget(ctx, left);
    const value = lowerExpression(ctx, right);
    if (target) writeTarget(ctx, target, value, node);
    return value;
  }
  const compound = compoundAssignments[operator];
  if (compound) {
    const target = assignmentTarget(ctx, left);
    if (!target) return ctx.builder.constant(Number.NaN);
    const old = readTarget(ctx, target, left);
    const value = ctx.builder.prim(compound, [old, lowerExpression(ctx, right)], ctx.origin(node));
    writeTarget(ctx, target, value, node);
    return value;
  }
  return ctx.unsupportedOperator(operator, node.getOperatorToken());
}

/** The operand `v` of a test for a missing element (`v == null`, `v !== undefined`, …); undefined for any other expression. */
function missingTested(node: import('ts-morph').BinaryExpression): Expression | undefined {
  const operator = node.getOperatorToken().getKind();
  const isNull = (e: Expression) => Node.isNullLiteral(e);
  const isUndefined = (e: Expression) => Node.isIdentifier(e) && e.getText() === 'undefined' && isBuiltIn(e);
  const [left, right] = [node.getLeft(), node.getRight()];
  const loose = operator === SyntaxKind.EqualsEqualsToken || operator === SyntaxKind.ExclamationEqualsToken;
  const strict = operator === SyntaxKind.EqualsEqualsEqualsToken || operator === SyntaxKind.ExclamationEqualsEqualsToken;
  if (!loose && !strict) return undefined;
  const absent = (e: Expression) => (loose && (isNull(e) || isUndefined(e))) || (strict && isUndefined(e));
  return absent(right) ? left : absent(left) ? right : undefined;
}

/**
 * `v == null`, `v != null`, `v === undefined`, `v !== undefined` (either way round): whether an
 * element read found nothing (past the end, a hole), as `??` tests it. Nothing else is null or
 * undefined in a differentiable function, so `=== undefined` and `== null` mean the same. Other
 * comparisons with null or undefined: undefined here (rejected as reads of null or undefined).
 */
function testForMissing(ctx: LoweringContext, node: import('ts-morph').BinaryExpression): ValueId | undefined {
  const operator = node.getOperatorToken().getKind();
  const tested = missingTested(node);
  if (!tested) return undefined;
  const missing = ctx.builder.prim('nullish', [lowerExpression(ctx, tested)], ctx.origin(node), booleanType);
  const negated = operator === SyntaxKind.ExclamationEqualsToken || operator === SyntaxKind.ExclamationEqualsEqualsToken;
  return negated ? ctx.builder.prim('!', [missing], ctx.origin(node), booleanType) : missing;
}

function destructure(ctx: LoweringContext, pattern: Expression, value: ValueId): void {
  const origin = ctx.origin(pattern);
  if (Node.isArrayLiteralExpression(pattern)) {
    pattern.getElements().forEach((element, i) => {
      if (Node.isOmittedExpression(element)) return;
      const part = ctx.builder.load(value, ctx.builder.constant(i), origin);
      if (Node.isArrayLiteralExpression(element) || Node.isObjectLiteralExpression(element)) destructure(ctx, element, part);
      else assignTo(ctx, element, part);
    });
    return;
  }
  if (!Node.isObjectLiteralExpression(pattern)) return void assignTo(ctx, pattern, value);
  for (const property of pattern.getProperties()) {
    if (Node.isShorthandPropertyAssignment(property)) {
      assignTo(ctx, property.getNameNode(), ctx.builder.load(value, property.getName(), origin));
    } else if (Node.isPropertyAssignment(property) && Node.isIdentifier(property.getNameNode())) {
      const part = ctx.builder.load(value, property.getName(), origin);
      const target = property.getInitializerOrThrow();
      if (Node.isArrayLiteralExpression(target) || Node.isObjectLiteralExpression(target)) destructure(ctx, target, part);
      else assignTo(ctx, target, part);
    } else {
      ctx.error(Node.isSpreadAssignment(property) ? 'AD1108' : 'AD1118', { source: snippet(property) }, property);
    }
  }
}

/** Assigns a value to what an expression names: a variable, an element, a field, or a pattern. */
export function assignTo(ctx: LoweringContext, targetNode: Expression, value: ValueId): void {
  if (Node.isArrayLiteralExpression(targetNode) || Node.isObjectLiteralExpression(targetNode)) return destructure(ctx, targetNode, value);
  const target = assignmentTarget(ctx, targetNode);
  if (target) writeTarget(ctx, target, value, targetNode);
}

/** The index of `a[i]`: a number value, or the field name of `o['field']`. */
function lowerIndex(ctx: LoweringContext, node: import('ts-morph').ElementAccessExpression): ValueId | string {
  const argument = node.getArgumentExpressionOrThrow();
  if (Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument)) return argument.getLiteralValue();
  return lowerExpression(ctx, argument);
}

function lowerCall(ctx: LoweringContext, node: import('ts-morph').CallExpression): ValueId {
  const callee = node.getExpression().getText().replace(/\s+/g, '');
  const argNodes = node.getArguments();
  const spread = argNodes.find((a) => Node.isSpreadElement(a));
  if (spread) return ctx.error('AD1108', { source: snippet(spread) }, spread);
  const local = localFunctionCalled(ctx, node);
  if (local)
    return callFunctionValue(
      ctx,
      local,
      argNodes.map((a) => lowerExpression(ctx, a as Expression)),
      node,
    );
  const method = lowerMethodCall(ctx, node);
  if (method !== undefined) return method;
  const withCallback = lowerArrayMethod(ctx, node);
  if (withCallback !== undefined) return withCallback;
  if (node.hasQuestionDotToken()) return ctx.error('AD1109', { source: snippet(node) }, node);
  // the Math functions of the rules table, when `Math` is the global one
  const builtIn = builtInName(node.getExpression());
  if (builtIn === 'Math.random') return ctx.error('AD1120', { source: snippet(node) }, node.getExpression());
  if (/^console\./.test(callee)) return ctx.error('AD1124', { source: snippet(node) }, node);
  if (callee === 'eval' || callee === 'Function' || Node.isImportExpression(node.getExpression()))
    return ctx.error('AD1116', { source: snippet(node) }, node);
  if (!builtIn?.startsWith('Math.')) {
    return lowerUserCall(ctx, node) ?? lowerArrayCall(ctx, node) ?? uncallable(ctx, node);
  }
  const rule = lookupRule(builtIn);
  if (!rule) return ctx.error('AD1005', { callee: builtIn }, node.getExpression());
  if (rule.arity !== 'variadic' && argNodes.length !== rule.arity)
    return ctx.error('AD1005', { callee: `${builtIn} with ${argNodes.length} arguments` }, node);
  const args = argNodes.map((a) => lowerExpression(ctx, a as Expression));
  return ctx.builder.prim(builtIn, args, ctx.origin(node));
}

/** AD1140 for a local function used as a value; AD1104 or AD1105 for an async one or a generator, which cannot be called at all. */
export function localFunctionUsedAsValue(
  ctx: LoweringContext,
  node: import('ts-morph').ArrowFunction | import('ts-morph').FunctionExpression | import('ts-morph').FunctionDeclaration,
): ValueId {
  if (node.isAsync()) return ctx.error('AD1104', { source: snippet(node) }, node);
  if (!Node.isArrowFunction(node) && node.isGenerator()) return ctx.error('AD1105', { source: snippet(node) }, node);
  return functionEscapes(ctx, node);
}

/**
 * AD1123 for a call of something that is not a known function; nothing more when the callee is a
 * variable holding the placeholder of an error already reported (`const h = c ? f : g; h(x)`), or
 * a call whose own lowering reports why (`make()(x)`, where make returns a function: AD1140).
 */
function uncallable(ctx: LoweringContext, node: import('ts-morph').CallExpression): ValueId {
  const callee = unwrapExpression(node.getExpression());
  const binding = Node.isIdentifier(callee) ? ctx.scope.lookup(callee.getText()) : undefined;
  // a variable holding a function Adjoint could not resolve: its initialiser reported why (AD1140)
  const held = binding && ctx.env.get(binding);
  if (binding && ((held !== undefined && ctx.hasFailed(held)) || (ctx.diagnostics.length > 0 && isFunctionExpression(callee))))
    return ctx.builder.constant(Number.NaN);
  if (Node.isCallExpression(callee)) {
    const reported = ctx.diagnostics.length;
    const value = lowerExpression(ctx, callee);
    if (ctx.diagnostics.length > reported) return value;
  }
  return ctx.error('AD1123', { source: snippet(node.getExpression()) }, node.getExpression());
}

/** The local function a call calls through its name (`f(x)` after `const f = …` or a nested `function f`). */
function localFunctionCalled(ctx: LoweringContext, node: import('ts-morph').CallExpression): FunctionValue | undefined {
  const callee = unwrapExpression(node.getExpression());
  return Node.isIdentifier(callee) ? ctx.scope.lookup(callee.getText())?.fn : undefined;
}

function lowerPropertyAccess(ctx: LoweringContext, node: import('ts-morph').PropertyAccessExpression): ValueId {
  // Math's and Number's constants, when `Math` and `Number` are the global ones
  const name = builtInName(node) ?? '';
  if (Object.hasOwn(mathConstants, name)) return ctx.builder.global(name);
  if (Object.hasOwn(numberConstants, name)) return ctx.builder.constant(numberConstants[name]!);
  if (name.startsWith('Math.')) return lookupRule(name) ? functionEscapes(ctx, node) : ctx.error('AD1005', { callee: name }, node);
  if (node.hasQuestionDotToken()) return ctx.error('AD1109', { source: snippet(node) }, node);
  // `ns.K` of `import * as ns from './m'`: an imported value, as `K` of `import { K }` is
  if (namespaceOf(node.getNameNode())) return ctx.error('AD1006', { source: snippet(node), what: 'an imported value' }, node);
  const container = lowerExpression(ctx, node.getExpression());
  if (ctx.hasFailed(container)) return ctx.failedValue();
  const type = ctx.builder.typeOf(container);
  const field = node.getName();
  if ((type.kind === 'array' || type.kind === 'tuple') && field === 'length') return ctx.builder.length(container);
  if (type.kind === 'object' && type.fields.some((f) => f.name === field)) return ctx.builder.load(container, field, ctx.origin(node));
  return ctx.error('AD1129', { source: snippet(node) }, node);
}

/**
 * The value of a numeric literal in any notation (`0x1F`, `0o17`, `0b101`, `1e-12`, `1_000`,
 * `.5`). Read from the text: ts-morph's getLiteralValue() reads `1e-12` as 1.
 */
function numericLiteralValue(text: string): number {
  return Number(text.replace(/_/g, ''));
}
