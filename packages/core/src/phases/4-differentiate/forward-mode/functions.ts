/**
 * The generated functions of forward mode: tangent_g, the tangent sweep of a function for one
 * choice of differentiated parameters, and jvp_f, the export of a function marked
 * `@differentiable(forward)`, which wraps it.
 */
import { differentiatedList } from '../export-signature.js';
import { ref } from '../../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../../ir/code.js';
import { isContainer, type SsaFunction } from '../../../ir/ssa.js';
import { exportNames, tangentName } from '../../../naming.js';
import { removeDeadDeclarations } from '../dead-code.js';
import type { ProgramFunction } from '../module.js';
import { activeUndifferentiatedContainers, copyOf, declareZeroShadow } from '../shadows.js';
import { shadowTypeText, typeText } from '../../../ir/type-text.js';
import { argumentAliasingCheck } from '../argument-aliasing.js';
import { TangentContext } from './context.js';
import type { TangentModule } from './module.js';
import { TangentSweepOf } from './sweep.js';
import { tangentOrZero } from './tangent-values.js';
import { applyToSteppedBody, flatBody, maybeUndefinedValues, splitLongFunction, type SplitContext } from '../split-plan.js';

const isContainerType = (fn: SsaFunction, v: number) => isContainer(fn.values[v]!.type);

/** `{ value: T; tangent: Ṫ }`, what a tangent function and jvp_f return (void for no result). */
function pairType(ssa: SsaFunction): string {
  if (ssa.result === undefined) return 'void';
  const type = ssa.values[ssa.result]!.type;
  return `{ value: ${typeText(type)}; tangent: ${shadowTypeText(type)} }`;
}

/**
 * tangent_g(args, tangents of the differentiated parameters): g's value and its tangent, the
 * derivative along the given direction, from one forward pass.
 */
