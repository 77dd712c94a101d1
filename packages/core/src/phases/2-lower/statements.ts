/**
 * Lowering of statements. Structured statements become the IR's two control-flow forms, and
 * jumps become flags:
 *
 *   return e      result = e; returned = true     (returned exists only when a return is early)
 *   break         broke = true                    (a flag of the loop or switch it leaves)
 *   continue      continued = true                (reset at the start of every iteration)
 *
 * After a statement that can jump, the rest of its statement list runs inside
 * `if (!(returned || broke || continued))`, and a loop goes round again only while neither
 * `broke` nor `returned` is set. So the differentiator never sees a jump.
 */
import { Node, SyntaxKind, type Statement } from 'ts-morph';
import { booleanType, type Type, type ValueId } from '../../ir/ssa.js';
import { placeholderOf } from './containers.js';
import type { JumpTarget, LoweringContext } from './context.js';
import { snippet } from './constructs.js';
import { checkpointOf } from './checkpoints.js';
import { skippedWhenZeroOf } from './skip-marks.js';
import { branch, loop } from './control-flow.js';
import { lowerDeclaration } from './declarations.js';
import { lowerDiscarded } from './discarded.js';
import { assignTo, localFunctionUsedAsValue, lowerExpression } from './expressions.js';
import { canJumpOut, hasEarlyReturn, isJumpedOutOf } from './jumps.js';
import { declareLocalFunctions } from './local-functions.js';

/**
 * Lowers a function body; returns the value it returns (undefined for a function that returns
 * nothing, or after reporting a missing return).
 */
export function lowerFunctionBody(
  ctx: LoweringContext,
  statements: Statement[],
  functionNode: Node,
  resultType: Type | undefined,
): ValueId | undefined {
  const early = hasEarlyReturn(statements);
  if (early) ctx.returned = ctx.declareFlag('returned');
  // before an early return of arrays or objects, the result holds a container of their shape
  const container = resultType && resultType.kind !== 'number' && resultType.kind !== 'boolean';
  ctx.env.set(ctx.returnValue, early && container ? placeholderOf(ctx, resultType, functionNode) : undefined);
  const returnsVoid = resultType === undefined;
  declareLocalFunctions(ctx, statements);
  lowerStatements(ctx, statements);
  if (returnsVoid) return undefined;
  const result = ctx.env.get(ctx.returnValue);
  if (result === undefined) ctx.error('AD1004', { function: ctx.functionName, type: 'void' }, functionNode);
  return result;
}

/** Lowers a statement list; returns true when it certainly jumped (the rest is unreachable). */
function lowerStatements(ctx: LoweringContext, statements: Statement[]): boolean {
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    if (lowerStatement(ctx, statement)) return true;
    if (i === statements.length - 1 || !canJumpOut(statement)) continue;
    const noJump = ctx.noneSet(ctx.liveJumpFlags(), ctx.origin(statement));
    if (noJump === undefined) continue;
    branch(
      ctx,
      noJump,
      () => void lowerStatements(ctx, statements.slice(i + 1)),
      () => undefined,
      statement,
    );
    return false;
  }
  return false;
}

/** Runs `lower` in a new block scope, forgetting the scope's bindings afterwards. */
function inScope<T>(ctx: LoweringContext, lower: () => T): T {
  const outer = ctx.scope;
  ctx.scope = outer.child();
  try {
    return lower();
  } finally {
    ctx.env.forget(ctx.scope.own());
    ctx.scope = outer;
  }
}

