/**
 * Phase 4: differentiate. Builds the companion functions of one marked function:
 *
 *   valueAndGrad_f  forward sweep (the primal, keeping intermediates), then reverse sweep
 *                   (adjoints from the result back to every differentiable parameter)
 *   grad_f          the gradient alone
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl } from '../../ir/code.js';
import type { SsaFunction } from '../../ir/ssa.js';
import { exportNames, type Namer } from '../../naming.js';
import type { Analysis } from '../3-analyze/index.js';
import { forwardSweep } from './forward-sweep.js';
import { PrimalNames } from './primal-names.js';
import { reverseSweep } from './reverse-sweep.js';

export interface DifferentiateInput {
  fn: SsaFunction;
  analysis: Analysis;
  /** Names taken at module level in the companion; each generated function takes its own beneath. */
  moduleNamer: Namer;
  /** The companion's name for a module-level constant of the source. */
  globalName: (name: string) => string;
  /** Where the function is declared, for the doc comment (`physics.ts:12`). */
  sourceLabel: string;
}

export function differentiate({ fn, analysis, moduleNamer, globalName, sourceLabel }: DifferentiateInput): FunctionDecl[] {
  const namer = moduleNamer.child();
  const primal = new PrimalNames(fn, namer, globalName);
  const forward = forwardSweep(fn, analysis.activity, primal);
  const reverse = reverseSweep(fn, analysis.activity, primal, namer);

  const differentiable = fn.params.filter((p) => p.differentiable);
  const gradient: Expr = {
    kind: 'object',
    properties: differentiable.map((p) => ({ key: p.name, value: reverse.adjoints.get(p.value) ?? num(0) })),
  };
  const gradType = `{ ${differentiable.map((p) => `${p.name}: number`).join('; ')} }`;
  const params = fn.params.map((p) => ({ name: primal.name(p.value), type: p.typeText }));
  const valueAndGradName = exportNames.valueAndGrad(fn.name);
  const wrt = differentiable.map((p) => `\`${p.name}\``).join(', ');

  const valueAndGrad: FunctionDecl = {
    kind: 'function',
    name: valueAndGradName,
    params,
    returnType: `{ value: number; grad: ${gradType} }`,
    doc: [
      `The value of \`${fn.name}\` (${sourceLabel}) and its gradient with respect to ${wrt || 'no parameter'},`,
      'by reverse-mode automatic differentiation: a forward sweep computes and keeps the intermediate',
      'values, then a reverse sweep carries the adjoint d_v = ∂result/∂v of each value back to the parameters.',
    ].join('\n'),
    exported: true,
    body: [
      { kind: 'comment', text: 'Forward sweep.' },
      ...forward,
      ...(reverse.statements.length > 0 ? [{ kind: 'comment' as const, text: 'Reverse sweep.' }, ...reverse.statements] : []),
      { kind: 'return', value: { kind: 'object', properties: [{ key: 'value', value: primal.expr(fn.result) }, { key: 'grad', value: gradient }] } },
    ],
  };
  const grad: FunctionDecl = {
    kind: 'function',
    name: exportNames.grad(fn.name),
    params,
    returnType: gradType,
    doc: `The gradient of \`${fn.name}\` (${sourceLabel}) with respect to ${wrt || 'no parameter'}: one property per parameter.`,
    exported: true,
    body: [{ kind: 'return', value: { kind: 'member', object: { kind: 'call', callee: valueAndGradName, args: params.map((p) => ref(p.name)) }, property: 'grad' } }],
  };
  return [valueAndGrad, grad];
}
