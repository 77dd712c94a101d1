/**
 * Calls of user functions: `g(a, v)` becomes a call instruction naming the callee, with a snapshot
 * of each container argument taken just before it (the reverse sweep replays the call on the
 * snapshot when the container changes later). `stopGradient(x)` becomes x with no derivative.
 */
import { Node, type CallExpression, type Expression, type Identifier } from 'ts-morph';
import { locationOf } from '../1-parse/location.js';
import type { FunctionNode } from '../1-parse/index.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkRule } from './rule-check.js';
import type { ValueId } from '../../ir/ssa.js';
import type { Callee } from './callees.js';
import type { FunctionArgument } from './function-values.js';
import type { LoweringContext } from './context.js';
import { irType } from './types.js';
import { snippet } from './constructs.js';
import { lowerResolvedCall } from './resolved-call.js';
import { emitCall } from './call-instruction.js';
import { namespaceMember } from './callees.js';

/** Lowers a call of a user function; undefined when the callee is not one. */
export function lowerUserCall(ctx: LoweringContext, node: CallExpression): ValueId | undefined {
  const calleeNode = Node.isIdentifier(node.getExpression()) ? (node.getExpression() as Identifier) : namespaceMember(node.getExpression());
  if (!calleeNode) return undefined;
  const lookup = ctx.callees.resolve(calleeNode);
  if (lookup.kind === 'not-a-function') return undefined;
  const argNodes = node.getArguments() as Expression[];
  if (lookup.kind === 'stop-gradient') {
    if (argNodes.length !== 1) return ctx.error('AD1002', { source: snippet(node) }, node);
    const value = ctx.lowerExpression(argNodes[0]!);
    return ctx.builder.prim('stopGradient', [value], ctx.origin(node), ctx.builder.typeOf(value));
  }
  const { callee } = lookup;
  if (!acceptsCall(ctx, callee, calleeNode)) return ctx.builder.constant(Number.NaN);
  return lowerResolvedCall(ctx, callee, node, calleeNode);
}

/**
 * A call of a callee through a function value (a callback, function-value-calls.ts), with arguments
 * already lowered: it receives as many of them as it declares, as JavaScript drops the others.
 */
export function callCallee(ctx: LoweringContext, callee: Callee, args: FunctionArgument[], site: Node): ValueId {
  if (!acceptsCall(ctx, callee, site)) return ctx.builder.constant(Number.NaN);
  const used = args.slice(0, callee.paramNames.length);
  if (used.length < callee.paramNames.length || used.some((a) => a === undefined)) {
    return ctx.error(
      'AD1143',
      { source: snippet(site), callee: callee.name, parameters: String(callee.paramNames.length), count: String(args.length) },
      site,
    );
  }
  const target = callee.node ?? callee.declaration;
  const returnType = isFunctionNode(target) ? target.getReturnType() : undefined;
  const resultType = !returnType || returnType.isVoid() ? undefined : irType(returnType, target);
  if (returnType && !returnType.isVoid() && !resultType)
    return ctx.error('AD1014', { function: callee.name, type: `'${returnType.getText(target)}'` }, site);
  return emitCall(ctx, callee, used as ValueId[], resultType, site);
}

/** False after reporting why `callee` cannot be called: it has neither a body nor a rule (AD1012), or its rule does not fit it (AD2008). */
function acceptsCall(ctx: LoweringContext, callee: Callee, at: Node): boolean {
  if (!callee.node && !callee.rule && Node.isImportSpecifier(callee.declaration)) {
    // the import names nothing: a name the module does not export, or a module that is not there
    const importDeclaration = callee.declaration.getImportDeclaration();
    const why = importDeclaration.getModuleSpecifierSourceFile() ? 'does not export it' : 'cannot be found';
    ctx.error('AD1016', { name: callee.declaration.getName(), module: importDeclaration.getModuleSpecifierValue(), problem: why }, at);
    return false;
  }
  if (!callee.node && !callee.rule) {
    const note = {
      message: `'${callee.name}' is declared here`,
      location: locationOf(callee.declaration, callee.file?.path ?? ctx.file.path),
    };
    ctx.error('AD1012', { callee: callee.name }, at, [note]);
    return false;
  }
  // (a function from a package has no signature in the project: its rule cannot be checked)
  const target = callee.node ?? callee.declaration;
  if (callee.rule && isFunctionNode(target)) {
    const problem = checkRule(target, callee.rule);
    if (problem) {
      ctx.diagnostics.push(
        createDiagnostic(
          'AD2008',
          {
            rule: callee.rule.name,
            function: callee.name,
            problem: problem.reason,
            parameters: problem.expectedParams,
            result: problem.expectedResult,
          },
          callee.rule.location,
          [{ message: `'${callee.name}' is called here`, location: locationOf(at, ctx.file.path) }],
        ),
      );
      return false;
    }
  }
  return true;
}

const isFunctionNode = (node: Node): node is FunctionNode =>
  Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node);
