/**
 * Local functions: arrows, function expressions and nested function declarations written inside
 * the function being lowered. A local function is lowered in place at each of its calls, as if its
 * body were written there:
 *
 *   const scaled = (v: number) => v * k;      // k is read when scaled is called, not when written
 *   let s = 0;
 *   const add = (v: number) => { s += v; };   // the assignment updates the caller's s
 *   add(x); add(scaled(y));
 *
 * lowers to the same IR as `s += x; s += y * k`. Its names resolve in the scope where it is
 * written (a function sees the variables around its definition, whatever the scope of the call),
 * and each variable it captures holds, in the environment, the value it has when the call runs:
 * JavaScript's semantics for closures, which capture variables, not values. Parameters are fresh
 * bindings of each call; `return` leaves the local function only (its own result binding and
 * `returned` flag), and no `break` or `continue` crosses its body (a 'function' jump target).
 *
 * Nested function declarations are hoisted: they are bound when their block starts, so a call may
 * come before the declaration, as in JavaScript.
 */
import { Node, type Statement } from 'ts-morph';
import { type ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';
import { bindName } from './declarations.js';
import { lowerDiscarded } from './discarded.js';
import type { FunctionArgument } from './function-values.js';
import type { FunctionValue, LocalFunctionNode } from './scope.js';
import { irType } from './types.js';
import { unsupportedForm } from './parameter-forms.js';

type LocalFunction = Extract<FunctionValue, { kind: 'local' }>;

/** Binds the function declarations of a statement list in the current scope, before its first statement runs (hoisting). */
export function declareLocalFunctions(ctx: LoweringContext, statements: Statement[]): void {
  for (const statement of statements) {
    // (async functions and generators are reported where they are declared)
    if (!Node.isFunctionDeclaration(statement) || !statement.getBody() || statement.isAsync() || statement.isGenerator()) continue;
    const name = statement.getName();
    if (name) ctx.scope.declare(name, false, { kind: 'local', node: statement, scope: ctx.scope, name });
  }
}

/**
 * Lowers a call of a local function in place: its body, with its parameters bound to `args`. A
 * function that recurses is not lowered in place but lifted (function-value-calls.ts).
 */
export function callLocalFunction(ctx: LoweringContext, fn: LocalFunction, args: FunctionArgument[], site: Node): ValueId {
  // (every recursion is found before: isRecursive)
  if (ctx.localCalls.includes(fn.node))
    throw new Error(`the local function '${fn.name}' at line ${fn.node.getStartLineNumber()} recurses, undetected`);
  const outer = { scope: ctx.scope, returnValue: ctx.returnValue, returned: ctx.returned };
  ctx.scope = fn.scope.child();
  ctx.returnValue = { name: 'result', mutable: true };
  ctx.returned = undefined;
  ctx.jumpTargets.push({ kind: 'function', node: fn.node });
  ctx.localCalls.push(fn.node);
  try {
    bindParameters(ctx, fn.node, args);
    const returnType = fn.node.getReturnType();
    const resultType = returnType.isVoid() ? undefined : irType(returnType, fn.node);
    // (a function returning a function lowers its return, which reports the function escaping: AD1140)
    if (!returnType.isVoid() && !resultType && returnType.getCallSignatures().length === 0)
      return ctx.error('AD1014', { function: fn.name, type: `'${returnType.getText(fn.node)}'` }, site);
    const body = fn.node.getBody()!;
    if (Node.isBlock(body)) {
      return ctx.lowerFunctionBody(body.getStatements(), fn.node, resultType) ?? ctx.builder.constant(Number.NaN);
    }
    const expression = body as import('ts-morph').Expression;
    if (resultType) return ctx.lowerExpression(expression);
    lowerDiscarded(ctx, expression);
    return ctx.builder.constant(Number.NaN);
  } finally {
    ctx.env.forget([...ctx.scope.own(), ctx.returnValue, ...(ctx.returned ? [ctx.returned] : [])]);
    ctx.localCalls.pop();
    ctx.jumpTargets.pop();
    Object.assign(ctx, outer);
  }
}

/**
 * Each parameter is a new mutable binding holding its argument; a missing argument takes the
 * parameter's default value, else it is undefined (reading it is AD1009).
 */
function bindParameters(ctx: LoweringContext, node: LocalFunctionNode, args: FunctionArgument[]): void {
  node.getParameters().forEach((param, i) => {
    if (param.isRestParameter()) {
      const form = unsupportedForm(param)!;
      ctx.error('AD1011', { parameter: param.getText(), problem: form.what, instead: form.fix }, param);
      return;
    }
    const initializer = param.getInitializer();
    const value = args[i] ?? (initializer ? ctx.lowerExpression(initializer) : undefined);
    bindName(ctx, param.getNameNode(), value, true);
  });
}
