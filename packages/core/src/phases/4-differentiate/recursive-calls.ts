/**
 * Recursive calls, reversed without replaying them (split mode, where other calls are reversed in
 * joint mode).
 *
 * A call is ordinarily reversed by calling the callee's backprop in the caller's reverse sweep: it
 * runs the callee's forward sweep again from the saved arguments, then its reverse (module.ts).
 * Each level of a recursion would run its whole subtree again: det by minors of order ℓ would
 * cost ℓ times its primal. So a call of a recursive function g (one that can call itself, directly
 * or not) is reversed in two halves instead:
 *
 *   forward_g(args, shadows)            in the caller's forward sweep: g's forward sweep, which
 *                                       leaves on the shared tape what g's reverse reads (the
 *                                       values of its body too, which a backprop keeps in scope),
 *                                       and returns g's value;
 *   reverse_g(args, shadows, d_result)  in the caller's reverse sweep: pops them, runs g's reverse
 *                                       sweep, and returns the adjoints of g's number arguments.
 *
 * Calls inside g nest their pushes and pops, so the tape holds the whole call tree's values once:
 * time within a constant factor of the primal, at any depth, for memory proportional to it.
 *
 * A call of a function that runs a loop (or calls one that does) is reversed apart too: replayed,
 * each level of nesting would run the loop once more (GradBench's saddle runs an inner descent
 * for every gradient of the outer one: three times per gradient, replayed). A straight-line
 * callee is still replayed: computing its few values again costs less than keeping them on the
 * tape (GradBench's particle, whose nested gradient of the potential was 1.5× slower apart).
 *
 * Between forward_g and reverse_g the caller runs on, and may write into the arrays it passed: the
 * reverse of g reads a parameter's contents again only when no caller writes them after the call
 * (`paramsReadAgain`, a fixpoint over the calls of the functions reversed apart); otherwise it keeps
 * what it read on the tape, and the joint calls inside g's reverse read copies.
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer, type SsaFunction } from '../../ir/ssa.js';
import type { Analysis } from '../../analysis/index.js';
import { DiffContext, needsOf } from './context.js';
import { FunctionFacts } from './facts.js';
import { PlannedForwardSweep } from './forward.js';
import { fillHoles } from './holes.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { restoreForReverse } from './restore.js';
import { ReverseSweepBuilder } from './reverse.js';
import { planTapes } from './tape-plan.js';
import { removeDeadDeclarations } from './dead-code.js';
import { removeRestoredZeros } from './restored-zeros.js';
import { accumulateInto, activeUndifferentiatedContainers, declareZeroShadow } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { applyToSteppedBody, flatBody, splitLongFunction } from './split-plan.js';
import { splitContext, whatItHandsBack } from './functions.js';

/**
 * forward_g and reverse_g for one choice of differentiated parameters (see above), from one
 * differentiation of g, so that what the forward sweep pushes is what the reverse sweep pops.
 */
