/**
 * The exports of a function f marked `@differentiable(hessian)`:
 *
 *   hvp_f(...args, ...directions)   H·v, the Hessian-vector product: the directional derivative of
 *                                   the gradient along v, by forward mode over reverse mode
 *                                   (jvp_valueAndGrad_f)
 *   valueGradAndHvp_f(...args, ...directions)
 *                                   { value, grad, hvp }: f, ∇f and H·v from that same one pass (the
 *                                   jvp of valueAndGrad_f computes f and ∇f as its value)
 *   hessian_f(...args)              the dense H: number[][] over the differentiated inputs flattened
 *                                   (parameter order, arrays in index order, fields in declaration order)
 *   adjointOfGrad_f(...args, ȳ)     grad_f's derivative rule (`@adjointOf grad_f wrt: …`): a marked
 *                                   function calling grad_f is reversed through it, x̄ += H·ȳ by
 *                                   forward over reverse, not by reverse over reverse
 *
 * For f with a vector output (numbers in an array, tuple or object), every number fᵣ of the output
 * has a Hessian Hᵣ of its own:
 *
 *   hvp_f(...args, outputAdjoint, ...directions)
 *                                   (Σᵣ uᵣ·Hᵣ)·v for the output adjoint u (shaped like the value):
 *                                   the directional derivative of uᵀ·J along v (jvp_valueAndVjp_f),
 *                                   the Hessian-vector product of uᵀf; u = eᵣ gives Hᵣ·v
 *   valueGradAndHvp_f(...args, outputAdjoint, ...directions)
 *                                   { value, grad, hvp }: f's output, uᵀ·J and (Σᵣ uᵣ·Hᵣ)·v, from one pass
 *   hessian_f(...args)              [H₀, H₁, …]: number[][][], one dense Hessian per number of the
 *                                   output, in the order of jacobian_f's rows
 *
 * jvp_valueAndGrad_f and jvp_valueAndVjp_f come from differentiating a view of the companion again
 * (pipeline.ts): the same functions written in the subset Adjoint accepts (tapes local to each
 * function), while the first-order exports users call keep the companion's fast shared tapes.
 */
import { differentiatedList, gradientTypeText } from './export-signature.js';
import { member, num, ref } from '../../ir/build.js';
import type { AssignTarget, Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer, type SsaFunction } from '../../ir/ssa.js';
import { exportNames } from '../../naming.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { copyOf, zeroShadow } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { readsVariable } from '../../ir/code-walk.js';
import { forEachNumber, hasVectorOutput, jacobianRowFunction, outputType } from './vector-exports.js';
import { argumentAliasingCheck } from './argument-aliasing.js';

/**
 * The first-order export of f that is differentiated again for its second-order exports:
 * valueAndGrad_f, or valueAndVjp_f for a vector output (their value is f's, and their gradient's
 * tangent is H·v).
 */
