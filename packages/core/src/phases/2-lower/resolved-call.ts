/**
 * A call whose callee is resolved to a user function (calls.ts) or a method (methods.ts): the call
 * of its copy specialised for the functions passed (specialise.ts), or else its call instruction,
 * once its result type is one Adjoint can hold.
 */
import type { CallExpression, Expression, Node } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import { emitCall } from './call-instruction.js';
import type { Callee } from './callees.js';
import type { LoweringContext } from './context.js';
import { lowerSpecialisedCall } from './specialise.js';
import { irType } from './types.js';

/**
 * Lowers `node`, a call of `callee`; `leading` come before its arguments (a method's instance),
 * and an unsupported result type is reported at `calleeNode`.
 */
export function lowerResolvedCall(
  ctx: LoweringContext,
  callee: Callee,
  node: CallExpression,
  calleeNode: Node,
  leading: ValueId[] = [],
): ValueId {
  const specialised = lowerSpecialisedCall(ctx, callee, node, leading);
  if (specialised !== undefined) return specialised;
  const returnType = node.getReturnType();
  const resultType = returnType.isVoid() ? undefined : irType(returnType, node);
  if (returnType.getCallSignatures().length > 0)
    return ctx.error('AD1140', { function: returnType.getText(node), use: `is returned from '${callee.name}'` }, node);
  if (!returnType.isVoid() && !resultType)
    return ctx.error('AD1014', { function: callee.name, type: `'${returnType.getText(node)}'` }, calleeNode);
  const args = (node.getArguments() as Expression[]).map((a) => ctx.lowerExpression(a));
  return emitCall(ctx, callee, [...leading, ...args], resultType, node);
}
