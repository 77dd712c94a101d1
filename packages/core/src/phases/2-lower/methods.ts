/**
 * Methods of classes. A method is lowered as a function whose first parameter is the instance,
 * `this`, an object holding the fields the method and the methods it calls read (this-shape.ts):
 *
 *   class Linear {                                 function Linear_forward(this: { w: number[]; b: number }, x: number[])
 *     w: number[]; b: number;
 *     /** @differentiable(wrt: x, this) *\/
 *     forward(x: number[]) {                 →       return dot(this.w, x) + this.b
 *       return this.dot(x) + this.b;                 (this.dot(x) is a call of Linear_dot(this, x))
 *     }
 *   }
 *
 * so that `this.w` is a read of a field of a parameter, `this.w[i] = v` a write into it, and
 * `this.m(…)` a call of another method with the instance first, differentiated like any callee.
 * A static method is a function (`Stats.mean(v)` is a call of `Stats_mean`). The companion's
 * functions take the instance first, typed structurally ({ w: number[]; b: number }), and the
 * gradient holds the adjoints of its fields under the key `this` when `wrt` names it.
 */
import {
  Node,
  type CallExpression,
  type ClassDeclaration,
  type MethodDeclaration,
  type PropertyAccessExpression,
  type ThisExpression,
} from 'ts-morph';
import { booleanType, type ValueId } from '../../ir/ssa.js';
import type { FunctionNode } from '../1-parse/index.js';
import { locationOf } from '../1-parse/location.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { isBuiltIn } from './built-ins.js';
import { snippet } from './constructs.js';
import type { LoweringContext } from './context.js';
import { unwrapExpression } from './function-values.js';
import { lowerResolvedCall } from './resolved-call.js';
import { dispatchProblem, type DispatchProblem } from './method-dispatch.js';
import { fieldProblem, methodOf, thisShapeOf, thisType, thisTypeText, type ThisShape } from './this-shape.js';

/** The name of the instance among a method's parameters, and the key of its adjoint in a gradient. */
export const THIS = 'this';

/** The shape of `this` for an instance method lowered as a marked function (the class that declares it); undefined for anything else. */
export function ownThisShape(node: FunctionNode): ThisShape | undefined {
  if (!Node.isMethodDeclaration(node) || node.isStatic()) return undefined;
  const cls = node.getParent();
  return Node.isClassDeclaration(cls) ? thisShapeOf(node, cls) : undefined;
}

/** Declares the instance: the first parameter, differentiable when it holds numbers (the mark's `wrt` decides whether it is). */
export function declareThis(ctx: LoweringContext, shape: ThisShape): void {
  const type = thisType(shape);
  const value = ctx.builder.addParam(THIS, thisTypeText(shape), type ?? booleanType, type !== undefined);
  ctx.assign(ctx.scope.declare(THIS, false), value);
}

/**
 * AD2002 or AD2012 for each `wrt` entry naming `this` or a field of it that is not one: in a
 * function or a static method, or a field the method does not read.
 */
export function checkThisWrt(
  ctx: LoweringContext,
  fn: { name: string; node: FunctionNode },
  wrt: readonly string[],
  mark: Node,
  shape: ThisShape | undefined,
): void {
  const at = locationOf(mark, ctx.file.path);
  for (const name of wrt) {
    if (name !== THIS && !name.startsWith(`${THIS}.`)) continue;
    if (!shape) {
      const params = fn.node.getParameters().map((p) => p.getName());
      ctx.diagnostics.push(createDiagnostic('AD2002', { name, function: fn.name, parameters: params.join(', ') || '(none)' }, at));
      continue;
    }
    const field = name.slice(THIS.length + 1);
    if (name === THIS ? shape.fields.length === 0 : !shape.fields.some((f) => f.name === field)) {
      const read = shape.fields.map((f) => `${THIS}.${f.name}`);
      ctx.diagnostics.push(
        createDiagnostic(
          'AD2012',
          {
            name,
            method: fn.name,
            instead:
              read.length === 0
                ? 'it reads no field of this: leave this out of wrt'
                : `name fields it reads (${read.join(', ')}), or this for all of them`,
          },
          at,
        ),
      );
    }
  }
}

/** `this` in `this.field` (read or written): the instance; an error anywhere else. */
export function lowerThis(ctx: LoweringContext, node: ThisExpression): ValueId {
  const instance = thisValue(ctx, node);
  if (instance === undefined) return ctx.failedValue();
  const access = node.getParent();
  if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== node) {
    return ctx.error(
      'AD1148',
      {
        source: snippet(access ?? node),
        problem: "'this' is used as a value, and a differentiable method only reads fields of it and calls its methods",
        instead: 'Pass the fields it needs (f(this.w)), or make the function a method of the class and call it: this.f(…)',
      },
      node,
    );
  }
  const problem = fieldProblem(access, ctx.thisShape?.cls ?? classOf(node)!);
  if (problem) return ctx.error('AD1146', { source: snippet(access), problem: problem.reason, instead: problem.fix }, access);
  return instance;
}

/**
 * `this.m(…)`, `Class.m(…)` of a static method, `super.m(…)`: the call of the method lowered as a
 * function (the instance first for `this.m`); undefined for any other call.
 */
