/**
 * The exports of a function f marked `@differentiable(hessian)`:
 *
 *   hvp_f(...args, ...directions)   H·v, the Hessian-vector product: the directional derivative of
 *                                   grad_f along v, by forward mode over reverse mode (jvp_grad_f)
 *   hessian_f(...args)              the dense H: number[][] over the differentiated inputs flattened
 *                                   (parameter order, arrays in index order, fields in declaration order)
 *
 * For f with a vector output (numbers in an array, tuple or object), every number fᵣ of the output
 * has a Hessian Hᵣ of its own:
 *
 *   hvp_f(...args, outputAdjoint, ...directions)
 *                                   (Σᵣ uᵣ·Hᵣ)·v for the output adjoint u (shaped like the value):
 *                                   the directional derivative of vjp_f along v (jvp_vjp_f), the
 *                                   Hessian-vector product of uᵀf; u = eᵣ gives Hᵣ·v
 *   hessian_f(...args)              [H₀, H₁, …]: number[][][], one dense Hessian per number of the
 *                                   output, in the order of jacobian_f's rows
 *
 * jvp_grad_f and jvp_vjp_f come from differentiating the companion again (pipeline.ts): the companion
 * of a hessian-marked function is written in the subset Adjoint accepts.
 */
import { differentiatedList, gradientTypeText } from './export-signature.js';
import { member, num, ref } from '../../ir/build.js';
import type { AssignTarget, Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer, type SsaFunction } from '../../ir/ssa.js';
import { exportNames } from '../../naming.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { copyOf, zeroShadow } from './shadows.js';
import { shadowTypeText } from '../../ir/type-text.js';
import { readsVariable } from '../../ir/code-walk.js';
import { forEachNumber, hasVectorOutput, jacobianRowFunction, outputType } from './vector-exports.js';
import { argumentAliasingCheck } from './argument-aliasing.js';

/** The first-order export of f that is differentiated again for its second-order exports: grad_f, or vjp_f for a vector output. */
export function exportDifferentiatedAgain(ssa: SsaFunction): string {
  return hasVectorOutput(ssa) ? exportNames.vjp(ssa.name) : exportNames.grad(ssa.name);
}