export function tangentFunction(module: TangentModule, key: string, fn: ProgramFunction, ssa: SsaFunction, name: string): FunctionDecl[] {
  const activity = module.companion.analyses.activity(ssa);
  const ctx = new TangentContext(ssa, activity, module.namer.child(), fn.globalName, module, key);
  const params = ssa.params.map((p) => ({ name: ctx.names.name(p.value), type: p.typeText }));
  const tangentParams = ssa.params
    .filter((p) => p.differentiable)
    .map((p) => ({ name: ctx.tangentName(p.value), type: shadowTypeText(ssa.values[p.value]!.type) }));
  // a container not differentiated that takes varied values (ws[0] += w) starts with a tangent of zeros
  const localTangents: Stmt[] = activeUndifferentiatedContainers(ssa, activity).map((p) =>
    declareZeroShadow(ctx.tangentName(p.value), ssa.values[p.value]!.type, ref(ctx.names.name(p.value))),
  );
  const steps = new TangentSweepOf(ctx).steps(ssa.body);
  const result = ssa.result;
  const returned: Stmt[] =
    result === undefined
      ? []
      : [
          {
            kind: 'return',
            value: {
              kind: 'object',
              properties: [
                { key: 'value', value: ctx.names.expr(result) },
                { key: 'tangent', value: tangentOrZero(ctx, result) },
              ],
            },
          },
        ];
  const writes = ssa.params.some((p) => isContainerType(ssa, p.value) && activity.isWritten(p.value));
  const differentiated = ssa.params.filter((p) => p.differentiable).map((p) => `\`${p.name}\``);
  const body = applyToSteppedBody(
    { prologue: localTangents, forward: steps, preamble: [], reverse: steps.map(() => []), epilogue: returned },
    (statements) => removeDeadDeclarations(statements, module.companion.effectFree),
  );
  const decl: FunctionDecl = {
    kind: 'function',
    name,
    params: [...params, ...tangentParams],
    returnType: pairType(ssa),
    doc: [
      `Forward mode through \`${ssa.name}\` (${fn.sourceLabel}): computes each value and, beside it, its tangent dot_v, the`,
      `derivative of v along the direction given by the tangents of ${differentiated.join(', ') || 'no parameter'} (dot_…), in one pass.`,
      ...(result === undefined ? [] : ['It returns the value and its tangent.']),
      ...(writes
        ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it, and the tangents of what it writes into theirs.`]
        : []),
    ].join('\n'),
    exported: false,
    body: flatBody(body),
  };
  return splitLongFunction(decl, body, splitContext(ctx, ssa));
}

/**
 * How a tangent function too long for V8 to optimise is split (../split-plan.ts): as the functions
 * of reverse mode are (never in a companion with local tapes, which is differentiated again). The
 * variables of known type are the values' (`| undefined` for those `??` tests) and their tangents'.
 */
function splitContext(ctx: TangentContext, ssa: SsaFunction): SplitContext {
  const types = new Map<string, string>();
  const maybeUndefined = maybeUndefinedValues(ssa);
  for (const { name, value } of ctx.names.variables())
    types.set(name, maybeUndefined.has(value) ? `${typeText(ctx.typeOf(value))} | undefined` : typeText(ctx.typeOf(value)));
  const primalTypes = new Map([...ctx.names.variables()].map(({ name, value }) => [name, ctx.typeOf(value)]));
  for (const { name, primal } of ctx.tangentVariables()) types.set(name, shadowTypeText(primalTypes.get(primal)!));
  const companion = ctx.module.companion;
  return {
    maxPartSize: companion.tapeStyle === 'local' ? Infinity : companion.maxPartSize,
    instrs: ssa.body.instrs,
    typeOf: (name) => types.get(name),
    claimModuleName: (name) => companion.namer.claim(name),
    claimLocalName: (name) => ctx.namer.claim(name),
  };
}

/**
 * jvp_f(...args, ...tangents) of a marked function f: f's value and its directional derivative
 * Σᵢ ∂f/∂xᵢ · ẋᵢ (shaped like f's result), from one forward pass through tangent_f. Named `name`
 * when it is not an export (the jvp of grad_f that a Hessian calls).
 */
export function jvpFunction(module: TangentModule, key: string, fn: ProgramFunction, name = exportNames.jvp(fn.ssa.name)): FunctionDecl {
  const ssa = fn.ssa;
  const checkArguments = argumentAliasingCheck(module.companion, ssa);
  const names = module.namer.child();
  const params = ssa.params.map((p) => ({ name: names.claim(p.name), type: p.typeText }));
  const differentiable = ssa.params.filter((p) => p.differentiable);
  const tangentParams = differentiable.map((p) => ({ param: p, name: names.claim(tangentName(p.name)), type: ssa.values[p.value]!.type }));
  const activity = module.companion.analyses.activity(ssa);
  // tangent_f writes into the tangents of the containers f writes into: those get a copy, so
  // that the caller's direction is left as it was
  const tangentArgs: Expr[] = tangentParams.map((t) =>
    isContainerType(ssa, t.param.value) && activity.isWritten(t.param.value) ? copyOf(t.type, ref(t.name)) : ref(t.name),
  );
  const call: Expr = {
    kind: 'call',
    callee: module.tangentName(
      key,
      ssa.params.map((p) => p.differentiable),
    ),
    args: [...params.map((p) => ref(p.name)), ...tangentArgs],
  };
  const wrt = differentiatedList(ssa);
  const writes = ssa.params.some((p) => isContainerType(ssa, p.value) && activity.isWritten(p.value));
  return {
    kind: 'function',
    name,
    params: [...params, ...tangentParams.map((t) => ({ name: t.name, type: shadowTypeText(t.type) }))],
    returnType: pairType(ssa),
    doc: [
      `The value of \`${ssa.name}\` (${fn.sourceLabel}) and its directional derivative${isContainerType(ssa, ssa.result!) ? ' (shaped like the value)' : ''}: the sum over ${wrt} of`,
      `∂${ssa.name}/∂x · dot_x, for the tangents dot_x given after the arguments (shaped like them), from one forward pass.`,
      ...(writes ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it (not into the tangents).`] : []),
    ].join('\n'),
    exported: true,
    body: [...checkArguments(params.map((p) => p.name)), { kind: 'return', value: call }],
  };
}