function lowerStatement(ctx: LoweringContext, statement: Statement): boolean {
  if (Node.isVariableStatement(statement)) {
    if (statement.getDeclarationKind() === 'var') {
      ctx.error('AD1122', { source: snippet(statement) }, statement.getDeclarationList().getFirstChild()!);
      return false;
    }
    const mutable = statement.getDeclarationKind() !== 'const';
    for (const declaration of statement.getDeclarations()) lowerDeclaration(ctx, declaration, mutable);
    return false;
  }
  if (Node.isExpressionStatement(statement)) {
    lowerDiscarded(ctx, statement.getExpression());
    return false;
  }
  if (Node.isBlock(statement)) {
    return inScope(ctx, () => {
      declareLocalFunctions(ctx, statement.getStatements());
      return lowerStatements(ctx, statement.getStatements());
    });
  }
  // bound when its block starts (declareLocalFunctions)
  if (Node.isFunctionDeclaration(statement)) {
    // (an overload signature has no body, and nothing to lower)
    if (!isHoisted(ctx, statement) && statement.getBody()) localFunctionUsedAsValue(ctx, statement);
    return false;
  }
  // no effect at run time: nothing to lower
  if (Node.isEmptyStatement(statement) || Node.isDebuggerStatement(statement)) return false;
  if (Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement)) return false;
  if (Node.isReturnStatement(statement)) {
    const expression = statement.getExpression();
    // `return;` in a function that returns nothing still leaves it
    const value = expression ? lowerExpression(ctx, expression) : ctx.builder.constant(Number.NaN);
    ctx.assign(ctx.returnValue, value);
    if (ctx.returned) ctx.setFlag(ctx.returned);
    return true;
  }
  if (Node.isIfStatement(statement)) {
    const otherwise = statement.getElseStatement();
    branch(
      ctx,
      lowerExpression(ctx, statement.getExpression()),
      () => void inScope(ctx, () => lowerStatement(ctx, statement.getThenStatement())),
      () => void (otherwise && inScope(ctx, () => lowerStatement(ctx, otherwise))),
      statement,
    );
    return false;
  }
  if (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return lowerJump(ctx, statement);
  if (Node.isWhileStatement(statement) || Node.isDoStatement(statement)) {
    lowerLoop(ctx, statement, {
      condition: () => lowerExpression(ctx, statement.getExpression()),
      body: () => void lowerStatement(ctx, statement.getStatement()),
      checkFirst: Node.isWhileStatement(statement),
    });
    return false;
  }
  if (Node.isForStatement(statement)) {
    inScope(ctx, () => {
      const initializer = statement.getInitializer();
      if (initializer && Node.isVariableDeclarationList(initializer)) {
        const mutable = initializer.getDeclarationKind() !== 'const';
        for (const declaration of initializer.getDeclarations()) lowerDeclaration(ctx, declaration, mutable);
      } else if (initializer) {
        lowerDiscarded(ctx, initializer);
      }
      const condition = statement.getCondition();
      const update = statement.getIncrementor();
      lowerLoop(ctx, statement, {
        condition: () => (condition ? lowerExpression(ctx, condition) : ctx.builder.constant(true)),
        update: update && (() => lowerDiscarded(ctx, update)),
        body: () => void lowerStatement(ctx, statement.getStatement()),
        checkFirst: true,
      });
    });
    return false;
  }
  if (Node.isForOfStatement(statement)) {
    lowerForOf(ctx, statement);
    return false;
  }
  if (Node.isSwitchStatement(statement)) {
    lowerSwitch(ctx, statement);
    return false;
  }
  ctx.unsupported(statement);
  return false;
}

/** True for a nested function declaration bound when its block started (declareLocalFunctions). */
function isHoisted(ctx: LoweringContext, statement: import('ts-morph').FunctionDeclaration): boolean {
  const fn = ctx.scope.lookup(statement.getName() ?? '')?.fn;
  return fn?.kind === 'local' && fn.node === statement;
}

function lowerJump(ctx: LoweringContext, statement: import('ts-morph').BreakStatement | import('ts-morph').ContinueStatement): boolean {
  if (statement.getLabel()) {
    ctx.error('AD1107', { source: snippet(statement) }, statement);
    return true;
  }
  const breaks = Node.isBreakStatement(statement);
  const target = [...ctx.jumpTargets].reverse().find((t) => (breaks && t.kind !== 'function') || t.kind === 'loop');
  const flag = breaks ? target?.broke : target?.continued;
  if (!flag) throw new Error(`no ${breaks ? 'break' : 'continue'} flag for the jump at line ${statement.getStartLineNumber()}`);
  ctx.setFlag(flag);
  return true;
}

interface LoopParts {
  /** Lowers the loop condition (called before the first iteration too, unless `checkFirst` is false). */
  condition: () => ValueId;
  /** Lowers a `for` loop's update, which runs after the body, also after a `continue`. */
  update?: () => void;
  /** Lowers one iteration's body, in its own scope. */
  body: () => void;
  /** `while` and `for` test the condition before the first iteration; `do…while` does not. */
  checkFirst: boolean;
}

/**
 * `while (c) body` becomes `if (c) loop { body; again = c }`, `do body while (c)` becomes
 * `loop { body; again = c }`, and a `for` adds its update before the condition.
 */