export function sweepsApart(
  module: CompanionModule,
  fn: ProgramFunction,
  ssa: SsaFunction,
  analysis: Analysis,
  names: { forward: string; reverse: string },
  paramsReadAgain: boolean[],
): FunctionDecl[] {
  const ctx = new DiffContext(ssa, analysis, module.namer.child(), fn.globalName, module);
  const facts = new FunctionFacts(ssa, analysis, module, (v) => ctx.names.constantOf(v), { paramsReadAgain });
  const { activity } = analysis;
  const isContainerType = (v: number) => isContainer(ssa.values[v]!.type);
  const params = ssa.params.map((p) => ({ name: ctx.names.name(p.value), type: p.typeText }));
  const shadowParams = ssa.params
    .filter((p) => p.differentiable && isContainerType(p.value))
    .map((p) => ({ name: ctx.names.shadowName(p.value), type: shadowTypeText(ssa.values[p.value]!.type) }));
  // a container not differentiated that takes differentiated values: a shadow of its own, which the tape hands to the reverse sweep
  const localShadows: Stmt[] = activeUndifferentiatedContainers(ssa, activity).map((p) =>
    declareZeroShadow(ctx.names.shadowName(p.value), ssa.values[p.value]!.type, ref(ctx.names.name(p.value))),
  );
  const result = ssa.result;
  const resultType = result === undefined ? undefined : ssa.values[result]!.type;
  const dResult =
    result === undefined
      ? undefined
      : { name: ctx.namer.claim('d_result'), type: resultType!.kind === 'number' ? 'number' : shadowTypeText(resultType!) };

  const seed: Stmt[] = [];
  if (result !== undefined && dResult && activity.isActive(result)) {
    if (activity.isScalar(result)) ctx.adjoints.seed(result, ref(dResult.name));
    else seed.push(...accumulateInto(ctx.namer, resultType!, ctx.shadow(result), ref(dResult.name)));
  }
  // 1. The reverse sweep, with holes for the code that needs the tape plan.
  const reverseSweep = new ReverseSweepBuilder(ctx, facts);
  const reversed = reverseSweep.steps(ssa.body, []);
  const scalarGradient = ssa.params.filter((p) => p.differentiable && !isContainerType(p.value));
  const gradient: Expr = {
    kind: 'object',
    properties: scalarGradient.map((p) => ({ key: p.name, value: ctx.adjoints.get(p.value) ?? num(0) })),
  };
  const returnStatements: Stmt[] =
    scalarGradient.length === 0 ? [] : [{ kind: 'return', value: { kind: 'object', properties: [{ key: 'grad', value: gradient }] } }];
  // 2. The tape plan: the inner blocks first (their plans ask the body for values), then the body,
  // which the tape carries across from forward_g to reverse_g.
  const reverseResult = reverseSweep.result();
  const { holes } = reverseResult;
  const reads = [
    ...holes.flatMap((h) => (h.kind === 'later' ? h.reads : [])),
    ...needsOf([...seed, ...reversed.start, ...reversed.steps.flat(), ...returnStatements]),
  ];
  const plans = planTapes(ctx, facts, reads, [...holes.flatMap((h) => (h.kind === 'restore' ? [h] : [])), { block: ssa.body }]);
  // 3. The forward sweep and the holes' code, from the plan.
  const forwardSweep = new PlannedForwardSweep(ctx, facts, plans, reverseResult);
  const fills = new Map<number, Stmt[]>();
  for (const hole of holes) if (hole.kind === 'restore') fills.set(hole.id, restoreForReverse(forwardSweep, hole.block));
  const restored = restoreForReverse(forwardSweep, ssa.body);
  for (const hole of holes) if (hole.kind === 'later') fills.set(hole.id, hole.write(forwardSweep));
  const forward = forwardSweep.steps(ssa.body);
  const returned: Stmt[] = [
    ...forwardSweep.save(ssa.body),
    ...(result === undefined ? [] : [{ kind: 'return', value: ctx.names.expr(result) } satisfies Stmt]),
  ];

  const forwardBody = applyToSteppedBody(
    { prologue: localShadows, forward, preamble: [], reverse: forward.map(() => []), epilogue: returned },
    (statements) => removeDeadDeclarations(statements, module.effectFree),
  );
  const reverseBody = applyToSteppedBody(
    {
      prologue: [],
      forward: forward.map(() => []),
      preamble: [...restored, ...seed, ...fillHoles(reversed.start, fills)],
      reverse: reversed.steps.map((step) => fillHoles(step, fills)),
      epilogue: returnStatements,
    },
    (statements) => removeDeadDeclarations(removeRestoredZeros(statements), module.effectFree),
  );
  const writes = ssa.params.some((p) => isContainerType(p.value) && activity.isWritten(p.value));
  const forwardDecl: FunctionDecl = {
    kind: 'function',
    name: names.forward,
    params: [...params, ...shadowParams],
    returnType: result === undefined ? 'void' : typeText(resultType!),
    doc: [
      `The forward sweep of \`${ssa.name}\` (${fn.sourceLabel}), for a call reversed apart (replaying it would run its loops or recursion again): it computes the value and leaves`,
      `on the tape what ${names.reverse} reads, which the caller calls in its reverse sweep.`,
      ...(writes ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`] : []),
    ].join('\n'),
    exported: false,
    body: flatBody(forwardBody),
  };
  const reverseDecl: FunctionDecl = {
    kind: 'function',
    name: names.reverse,
    params: [...params, ...shadowParams, ...(dResult ? [dResult] : [])],
    returnType: scalarGradient.length === 0 ? 'void' : `{ grad: { ${scalarGradient.map((p) => `${p.name}: number`).join('; ')} } }`,
    doc: [
      `The reverse sweep of \`${ssa.name}\` (${fn.sourceLabel}) after ${names.forward}: it takes what that left on the tape and carries`,
      `${dResult ? `${dResult.name}, the adjoint of the value,` : 'the shadows'} back to the parameters.`,
      ...whatItHandsBack(ssa, shadowParams, scalarGradient),
    ].join('\n'),
    exported: false,
    body: flatBody(reverseBody),
  };
  return [
    ...splitLongFunction(forwardDecl, forwardBody, splitContext(module, ctx, plans, ssa)),
    ...splitLongFunction(reverseDecl, reverseBody, splitContext(module, ctx, plans, ssa)),
  ];
}