export function lowerMethodCall(ctx: LoweringContext, node: CallExpression): ValueId | undefined {
  const callee = unwrapExpression(node.getExpression());
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return undefined;
  const receiver = callee.getExpression();
  if (Node.isSuperExpression(receiver)) return ctx.error('AD1147', { source: snippet(node) }, receiver);
  if (Node.isThisExpression(receiver)) {
    const instance = thisValue(ctx, receiver);
    if (instance === undefined) return ctx.failedValue();
    const shape = ctx.thisShape;
    // (in a function passed to a helper, or lifted, the method's class is not known)
    if (!shape)
      return ctx.error(
        'AD1148',
        {
          source: snippet(node),
          problem: "a method is called through 'this' in a function moved out of the method (passed to a helper, or recursing)",
          instead: 'Call the method in the method itself, and pass its result',
        },
        receiver,
      );
    const method = methodOf(shape.cls, callee.getName());
    if (!method) {
      const problem = fieldProblem(callee, shape.cls);
      return ctx.error(
        'AD1146',
        {
          source: snippet(callee),
          problem: problem ? problem.reason : 'is not a method',
          instead: 'Call methods of the class, declared with a body, through this',
        },
        callee,
      );
    }
    return callMethod(ctx, method, shape, [instance], node);
  }
  const method = staticMethodCalled(callee);
  return method && callMethod(ctx, method, undefined, [], node);
}

/** The static method a `Class.name` denotes, if it is one with a body in the project. */
function staticMethodCalled(callee: PropertyAccessExpression): MethodDeclaration | undefined {
  // A built-in's methods (`Math.sin`) are declared in the lib files, never as static methods with a
  // body. Asking TypeScript for the method's symbol checks the receiver, and its control-flow
  // analysis walks back over every statement of the function before the call: seconds for the
  // `Math.f(…)` calls of a function of 10,000 statements.
  const receiver = callee.getExpression();
  if (Node.isIdentifier(receiver) && isBuiltIn(receiver)) return undefined;
  const declaration = callee.getNameNode().getSymbol()?.getDeclarations()[0];
  if (!declaration || !Node.isMethodDeclaration(declaration) || !declaration.isStatic()) return undefined;
  return declaration.getImplementation() ?? declaration;
}

function callMethod(
  ctx: LoweringContext,
  method: MethodDeclaration,
  shape: ThisShape | undefined,
  leading: ValueId[],
  node: CallExpression,
): ValueId {
  const problem = dispatchProblem(method, shape?.cls);
  if (problem) return reportDispatch(ctx, snippet(node), method.getName(), problem, node);
  const callee = ctx.callees.method(method, shape);
  if (!callee)
    return ctx.error('AD1012', { callee: snippet(node.getExpression()) }, node.getExpression(), [
      { message: 'the method is declared here', location: locationOf(method, method.getSourceFile().getFilePath()) },
    ]);
  return lowerResolvedCall(ctx, callee, node, node.getExpression(), leading);
}

/** The instance `this` denotes here, or undefined after reporting why it denotes none Adjoint can follow. */
function thisValue(ctx: LoweringContext, node: ThisExpression): ValueId | undefined {
  const owner = node.getFirstAncestor(
    (a) =>
      Node.isFunctionDeclaration(a) ||
      Node.isFunctionExpression(a) ||
      Node.isMethodDeclaration(a) ||
      Node.isClassDeclaration(a) ||
      Node.isClassExpression(a),
  );
  const binding = ctx.scope.lookup(THIS);
  if (Node.isMethodDeclaration(owner) && !owner.isStatic() && binding)
    return ctx.env.get(binding) ?? ctx.error('AD1009', { name: THIS }, node);
  if (Node.isMethodDeclaration(owner) && owner.isStatic()) {
    ctx.error(
      'AD1148',
      {
        source: snippet(node.getParent() ?? node),
        problem: "in a static method, 'this' is the class",
        instead: 'Name the class for its static members, or pass the values in as parameters',
      },
      node,
    );
  } else if (owner && owner.getFirstAncestor((a) => Node.isMethodDeclaration(a)) && !Node.isClassDeclaration(owner)) {
    ctx.error(
      'AD1148',
      {
        source: snippet(node.getParent() ?? node),
        problem: "inside a nested 'function', 'this' is that function's, not the method's",
        instead: "Write the nested function as an arrow function, whose 'this' is the method's",
      },
      node,
    );
  } else {
    ctx.unsupported(node);
  }
  return undefined;
}

/** The class whose method a `this` is written in. */
function classOf(node: Node): ClassDeclaration | undefined {
  const method = node.getFirstAncestor((a) => Node.isMethodDeclaration(a));
  const cls = method?.getParent();
  return Node.isClassDeclaration(cls) ? cls : undefined;
}

/** AD1149 for a method a call of which, or a marked one, may run another function than the one declared. */
function reportDispatch(ctx: LoweringContext, what: string, name: string, problem: DispatchProblem, node: Node): ValueId {
  const file = ctx.callees.projectFileOf(problem.at.getSourceFile())?.path ?? problem.at.getSourceFile().getFilePath();
  return ctx.error('AD1149', { source: what, method: name, change: problem.reason, instead: problem.fix }, node, [
    {
      message: problem.reason.startsWith('is assigned') ? 'it is assigned here' : 'the override is here',
      location: locationOf(problem.at, file),
    },
  ]);
}

/** AD1149 for a marked method that the program assigns a new function: the companion differentiates the one declared. */
export function checkMarkedMethod(ctx: LoweringContext, node: FunctionNode): void {
  if (!Node.isMethodDeclaration(node)) return;
  const problem = dispatchProblem(node, undefined);
  if (problem) reportDispatch(ctx, node.getName(), node.getName(), problem, node.getNameNode());
}
