/**
 * The generated functions: a primal copy of a callee, the backprop of a function, and the exports
 * of a marked function (valueAndGrad_f and grad_f, which wrap its backprop).
 */
import { differentiatedList, gradientTypeText } from './export-signature.js';
import { member, num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer, withPattern, type SsaFunction } from '../../ir/ssa.js';
import { exportNames } from '../../naming.js';
import type { Analysis } from '../../analysis/index.js';
import { DiffContext, needsOf } from './context.js';
import { FunctionFacts } from './facts.js';
import { PlannedForwardSweep } from './forward.js';
import { fillHoles } from './holes.js';
import { restoreForReverse } from './restore.js';
import { planTapes } from './tape-plan.js';
import type { TapePlans } from './sweeps.js';
import type { BackpropUse, CompanionModule, ProgramFunction } from './module.js';
import { ReverseSweepBuilder } from './reverse.js';
import { applyToSteppedBody, flatBody, maybeUndefinedValues, splitLongFunction, type SplitContext } from './split-plan.js';
import { removeDeadDeclarations } from './dead-code.js';
import { hasVectorOutput, vectorOutputExports } from './vector-exports.js';
import { removeRestoredZeros } from './restored-zeros.js';
import { accumulateInto, activeUndifferentiatedContainers, declareZeroShadow, gradientObject } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { argumentAliasingCheck } from './argument-aliasing.js';

const isContainerType = (fn: SsaFunction, v: number) => isContainer(fn.values[v]!.type);

/** A copy of g for the forward sweeps: g's code, with nothing differentiated. */
export function primalFunction(module: CompanionModule, fn: ProgramFunction, name: string): FunctionDecl[] {
  const ssa = withPattern(fn.ssa, []);
  const analysis = module.analyses.of(ssa);
  const ctx = new DiffContext(ssa, analysis, module.namer.child(), fn.globalName, module);
  const facts = new FunctionFacts(ssa, analysis, module, (v) => ctx.names.constantOf(v));
  // nothing is differentiated: no reverse sweep reads anything
  const plans = planTapes(ctx, facts, [], []);
  const steps = new PlannedForwardSweep(ctx, facts, plans, { reversals: new Map(), callsApart: new Map() }).steps(ssa.body);
  const returned: Stmt[] = ssa.result === undefined ? [] : [{ kind: 'return', value: ctx.names.expr(ssa.result) }];
  const body = applyToSteppedBody(
    { prologue: [], forward: steps, preamble: [], reverse: steps.map(() => []), epilogue: returned },
    (statements) => removeDeadDeclarations(statements, module.effectFree),
  );
  const decl: FunctionDecl = {
    kind: 'function',
    name,
    params: ssa.params.map((p) => ({ name: ctx.names.name(p.value), type: p.typeText })),
    returnType: ssa.result === undefined ? 'void' : typeText(ssa.values[ssa.result]!.type),
    doc: `\`${ssa.name}\` (${fn.sourceLabel}), as the forward sweeps of this module call it.`,
    body: flatBody(body),
    exported: false,
  };
  return splitLongFunction(decl, body, splitContext(module, ctx, plans, ssa));
}

/**
 * backprop_g(args, shadows of the differentiated container arguments, d_result): runs g's forward
 * sweep and its reverse sweep from d_result (∂result/∂g's result), adds into the shadows, and
 * returns the adjoints of its differentiated number arguments, and g's value when an export calls
 * it (a caller's reverse sweep has the value already: what only the value needed is dropped).
 */