/** hvp_f, hessian_f and the row helper of hessian_f, for a hessian-marked f (of key `key`) whose grad_f's (vjp_f's) jvp is `jvpOfExport`. */
export function secondOrderExports(module: CompanionModule, key: string, fn: ProgramFunction, jvpOfExport: string): FunctionDecl[] {
  const ssa = fn.ssa;
  const vector = hasVectorOutput(ssa);
  const differentiable = ssa.params.filter((p) => p.differentiable);
  const gradType = gradientTypeText(ssa);
  const wrt = differentiatedList(ssa);
  const activity = module.analyses.activity(ssa);
  const writes = ssa.params.some((p) => isContainer(ssa.values[p.value]!.type) && activity.isWritten(p.value));
  const writesNote = (text: string) => (writes ? [text] : []);
  const names = { hvp: exportNames.hvp(ssa.name), hessian: exportNames.hessian(ssa.name), row: exportNames.hessianRow(ssa.name) };
  // (jvp_grad_f, differentiated again from the companion, has no check of its own)
  const checkArguments = argumentAliasingCheck(module, ssa);

  const hvpNames = module.namer.child();
  const params = ssa.params.map((p) => ({ name: hvpNames.claim(p.name), type: p.typeText }));
  const outputAdjoint = vector ? [{ name: hvpNames.claim('outputAdjoint'), type: shadowTypeText(outputType(ssa)) }] : [];
  const directions = differentiable.map((p) => ({ name: hvpNames.claim(`v_${p.name}`), type: shadowTypeText(ssa.values[p.value]!.type) }));
  const directionList = directions.map((d) => d.name).join(', ');
  const hvp: FunctionDecl = {
    kind: 'function',
    name: names.hvp,
    params: [...params, ...outputAdjoint, ...directions],
    returnType: gradType,
    doc: [
      ...(vector
        ? [
            `The Hessian-vector product (Σᵣ uᵣ·Hᵣ)·v of \`${ssa.name}\` (${fn.sourceLabel}) with respect to ${wrt}, Hᵣ being the Hessian`,
            `of the r-th number of the value, for the output adjoint u = ${outputAdjoint[0]!.name} (shaped like the value) and the`,
            `direction v given after it (${directionList}, shaped like the arguments): the derivative of uᵀ·J along v,`,
            `by forward mode over reverse mode (${jvpOfExport}). u = eᵣ gives Hᵣ·v. Shaped like the gradient.`,
          ]
        : [
            `The Hessian-vector product H·v of \`${ssa.name}\` (${fn.sourceLabel}) with respect to ${wrt}, for the direction v given`,
            `after the arguments (${directionList}, shaped like them): the derivative of the gradient along v,`,
            `by forward mode over reverse mode (${jvpOfExport}). Shaped like the gradient.`,
          ]),
      ...writesNote(`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`),
    ].join('\n'),
    exported: true,
    // d/dε ∇f(x + ε·v) at ε = 0 = H·v; for a vector output d/dε (uᵀ·J)(x + ε·v) = (Σᵣ uᵣ·Hᵣ)·v
    body: [...checkArguments(params.map((p) => p.name)), { kind: 'return', value: member({ kind: 'call', callee: jvpOfExport, args: [...params, ...outputAdjoint, ...directions].map((p) => ref(p.name)) }, 'tangent') }],
  };

  const local = module.namer.child();
  const hessianParams = ssa.params.map((p) => ({ name: local.claim(p.name), type: p.typeText, ssaType: ssa.values[p.value]!.type }));
  const [direction, hessian, hessians, seed, value] = ['direction', 'hessian', 'hessians', 'outputAdjoint', 'value'].map((n) => local.claim(n)) as [string, string, string, string, string];
  // f writes into its arguments: every column gets copies, so each starts from the same point
  const argument = (p: (typeof hessianParams)[number]): Expr => (writes && isContainer(p.ssaType) ? copyOf(p.ssaType, ref(p.name), module.nestedArrays) : ref(p.name));
  const hvpCall: Expr = { kind: 'call', callee: names.hvp, args: [...hessianParams.map(argument), ...(vector ? [ref(seed)] : []), ...differentiable.map((p) => member(ref(direction), p.name))] };
  // column k: hvp with the unit direction eₖ (H is symmetric: row k as well)
  const column = (leaf: AssignTarget): Stmt[] => [
    { kind: 'assign', op: '=', target: leaf, value: num(1) },
    { kind: 'expr', expr: { kind: 'method', object: ref(hessian), method: 'push', args: [{ kind: 'call', callee: names.row, args: [hvpCall] }] } },
    { kind: 'assign', op: '=', target: leaf, value: num(0) },
  ];
  const columns = differentiable.flatMap((p) => forEachNumber(local, ssa.values[p.value]!.type, member(ref(direction), p.name), column));
  const newHessian: Stmt = { kind: 'declare', declaration: 'const', name: hessian, type: 'number[][]', init: { kind: 'array', elements: [] } };
  const zeroDirection: Expr = {
    kind: 'object',
    properties: differentiable.map((p) => {
      const type = ssa.values[p.value]!.type;
      return { key: p.name, value: isContainer(type) ? zeroShadow(type, ref(hessianParams[ssa.params.indexOf(p)]!.name), module.nestedArrays) : num(0) };
    }),
  };
  const declareDirection: Stmt = { kind: 'declare', declaration: 'const', name: direction, type: gradType, init: zeroDirection };
  // (each column is computed on copies, which share nothing: the arguments are checked first)
  const check = checkArguments(hessianParams.map((p) => p.name));
  let body: Stmt[];
  if (!vector) {
    body = [...check, newHessian, declareDirection, ...columns, { kind: 'return', value: ref(hessian) }];
  } else {
    // Hᵣ for each number of the value: the output adjoint u = eᵣ
    const resultType = outputType(ssa);
    const seedInit = zeroShadow(resultType, ref(value), module.nestedArrays);
    const perOutput = (leaf: AssignTarget): Stmt[] => [
      {
        kind: 'block',
        body: [
          { kind: 'assign', op: '=', target: leaf, value: num(1) },
          newHessian,
          ...columns,
          { kind: 'expr', expr: { kind: 'method', object: ref(hessians), method: 'push', args: [ref(hessian)] } },
          { kind: 'assign', op: '=', target: leaf, value: num(0) },
        ],
      },
    ];
    body = [
      ...check,
      // the value, for the lengths of the output adjoint's arrays (a tuple or object of numbers has none)
      ...(readsVariable(seedInit, value) ? [{ kind: 'declare', declaration: 'const', name: value, init: { kind: 'call', callee: module.primalName(key), args: hessianParams.map(argument) } } satisfies Stmt] : []),
      { kind: 'declare', declaration: 'const', name: hessians, type: 'number[][][]', init: { kind: 'array', elements: [] } },
      { kind: 'declare', declaration: 'const', name: seed, type: shadowTypeText(resultType), init: seedInit },
      declareDirection,
      ...forEachNumber(local, resultType, ref(seed), perOutput),
      { kind: 'return', value: ref(hessians) },
    ];
  }
  const hessianFunction: FunctionDecl = {
    kind: 'function',
    name: names.hessian,
    params: hessianParams.map(({ name, type }) => ({ name, type })),
    returnType: vector ? 'number[][][]' : 'number[][]',
    doc: [
      ...(vector
        ? [
            `The Hessians of \`${ssa.name}\` (${fn.sourceLabel}), dense: one per number of the value (arrays in index order, object`,
            `fields in declaration order: jacobian_${ssa.name}'s rows), each with a row and a column per number of ${wrt}, flattened in`,
            `parameter order. Column k of Hᵣ is ${names.hvp} with the output adjoint eᵣ and the unit direction eₖ.`,
          ]
        : [
            `The Hessian of \`${ssa.name}\` (${fn.sourceLabel}), dense: one row and one column per number of ${wrt}, flattened in`,
            `parameter order (arrays in index order, object fields in declaration order). Column k is ${names.hvp} with the unit`,
            'direction eₖ (forward over reverse); H is symmetric, so it is row k as well.',
          ]),
      ...writesNote(`Each column is computed on copies of the arguments, which it leaves unchanged.`),
    ].join('\n'),
    exported: true,
    body,
  };
  return [hvp, hessianFunction, jacobianRowFunction(module, ssa, names.row, gradType, 'Hessian')];
}
