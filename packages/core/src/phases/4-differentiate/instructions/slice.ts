/**
 * `slice`: a new array holding a copy, `a.slice(start, end)`, `Array.from(a)`,
 * `new Float64Array(a)`, starting at `offset` in the source.
 *
 *   forward   the copy; its shadow starts at zero (numbers are copied), or shares the source
 *             shadow's rows (rows are shared)
 *   reverse   d_a[offset + k] += d_copy[k] for every element k copied
 *   tangent   the same copy of the source's tangent
 */
import { add, index, member, method, num, ref, sub } from '../../../ir/build.js';
import type { Expr } from '../../../ir/code.js';
import type { SliceInstr, Type } from '../../../ir/ssa.js';
import { zeroShadow } from '../shadows.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf, declare, declareCommented } from './shared.js';

type ArrayType = Extract<Type, { kind: 'array' }>;

export const sliceRules: InstrRules<SliceInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    const source = names.expr(instr.container);
    const from = sweep.facts.typeOf(instr.container);
    const to = sweep.facts.typeOf(instr.result) as ArrayType;
    const bounds = [instr.start, instr.end].filter((v) => v !== undefined).map((v) => names.expr(v));
    const statements = [declare(names.name(instr.result), copyExpr(source, from, to, bounds))];
    if (sweep.taping && sweep.facts.activity.isActive(instr.result)) {
      const result = ref(names.name(instr.result));
      // numbers are copied, so their shadow starts at zero; rows are shared, and so are their shadows
      const shadow =
        to.element.kind === 'number'
          ? zeroShadow(to, result)
          : method(ref(names.shadowName(instr.container)), 'slice', [
              names.expr(instr.offset),
              { kind: 'binary', op: '+', left: names.expr(instr.offset), right: member(result, 'length') },
            ]);
      statements.push(declare(names.shadowName(instr.result), shadow));
    }
    return statements;
  },

  reverse({ ctx, facts }, instr) {
    const type = facts.typeOf(instr.result);
    if (
      !facts.activity.isActive(instr.result) ||
      !facts.activity.isActive(instr.container) ||
      type.kind !== 'array' ||
      type.element.kind !== 'number'
    )
      return [];
    // d_source[offset + k] += d_copy[k] for every element k copied (not those pushed onto the copy later)
    const counter = ctx.namer.claim('k');
    const k = sub(ref(counter), num(1));
    const offset = ctx.primal(instr.offset);
    const at = offset.kind === 'num' && offset.value === 0 ? k : add(offset, k);
    return [
      {
        kind: 'countdown',
        counter,
        from: ctx.primal(instr.copied),
        body: [
          {
            kind: 'assign',
            op: '+=',
            target: index(ctx.shadow(instr.container), at),
            value: index(ctx.shadow(instr.result), k),
            comment: commentOf(instr.origin),
          },
        ],
      },
    ];
  },

  tangent({ ctx }, instr) {
    const names = ctx.names;
    const from = ctx.typeOf(instr.container);
    const to = ctx.typeOf(instr.result) as ArrayType;
    const bounds = [instr.start, instr.end].filter((v) => v !== undefined).map((v) => names.expr(v));
    const statements = [declareCommented(names.name(instr.result), copyExpr(names.expr(instr.container), from, to, bounds))];
    if (ctx.hasTangent(instr.result)) {
      // the copy's tangent is the same copy of the source's tangent (zeros when the source does not vary)
      const tangent = ctx.hasTangent(instr.container)
        ? copyExpr(ref(ctx.tangentName(instr.container)), tangentArrayType(from), tangentArrayType(to) as ArrayType, bounds)
        : zeroShadow(to, ref(names.name(instr.result)));
      statements.push(declareCommented(ctx.tangentName(instr.result), tangent, commentOf(instr.origin)));
    }
    return statements;
  },
};

/** `slice`, `Array.from`, `new Float64Array(array)` of `source` (of type `from`) into an array of type `to`. */
function copyExpr(source: Expr, from: Type, to: ArrayType, bounds: Expr[]): Expr {
  if (from.kind === 'array' && from.container === to.container) return method(source, 'slice', bounds);
  if (to.container === 'Array') return method(ref('Array'), 'from', [source]);
  return { kind: 'new', callee: to.container, args: [source] };
}

/** Typed arrays' tangents are Float64Arrays, whatever the primal's precision. */
function tangentArrayType(type: Type): Type {
  return type.kind === 'array' && type.container !== 'Array' ? { ...type, container: 'Float64Array' } : type;
}
