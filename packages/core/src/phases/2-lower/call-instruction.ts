/**
 * The call instruction of a call of a user function (calls.ts), of a copy of one (specialise.ts) or
 * through a function value (function-value-calls.ts): with a snapshot of each container argument
 * taken just before it, on which the reverse sweep replays the call when the container changes later.
 */
import type { Node } from 'ts-morph';
import type { Type, ValueId } from '../../ir/ssa.js';
import type { Callee } from './callees.js';
import type { LoweringContext } from './context.js';

/** Emits the call of `callee` on `args`; returns its result (a NaN for a call that returns nothing). */
export function emitCall(ctx: LoweringContext, callee: Callee, args: ValueId[], resultType: Type | undefined, site: Node): ValueId {
  const snapshots = args.map((a) =>
    ctx.builder.typeOf(a).kind === 'number' || ctx.builder.typeOf(a).kind === 'boolean' ? undefined : ctx.builder.copy(a),
  );
  const result = resultType && ctx.builder.newValue('', resultType);
  ctx.builder.emit({ kind: 'call', result, callee: callee.key, args, snapshots, origin: ctx.origin(site) });
  return result ?? ctx.builder.constant(Number.NaN);
}
