/**
 * The two control-flow forms of the IR, built from the environment: a branch merges the bindings
 * its blocks assign differently into φs, and a loop carries every binding its body assigns.
 */
import { booleanType, isContainer, numberType, type Carried, type Checkpoint, type Phi, type ValueId } from '../../ir/ssa.js';
import { replaceUses } from '../../ir/walk.js';
import type { Node } from 'ts-morph';
import { snippet } from './constructs.js';
import type { LoweringContext } from './context.js';

/**
 * `if (cond) then else otherwise`. Each side may produce a value (a `?:` or `&&` operand);
 * when both do, the merged value is returned.
 */
export function branch(
  ctx: LoweringContext,
  cond: ValueId,
  lowerThen: () => ValueId | void,
  lowerElse: () => ValueId | void,
  /** The source construct, for errors. */
  node: Node,
): ValueId | undefined {
  // an array or object tested for truthiness (find's result: undefined without a match) is true when present
  const test = isContainer(ctx.builder.typeOf(cond)) ? presence(ctx, cond, node) : cond;
  const before = ctx.env;
  const sides = [lowerThen, lowerElse].map((lower) => {
    ctx.env = before.copy();
    let value: ValueId | void = undefined;
    const block = ctx.builder.block(() => {
      value = lower();
    });
    return { block, env: ctx.env, value: value as ValueId | void };
  });
  const [thenSide, elseSide] = sides as [(typeof sides)[0], (typeof sides)[0]];
  ctx.env = before.copy();

  const phis: Phi[] = [];
  /** A value for a binding one side leaves uninitialised: reading it there gives NaN, like undefined. */
  const orUndefined = (value: ValueId | undefined, side: typeof thenSide): ValueId =>
    value ?? ctx.builder.inBlock(side.block, () => ctx.builder.constant(Number.NaN));
  const holdsContainer = (v: ValueId) => isContainer(ctx.builder.typeOf(v));
  /** An array on one side and a number on the other has no single shadow: a user error. */
  const mixed = (a: ValueId, b: ValueId) =>
    holdsContainer(a) !== holdsContainer(b) && (ctx.error('AD1131', { source: snippet(node) }, node), true);
  for (const binding of before.mutableBindings()) {
    const onThen = thenSide.env.get(binding);
    const onElse = elseSide.env.get(binding);
    if (onThen === onElse) {
      // the same value on both sides (defined before the branch, so visible after it), which the
      // binding may not have held before: `let m; if (c) m = x; else m = x;`
      if (onThen !== undefined) ctx.env.set(binding, onThen);
      continue;
    }
    const then = orUndefined(onThen, thenSide);
    const otherwise = orUndefined(onElse, elseSide);
    if (mixed(then, otherwise)) continue;
    const result = ctx.builder.newValue(binding.name, ctx.builder.typeOf(then));
    phis.push({ result, then, else: otherwise });
    ctx.env.set(binding, result);
  }
  let merged: ValueId | undefined;
  if (typeof thenSide.value === 'number' && typeof elseSide.value === 'number' && !mixed(thenSide.value, elseSide.value)) {
    merged = ctx.builder.newValue('', ctx.builder.typeOf(thenSide.value));
    phis.push({ result: merged, then: thenSide.value, else: elseSide.value });
  }
  ctx.builder.emit({ kind: 'if', cond: test, then: thenSide.block, else: elseSide.block, phis });
  return merged;
}

/** `!(v == null)`: whether a container that may be undefined is there (a defined array or object is truthy). */
function presence(ctx: LoweringContext, container: ValueId, node: Node): ValueId {
  const missing = ctx.builder.prim('nullish', [container], ctx.origin(node), booleanType);
  return ctx.builder.prim('!', [missing], ctx.origin(node), booleanType);
}

/**
 * A loop whose body runs at least once and again while the value `lowerBody` returns is true.
 * Every mutable binding is carried; those the body leaves unchanged are then dropped again.
 */
export function loop(ctx: LoweringContext, lowerBody: () => ValueId, checkpoint?: Checkpoint, skippedWhenZero?: ValueId[]): void {
  const entries = ctx.env.mutableBindings().map((binding) => {
    const init = ctx.env.get(binding) ?? ctx.builder.constant(Number.NaN);
    const param = ctx.builder.newValue(binding.name, ctx.builder.typeOf(init));
    ctx.env.set(binding, param);
    return { binding, init, param };
  });
  let again = -1;
  const body = ctx.builder.block(() => {
    again = lowerBody();
  });
  const nexts = entries.map(({ binding, init }) => ctx.env.get(binding) ?? init);
  // Drop the bindings the body leaves unchanged, until none is left: dropping one can leave
  // another carrying only the first's value.
  const kept = new Set(entries.keys());
  for (let changed = true; changed;) {
    changed = false;
    for (const i of kept) {
      const { param, init } = entries[i]!;
      if (nexts[i] !== param) continue;
      kept.delete(i);
      changed = true;
      replaceUses(body, param, init);
      if (again === param) again = init;
      for (const j of kept) if (nexts[j] === param) nexts[j] = init;
    }
  }
  const carried: Carried[] = [];
  entries.forEach(({ binding, init, param }, i) => {
    if (!kept.has(i)) {
      ctx.env.set(binding, init);
      return;
    }
    const result = ctx.builder.newValue(binding.name, ctx.builder.typeOf(init));
    carried.push({ init, param, next: nexts[i]!, result });
    ctx.env.set(binding, result);
  });
  const trips = ctx.builder.newValue('trips', numberType);
  ctx.builder.emit({
    kind: 'loop',
    carried,
    body,
    again,
    trips,
    ...(checkpoint ? { checkpoint } : {}),
    ...(skippedWhenZero ? { skippedWhenZero } : {}),
  });
}
