/**
 * The exports of a function f marked `@differentiable(hessian)`:
 *
 *   hvp_f(...args, ...directions)   H·v, the Hessian-vector product: the directional derivative of
 *                                   grad_f along v, by forward mode over reverse mode (jvp_grad_f)
 *   hessian_f(...args)              the dense H: number[][] over the differentiated inputs flattened
 *                                   (parameter order, arrays in index order, fields in declaration order)
 *
 * jvp_grad_f comes from differentiating the companion again (../../second-order.ts): the companion
 * of a hessian-marked function is written in the subset Adjoint accepts.
 */
import { differentiatedList, gradientTypeText } from './export-signature.js';
import { member, num, ref } from '../../ir/build.js';
import type { AssignTarget, Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer } from '../../ir/ssa.js';
import { exportNames } from '../../naming.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { copyOf, zeroShadow } from './shadows.js';
import { shadowTypeText } from '../../ir/type-text.js';
import { forEachNumber, jacobianRowFunction } from './vector-exports.js';
import { argumentAliasingCheck } from './argument-aliasing.js';


/** hvp_f, hessian_f and the row helper of hessian_f, for a hessian-marked f whose grad_f's jvp is `jvpOfGrad`. */
export function secondOrderExports(module: CompanionModule, fn: ProgramFunction, jvpOfGrad: string): FunctionDecl[] {
  const ssa = fn.ssa;
  const differentiable = ssa.params.filter((p) => p.differentiable);
  const gradType = gradientTypeText(ssa);
  const wrt = differentiatedList(ssa);
  const activity = module.analyses.activity(ssa);
  const writes = ssa.params.some((p) => isContainer(ssa.values[p.value]!.type) && activity.isWritten(p.value));
  const names = { hvp: exportNames.hvp(ssa.name), hessian: exportNames.hessian(ssa.name), row: exportNames.hessianRow(ssa.name) };
  // (jvp_grad_f, differentiated again from the companion, has no check of its own)
  const checkArguments = argumentAliasingCheck(module, ssa);

  const hvpNames = module.namer.child();
  const params = ssa.params.map((p) => ({ name: hvpNames.claim(p.name), type: p.typeText }));
  const directions = differentiable.map((p) => ({ name: hvpNames.claim(`v_${p.name}`), type: shadowTypeText(ssa.values[p.value]!.type) }));
  const hvp: FunctionDecl = {
    kind: 'function',
    name: names.hvp,
    params: [...params, ...directions],
    returnType: gradType,
    doc: [
      `The Hessian-vector product H·v of \`${ssa.name}\` (${fn.sourceLabel}) with respect to ${wrt}, for the direction v given`,
      `after the arguments (${directions.map((d) => d.name).join(', ')}, shaped like them): the derivative of the gradient along v,`,
      `by forward mode over reverse mode (${jvpOfGrad}). Shaped like the gradient.`,
      ...(writes ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`] : []),
    ].join('\n'),
    exported: true,
    // d/dε ∇f(x + ε·v) at ε = 0 = H·v
    body: [...checkArguments(params.map((p) => p.name)), { kind: 'return', value: member({ kind: 'call', callee: jvpOfGrad, args: [...params, ...directions].map((p) => ref(p.name)) }, 'tangent') }],
  };

  const local = module.namer.child();
  const hessianParams = ssa.params.map((p) => ({ name: local.claim(p.name), type: p.typeText, ssaType: ssa.values[p.value]!.type }));
  const direction = local.claim('direction');
  const hessian = local.claim('hessian');
  // f writes into its arguments: every column gets copies, so each starts from the same point
  const argument = (p: (typeof hessianParams)[number]): Expr => (writes && isContainer(p.ssaType) ? copyOf(p.ssaType, ref(p.name)) : ref(p.name));
  const directionArgs = differentiable.map((p) => member(ref(direction), p.name));
  const column = (leaf: AssignTarget): Stmt[] => [
    { kind: 'assign', op: '=', target: leaf, value: num(1) },
    {
      kind: 'expr',
      expr: { kind: 'method', object: ref(hessian), method: 'push', args: [{ kind: 'call', callee: names.row, args: [{ kind: 'call', callee: names.hvp, args: [...hessianParams.map(argument), ...directionArgs] }] }] },
    },
    { kind: 'assign', op: '=', target: leaf, value: num(0) },
  ];
  const zeroDirection: Expr = {
    kind: 'object',
    properties: differentiable.map((p) => {
      const type = ssa.values[p.value]!.type;
      return { key: p.name, value: isContainer(type) ? zeroShadow(type, ref(hessianParams[ssa.params.indexOf(p)]!.name)) : num(0) };
    }),
  };
  const hessianFunction: FunctionDecl = {
    kind: 'function',
    name: names.hessian,
    params: hessianParams.map(({ name, type }) => ({ name, type })),
    returnType: 'number[][]',
    doc: [
      `The Hessian of \`${ssa.name}\` (${fn.sourceLabel}), dense: one row and one column per number of ${wrt}, flattened in`,
      `parameter order (arrays in index order, object fields in declaration order). Column k is ${names.hvp} with the unit`,
      'direction eₖ (forward over reverse); H is symmetric, so it is row k as well.',
      ...(writes ? [`Each column is computed on copies of the arguments, which it leaves unchanged.`] : []),
    ].join('\n'),
    exported: true,
    body: [
      // (each column is computed on copies, which share nothing: the arguments are checked here)
      ...checkArguments(hessianParams.map((p) => p.name)),
      { kind: 'declare', declaration: 'const', name: hessian, type: 'number[][]', init: { kind: 'array', elements: [] } },
      { kind: 'declare', declaration: 'const', name: direction, type: gradType, init: zeroDirection },
      ...differentiable.flatMap((p) => forEachNumber(local, ssa.values[p.value]!.type, member(ref(direction), p.name), column)),
      { kind: 'return', value: ref(hessian) },
    ],
  };
  return [hvp, hessianFunction, jacobianRowFunction(module, ssa, names.row, gradType, 'Hessian')];
}