export function exportDifferentiatedAgain(name: string, vectorOutput: boolean): string {
  return vectorOutput ? exportNames.valueAndVjp(name) : exportNames.valueAndGrad(name);
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
  const names = {
    hvp: exportNames.hvp(ssa.name),
    valueGradAndHvp: exportNames.valueGradAndHvp(ssa.name),
    adjointOfGrad: exportNames.adjointOfGrad(ssa.name),
    hessian: exportNames.hessian(ssa.name),
    row: exportNames.hessianRow(ssa.name),
  };
  // (jvp_grad_f, differentiated again from the companion, has no check of its own)
  const checkArguments = argumentAliasingCheck(module, ssa);

  const hvpNames = module.namer.child();
  const params = ssa.params.map((p) => ({ name: hvpNames.claim(p.name), type: p.typeText }));
  const outputAdjoint = vector ? [{ name: hvpNames.claim('outputAdjoint'), type: shadowTypeText(outputType(ssa)) }] : [];
  const directions = differentiable.map((p) => ({ name: hvpNames.claim(`v_${p.name}`), type: shadowTypeText(ssa.values[p.value]!.type) }));
  const directionList = directions.map((d) => d.name).join(', ');
  const jvpCall: Expr = { kind: 'call', callee: jvpOfExport, args: [...params, ...outputAdjoint, ...directions].map((p) => ref(p.name)) };
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
    body: [...checkArguments(params.map((p) => p.name)), { kind: 'return', value: member(member(jvpCall, 'tangent'), 'grad') }],
  };

  // the jvp's value is valueAndGrad_f's (valueAndVjp_f's): f and its gradient, from the same pass
  const pass = hvpNames.claim('pass');
  const valueType = vector ? typeText(outputType(ssa)) : 'number';
  const valueGradAndHvp: FunctionDecl = {
    kind: 'function',
    name: names.valueGradAndHvp,
    params: hvp.params,
    returnType: `{ value: ${valueType}; grad: ${gradType}; hvp: ${gradType} }`,
    doc: [
      vector
        ? `The value of \`${ssa.name}\` (${fn.sourceLabel}), the vector–Jacobian product uᵀ·J and the Hessian-vector product (Σᵣ uᵣ·Hᵣ)·v`
        : `The value of \`${ssa.name}\` (${fn.sourceLabel}), its gradient and the Hessian-vector product H·v`,
      `with respect to ${wrt}, as ${names.hvp} takes them, from ONE pass of forward mode over reverse mode (${jvpOfExport}):`,
      `its value is ${vector ? `valueAndVjp_${ssa.name}` : `valueAndGrad_${ssa.name}`}'s, and the tangent of the gradient is the product.`,
      ...writesNote(`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`),
    ].join('\n'),
    exported: true,
    body: [
      ...checkArguments(params.map((p) => p.name)),
      { kind: 'declare', declaration: 'const', name: pass, init: jvpCall },
      {
        kind: 'return',
        value: {
          kind: 'object',
          properties: [
            // (the jvp's value is typed as the companion computes it: a tuple is a number[] there)
            {
              key: 'value',
              value: vector
                ? { kind: 'as', expr: member(member(ref(pass), 'value'), 'value'), type: valueType }
                : member(member(ref(pass), 'value'), 'value'),
            },
            { key: 'grad', value: member(member(ref(pass), 'value'), 'grad') },
            { key: 'hvp', value: member(member(ref(pass), 'tangent'), 'grad') },
          ],
        },
      },
    ],
  };

  // (the rule names grad_f's parameters, which are f's unless the companion renamed them)
  const renamed = params.some((p, i) => p.name !== ssa.params[i]!.name);
  const rule =
    vector || writes || renamed
      ? []
      : [gradRule(names.adjointOfGrad, ssa, fn, params, gradType, jvpOfExport, hvpNames.claim('dGrad'), hvpNames.claim('product'))];

  const local = module.namer.child();
  const hessianParams = ssa.params.map((p) => ({ name: local.claim(p.name), type: p.typeText, ssaType: ssa.values[p.value]!.type }));
  const [direction, hessian, hessians, seed, value] = ['direction', 'hessian', 'hessians', 'outputAdjoint', 'value'].map((n) =>
    local.claim(n),
  ) as [string, string, string, string, string];
  // f writes into its arguments: every column gets copies, so each starts from the same point
  const argument = (p: (typeof hessianParams)[number]): Expr =>
    writes && isContainer(p.ssaType) ? copyOf(p.ssaType, ref(p.name), module.nestedArrays) : ref(p.name);
  const hvpCall: Expr = {
    kind: 'call',
    callee: names.hvp,
    args: [...hessianParams.map(argument), ...(vector ? [ref(seed)] : []), ...differentiable.map((p) => member(ref(direction), p.name))],
  };
  // column k: hvp with the unit direction eₖ (H is symmetric: row k as well)
  const column = (leaf: AssignTarget): Stmt[] => [
    { kind: 'assign', op: '=', target: leaf, value: num(1) },
    {
      kind: 'expr',
      expr: { kind: 'method', object: ref(hessian), method: 'push', args: [{ kind: 'call', callee: names.row, args: [hvpCall] }] },
    },
    { kind: 'assign', op: '=', target: leaf, value: num(0) },
  ];
  const columns = differentiable.flatMap((p) => forEachNumber(local, ssa.values[p.value]!.type, member(ref(direction), p.name), column));
  const newHessian: Stmt = {
    kind: 'declare',
    declaration: 'const',
    name: hessian,
    type: 'number[][]',
    init: { kind: 'array', elements: [] },
  };
  const zeroDirection: Expr = {
    kind: 'object',
    properties: differentiable.map((p) => {
      const type = ssa.values[p.value]!.type;
      return {
        key: p.name,
        value: isContainer(type) ? zeroShadow(type, ref(hessianParams[ssa.params.indexOf(p)]!.name), module.nestedArrays) : num(0),
      };
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
      ...(readsVariable(seedInit, value)
        ? [
            {
              kind: 'declare',
              declaration: 'const',
              name: value,
              init: { kind: 'call', callee: module.primalName(key), args: hessianParams.map(argument) },
            } satisfies Stmt,
          ]
        : []),
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
  return [hvp, valueGradAndHvp, ...rule, hessianFunction, jacobianRowFunction(module, ssa, names.row, gradType, 'Hessian')];
}

/**
 * The derivative rule of grad_f, for f with a number result that writes into none of its
 * arguments: y = ∇f(x) has the adjoint x̄ = (∂∇f/∂x)ᵀ·ȳ = H·ȳ (H is symmetric), which is H·v for
 * v = ȳ: one forward-over-reverse pass (the jvp of valueAndGrad_f), where reverse over reverse
 * would tape the whole gradient computation. It covers the differentiated parameters only (`wrt:`
 * in the mark, rules.ts): a call that varies another argument is reversed through grad_f's body.
 */
function gradRule(
  name: string,
  ssa: SsaFunction,
  fn: ProgramFunction,
  params: Array<{ name: string; type: string }>,
  gradType: string,
  jvpOfExport: string,
  adjoint: string,
  pass: string,
): FunctionDecl {
  // the gradient's fields are named like f's parameters; the rule's, like grad_f's (which may be renamed)
  const differentiable = ssa.params.flatMap((p, i) =>
    p.differentiable ? [{ field: p.name, param: params[i]!.name, type: shadowTypeText(ssa.values[p.value]!.type) }] : [],
  );
  const jvpCall: Expr = {
    kind: 'call',
    callee: jvpOfExport,
    args: [...params.map((p) => ref(p.name)), ...differentiable.map(({ field }) => member(ref(adjoint), field))],
  };
  return {
    kind: 'function',
    name,
    params: [...params, { name: adjoint, type: gradType }],
    returnType: `{ ${differentiable.map(({ param, type }) => `${param}: ${type}`).join('; ')} }`,
    doc: [
      `The derivative rule of grad_${ssa.name} (${fn.sourceLabel}): for the adjoint ${adjoint} of its gradient, the adjoint H·${adjoint} of its arguments,`,
      `by forward mode over reverse mode (${jvpOfExport}). A marked function that calls grad_${ssa.name} is reversed through it.`,
      `@adjointOf grad_${ssa.name} wrt: ${differentiable.map(({ param }) => param).join(', ')}`,
    ].join('\n'),
    exported: true,
    // ∂(ȳ·∇f(x))/∂x = H·ȳ: the tangent of the gradient along ȳ
    body: [
      { kind: 'declare', declaration: 'const', name: pass, init: member(member(jvpCall, 'tangent'), 'grad') },
      {
        kind: 'return',
        value: { kind: 'object', properties: differentiable.map(({ field, param }) => ({ key: param, value: member(ref(pass), field) })) },
      },
    ],
  };
}