function lowerLoop(ctx: LoweringContext, node: Statement, parts: LoopParts): void {
  const target: JumpTarget = { kind: 'loop', node };
  if (isJumpedOutOf(node, SyntaxKind.BreakStatement)) target.broke = ctx.declareFlag('broke');
  if (isJumpedOutOf(node, SyntaxKind.ContinueStatement)) target.continued = { name: 'continued', mutable: true };
  const origin = ctx.origin(node);
  const checkpoint = checkpointOf(ctx, node);
  const skippedWhenZero = skippedWhenZeroOf(ctx, node);

  const iterate = () =>
    loop(
      ctx,
      () => {
        if (target.continued) ctx.env.set(target.continued, ctx.builder.constant(false));
        ctx.jumpTargets.push(target);
        inScope(ctx, parts.body);
        ctx.jumpTargets.pop();
        // The update and the condition run unless a break or a return left the loop.
        const flags = [ctx.returned, target.broke].flatMap((f) => (f ? [ctx.env.get(f)!] : []));
        const stay = ctx.noneSet(
          flags.filter((v) => !ctx.isConstant(v, false)),
          origin,
        );
        const next = () => {
          parts.update?.();
          return parts.condition();
        };
        return stay === undefined ? next() : branch(ctx, stay, next, () => ctx.builder.constant(false), node)!;
      },
      checkpoint,
      skippedWhenZero,
    );

  // a loop whose first test is `true` (for (;;), while (true)) needs no branch around it
  const firstTest = parts.checkFirst ? parts.condition() : undefined;
  if (firstTest !== undefined && !ctx.isConstant(firstTest, true)) branch(ctx, firstTest, iterate, () => undefined, node);
  else iterate();
  ctx.env.forget([target.broke, target.continued].filter((f) => f !== undefined));
}

/** `for (const v of array) body`: a counted loop over the indices, reading `array[i]` into v. */
function lowerForOf(ctx: LoweringContext, statement: import('ts-morph').ForOfStatement): void {
  const initializer = statement.getInitializer();
  if (statement.isAwaited()) {
    ctx.error('AD1104', { source: snippet(statement) }, statement);
    return;
  }
  const origin = ctx.origin(statement.getExpression());
  const array = lowerExpression(ctx, statement.getExpression());
  const index = { name: 'index', mutable: true };
  ctx.env.set(index, ctx.builder.constant(0));
  lowerLoop(ctx, statement, {
    condition: () => ctx.builder.prim('<', [ctx.env.get(index)!, ctx.builder.length(array)], origin, booleanType),
    body: () => {
      const element = ctx.builder.load(array, ctx.env.get(index)!, origin);
      if (Node.isVariableDeclarationList(initializer)) {
        const mutable = initializer.getDeclarationKind() !== 'const';
        for (const declaration of initializer.getDeclarations()) lowerDeclaration(ctx, declaration, mutable, element);
      } else {
        // for (x of array): assigns to an existing variable (or element, or pattern)
        assignTo(ctx, initializer, element);
      }
      lowerStatement(ctx, statement.getStatement());
    },
    update: () => ctx.env.set(index, ctx.builder.prim('+', [ctx.env.get(index)!, ctx.builder.constant(1)], origin)),
    checkFirst: true,
  });
  ctx.env.forget([index]);
}

/**
 * `switch`: case i runs when an earlier case ran and did not break (fall-through), or when it is
 * the first case equal to the discriminant (or the default, when no case is). Case labels are
 * all evaluated up front: they must not have side effects.
 */
function lowerSwitch(ctx: LoweringContext, statement: import('ts-morph').SwitchStatement): void {
  const origin = ctx.origin(statement.getExpression());
  const discriminant = lowerExpression(ctx, statement.getExpression());
  const clauses = statement.getCaseBlock().getClauses();
  const matches = clauses.map((clause) =>
    Node.isCaseClause(clause)
      ? ctx.builder.prim('===', [discriminant, lowerExpression(ctx, clause.getExpression())], origin, booleanType)
      : undefined,
  );
  const caseMatches = matches.filter((m) => m !== undefined);
  const anyCase =
    caseMatches.length === 0
      ? ctx.builder.constant(false)
      : caseMatches.reduce((a, b) => ctx.builder.prim('or', [a, b], origin, booleanType));
  const target: JumpTarget = { kind: 'switch', node: statement };
  if (isJumpedOutOf(statement, SyntaxKind.BreakStatement)) target.broke = ctx.declareFlag('broke');
  const entered = ctx.declareFlag('entered');
  inScope(ctx, () => {
    declareLocalFunctions(
      ctx,
      clauses.flatMap((clause) => clause.getStatements()),
    );
    clauses.forEach((clause, i) => {
      const startsHere = matches[i] ?? ctx.builder.prim('!', [anyCase], origin, booleanType);
      ctx.env.set(entered, ctx.builder.prim('or', [ctx.env.get(entered)!, startsHere], origin, booleanType));
      ctx.jumpTargets.push(target);
      const noJump = ctx.noneSet(ctx.liveJumpFlags(), origin);
      const runs =
        noJump === undefined ? ctx.env.get(entered)! : ctx.builder.prim('and', [ctx.env.get(entered)!, noJump], origin, booleanType);
      branch(
        ctx,
        runs,
        () => void lowerStatements(ctx, clause.getStatements()),
        () => undefined,
        clause,
      );
      ctx.jumpTargets.pop();
    });
  });
  ctx.env.forget([entered, ...(target.broke ? [target.broke] : [])]);
}