export function backpropFunction(
  module: CompanionModule,
  fn: ProgramFunction,
  ssa: SsaFunction,
  analysis: Analysis,
  name: string,
  use: BackpropUse,
): FunctionDecl[] {
  const ctx = new DiffContext(ssa, analysis, module.namer.child(), fn.globalName, module);
  const facts = new FunctionFacts(ssa, analysis, module, (v) => ctx.names.constantOf(v));
  const { activity } = analysis;
  const params = ssa.params.map((p) => ({ name: ctx.names.name(p.value), type: p.typeText }));
  const shadowParams = ssa.params
    .filter((p) => p.differentiable && isContainerType(ssa, p.value))
    .map((p) => ({ name: ctx.names.shadowName(p.value), type: shadowTypeText(ssa.values[p.value]!.type) }));
  // a container not differentiated that takes differentiated values (ws[0] += w) needs a shadow
  // for the adjoints passing through it: a local one, whose contents are not returned
  const localShadows: Stmt[] = activeUndifferentiatedContainers(ssa, activity).map((p) =>
    declareZeroShadow(ctx.names.shadowName(p.value), ssa.values[p.value]!.type, ref(ctx.names.name(p.value)), {
      nested: module.nestedArrays,
    }),
  );
  const result = ssa.result;
  const resultType = result === undefined ? undefined : ssa.values[result]!.type;
  const returnsValue = result !== undefined && use === 'export';
  const dResult =
    result === undefined
      ? undefined
      : { name: ctx.namer.claim('d_result'), type: resultType!.kind === 'number' ? 'number' : shadowTypeText(resultType!) };

  // The reverse sweep starts from the caller's adjoint of the result.
  const seed: Stmt[] = [];
  if (result !== undefined && dResult && activity.isActive(result)) {
    if (activity.isScalar(result)) ctx.adjoints.seed(result, ref(dResult.name));
    else seed.push(...accumulateInto(ctx.namer, resultType!, ctx.shadow(result), ref(dResult.name)));
  }
  // 1. The reverse sweep, with holes for the code that needs the tape plan.
  const reverseSweep = new ReverseSweepBuilder(ctx, facts);
  const reversed = reverseSweep.steps(ssa.body, []);
  const reverse = [...seed, ...reversed.start, ...[...reversed.steps].reverse().flat()];
  const scalarGradient = ssa.params.filter((p) => p.differentiable && !isContainerType(ssa, p.value));
  // { value, grad }, each present only when there is something to return (no empty objects, so
  // that the companion stays in the subset Adjoint accepts)
  const returnedProperties = [
    ...(returnsValue ? [{ key: 'value', value: ctx.names.expr(result) }] : []),
    ...(scalarGradient.length === 0
      ? []
      : [
          {
            key: 'grad',
            value: {
              kind: 'object',
              properties: scalarGradient.map((p) => ({ key: p.name, value: ctx.adjoints.get(p.value) ?? num(0) })),
            } satisfies Expr,
          },
        ]),
  ];
  const returnStatements: Stmt[] =
    returnedProperties.length === 0 ? [] : [{ kind: 'return', value: { kind: 'object', properties: returnedProperties } }];
  const returnTypeProperties = [
    ...(returnsValue ? [`value: ${typeText(resultType!)}`] : []),
    ...(scalarGradient.length === 0 ? [] : [`grad: { ${scalarGradient.map((p) => `${p.name}: number`).join('; ')} }`]),
  ];
  // 2. The tape plan, from what the reverse sweep reads (what the holes' code reads first, as it was found).
  const reverseResult = reverseSweep.result();
  const { holes } = reverseResult;
  const reads = [...holes.flatMap((h) => (h.kind === 'later' ? h.reads : [])), ...needsOf([...reverse, ...returnStatements])];
  const plans = planTapes(
    ctx,
    facts,
    reads,
    holes.flatMap((h) => (h.kind === 'restore' ? [h] : [])),
  );
  // 3. The forward sweep and the holes' code, from the plan.
  const forwardSweep = new PlannedForwardSweep(ctx, facts, plans, reverseResult);
  const fills = new Map<number, Stmt[]>();
  // (in the order the holes were made, inner blocks first: the restore of a fused loop's body,
  // which starts its iteration's local tapes, comes after the pops of every block inside it)
  for (const hole of holes) if (hole.kind === 'restore') fills.set(hole.id, restoreForReverse(forwardSweep, hole.block));
  for (const hole of holes) if (hole.kind === 'later') fills.set(hole.id, hole.write(forwardSweep));
  // (a fused loop's iterations are reversed in the forward sweep: their restores are holes too)
  const forward = forwardSweep.steps(ssa.body).map((step) => fillHoles(step, fills));
  const body = applyToSteppedBody(
    {
      prologue: [...localShadows, ...ctx.tapeDeclarations(), { kind: 'comment', text: 'Forward sweep.' }],
      forward,
      preamble:
        reverse.length > 0
          ? [
              { kind: 'comment', text: 'Reverse sweep.' },
              ...ctx.tapeCounters(),
              ...plans.aroundInnerLoops.in(ssa.body),
              ...seed,
              ...fillHoles(reversed.start, fills),
            ]
          : [],
      reverse: reversed.steps.map((step) => fillHoles(step, fills)),
      epilogue: returnStatements,
    },
    (statements) => removeDeadDeclarations(removeRestoredZeros(statements), module.effectFree),
  );

  const writes = ssa.params.some((p) => isContainerType(ssa, p.value) && activity.isWritten(p.value));
  const decl: FunctionDecl = {
    kind: 'function',
    name,
    params: [...params, ...shadowParams, ...(dResult ? [dResult] : [])],
    returnType: returnTypeProperties.length === 0 ? 'void' : `{ ${returnTypeProperties.join('; ')} }`,
    doc: [
      `Backpropagation through \`${ssa.name}\` (${fn.sourceLabel}): a forward sweep computes and keeps the intermediate`,
      'values, then a reverse sweep carries the adjoint d_v = ∂result/∂v of each value back to the parameters,',
      `starting from ${dResult ? `${dResult.name}, the adjoint of the value` : 'the shadows of the containers it writes'}.`,
      ...whatItHandsBack(ssa, shadowParams, scalarGradient),
      ...(result !== undefined && !returnsValue ? ['Reverse sweeps call it: they have the value already, so it does not return it.'] : []),
      ...(writes ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`] : []),
    ].join('\n'),
    exported: false,
    body: flatBody(body),
  };
  return splitLongFunction(decl, body, splitContext(module, ctx, plans, ssa));
}

/**
 * The sentence of a backprop's doc comment that says where the adjoints of its differentiated
 * parameters go: into the shadows passed with the containers, returned for the numbers.
 */
export function whatItHandsBack(ssa: SsaFunction, shadowParams: Array<{ name: string }>, numbers: SsaFunction['params']): string[] {
  const containers = ssa.params.filter((p) => p.differentiable && isContainerType(ssa, p.value));
  const quoted = (params: Array<{ name: string }>) => params.map((p) => `\`${p.name}\``).join(', ');
  const added =
    containers.length === 0
      ? ''
      : `adds the adjoints of ${quoted(containers)} into ${containers.length === 1 ? 'its shadow' : 'their shadows'} ${shadowParams.map((p) => p.name).join(', ')}`;
  const adjoints = numbers.length === 1 ? ['the adjoint', 'that'] : ['the adjoints', 'those'];
  const returned = numbers.length === 0 ? '' : `returns ${containers.length === 0 ? adjoints[0] : adjoints[1]} of ${quoted(numbers)}`;
  const both = [added, returned].filter(Boolean);
  return both.length === 0 ? [] : [`It ${both.join(' and ')}.`];
}

/**
 * How a function of this module is split when it is too long for V8 to optimise (split-plan.ts):
 * never in a companion with local tapes, which is differentiated again and stays in the plainest
 * code. The variables of known type are the values', the shadows' and the adjoints' (all numbers);
 * a value that `??` tests may be undefined, which a slot of the frame of doubles would make NaN.
 */
export function splitContext(module: CompanionModule, ctx: DiffContext, plans: TapePlans, ssa: SsaFunction): SplitContext {
  const types = new Map<string, string>();
  const typeOf = (value: number) => ssa.values[value]!.type;
  const maybeUndefined = maybeUndefinedValues(ssa);
  for (const { name, value, shadow } of ctx.names.variables()) {
    const type = shadow ? shadowTypeText(typeOf(value)) : typeText(typeOf(value));
    types.set(name, !shadow && maybeUndefined.has(value) ? `${type} | undefined` : type);
  }
  for (const name of [...ctx.adjoints.declared, ...plans.aroundInnerLoops.variables()]) types.set(name, 'number');
  return {
    maxPartSize: module.tapeStyle === 'local' ? Infinity : module.maxPartSize,
    instrs: ssa.body.instrs,
    typeOf: (name) => types.get(name),
    claimModuleName: (name) => module.namer.claim(name),
    claimLocalName: (name) => ctx.namer.claim(name),
  };
}

/**
 * valueAndGrad_f and grad_f of a marked function f: its backprop from d_result = 1; for a vector
 * output, valueAndVjp_f, vjp_f and jacobian_f instead (vector-exports.ts).
 */
export function exportedFunctions(
  module: CompanionModule,
  key: string,
  fn: ProgramFunction,
  options: { forward?: boolean } = {},
): FunctionDecl[] {
  const ssa = fn.ssa;
  if (hasVectorOutput(ssa)) return vectorOutputExports(module, key, fn, options.forward ?? false);
  const checkArguments = argumentAliasingCheck(module, ssa);
  const names = module.namer.child();
  const params = ssa.params.map((p) => ({ name: names.claim(p.name), type: p.typeText }));
  const differentiable = ssa.params.filter((p) => p.differentiable);
  const backprop = module.backpropName(
    key,
    ssa.params.map((p) => p.differentiable),
    'export',
  );
  const shadows = differentiable
    .filter((p) => isContainerType(ssa, p.value))
    .map((p) => ({ param: p, name: names.claim(`d_${p.name}`), type: ssa.values[p.value]!.type }));
  const returned = names.claim('backpropagated');
  const paramRef = (i: number) => ref(params[i]!.name);
  const gradient = gradientObject(ssa.params, shadows, returned);
  const backpropCall: Expr = {
    kind: 'call',
    callee: backprop,
    args: [...params.map((p) => ref(p.name)), ...shadows.map((s) => ref(s.name)), num(1)],
  };
  const gradType = gradientTypeText(ssa);
  const wrt = differentiatedList(ssa);
  const valueAndGradName = exportNames.valueAndGrad(ssa.name);
  const valueAndGrad: FunctionDecl = {
    kind: 'function',
    name: valueAndGradName,
    params,
    returnType: `{ value: number; grad: ${gradType} }`,
    doc: `The value of \`${ssa.name}\` (${fn.sourceLabel}) and its gradient with respect to ${wrt}, from one forward and one reverse sweep (${backprop}).`,
    exported: true,
    body: [
      ...checkArguments(params.map((p) => p.name)),
      ...shadows.map((s) =>
        declareZeroShadow(s.name, s.type, paramRef(ssa.params.indexOf(s.param)), { nested: module.nestedArrays, typed: true }),
      ),
      // ∂f/∂f = 1. With only number parameters, backprop's result is already { value, grad }.
      ...((shadows.length === 0
        ? [{ kind: 'return', value: backpropCall }]
        : [
            { kind: 'declare', declaration: 'const', name: returned, init: backpropCall },
            {
              kind: 'return',
              value: {
                kind: 'object',
                properties: [
                  { key: 'value', value: member(ref(returned), 'value') },
                  { key: 'grad', value: gradient },
                ],
              },
            },
          ]) satisfies Stmt[]),
    ],
  };
  const grad: FunctionDecl = {
    kind: 'function',
    name: exportNames.grad(ssa.name),
    params,
    returnType: gradType,
    doc: `The gradient of \`${ssa.name}\` (${fn.sourceLabel}) with respect to ${wrt}: one property per parameter, shaped like it.`,
    exported: true,
    body: [{ kind: 'return', value: member({ kind: 'call', callee: valueAndGradName, args: params.map((p) => ref(p.name)) }, 'grad') }],
  };
  return [valueAndGrad, grad];
}
