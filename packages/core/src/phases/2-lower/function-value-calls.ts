/**
 * Calls through a function value (function-values.ts): a local function is lowered in place
 * (local-functions.ts), a lifted one (specialise.ts) and a callee are called with a call
 * instruction, and a Math function becomes its primitive.
 */
import type { Node } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import { emitCall } from './call-instruction.js';
import { callCallee } from './calls.js';
import { snippet } from './constructs.js';
import type { LoweringContext } from './context.js';
import type { FunctionArgument } from './function-values.js';
import { callLocalFunction } from './local-functions.js';
import type { FunctionValue } from './scope.js';
import { isRecursive, liftedFunction } from './specialise.js';
import { irType } from './types.js';

/**
 * Calls a function value with arguments already lowered; `site` is the call (or the array method
 * call that calls a callback), for origins and errors. A callee or a Math function receives as
 * many of the arguments as it declares, as JavaScript drops the others.
 */
export function callFunctionValue(ctx: LoweringContext, fn: FunctionValue, args: FunctionArgument[], site: Node): ValueId {
  switch (fn.kind) {
    case 'local':
      // a function that recurses is lowered once, as a function of its own
      return isRecursive(fn) ? callFunctionValue(ctx, liftedFunction(ctx, fn, site), args, site) : callLocalFunction(ctx, fn, args, site);
    case 'callee':
      return callCallee(ctx, fn.callee, args, site);
    case 'lifted': {
      const declared = fn.callee.paramNames.length - fn.captures.length;
      const used = args.slice(0, declared);
      if (used.length < declared || used.some((a) => a === undefined))
        return ctx.error(
          'AD1143',
          { source: snippet(site), callee: fn.callee.name, parameters: String(declared), count: String(args.length) },
          site,
        );
      const returnType = fn.callee.node!.getReturnType();
      const resultType = returnType.isVoid() ? undefined : irType(returnType, fn.callee.node!);
      const captured = fn.captures.map((b) => ctx.env.get(b) ?? ctx.builder.constant(Number.NaN));
      return emitCall(ctx, fn.callee, [...(used as ValueId[]), ...captured], resultType, site);
    }
    case 'math': {
      // a variadic one (Math.max) takes every argument, which must then all be numbers
      const used = fn.arity === 'variadic' ? args : args.slice(0, fn.arity);
      const numbers = used.every((a) => a !== undefined && ctx.builder.typeOf(a).kind === 'number');
      if (!numbers || (fn.arity !== 'variadic' && used.length < fn.arity))
        return ctx.error(
          'AD1143',
          {
            source: snippet(site),
            callee: fn.op,
            parameters: String(fn.arity === 'variadic' ? 'number' : fn.arity),
            count: String(args.length),
          },
          site,
        );
      return ctx.builder.prim(fn.op, used as ValueId[], ctx.origin(site));
    }
  }
}
