/**
 * Phase 4: differentiate. Builds the companion functions of one marked function:
 *
 *   valueAndGrad_f  forward sweep (the primal, keeping what the reverse reads), then reverse sweep
 *                   (adjoints from the result back to every differentiable parameter)
 *   grad_f          the gradient alone
 *
 * The reverse sweep is built first: what it reads decides what the forward sweep saves.
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import type { SsaFunction, ValueId } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';
import { exportNames, type Namer } from '../../naming.js';
import type { Analysis } from '../3-analyze/index.js';
import { DiffContext } from './context.js';
import { forwardBlock, restoreForReverse } from './forward.js';
import { reverseBlock } from './reverse.js';
import { gradientOf, typeText, zeroShadow } from './shadows.js';

export interface DifferentiateInput {
  fn: SsaFunction;
  analysis: Analysis;
  /** Names taken at module level in the companion; each generated function takes its own beneath. */
  moduleNamer: Namer;
  /** The companion's name for a module-level constant of the source. */
  globalName: (name: string) => string;
  /** Declares the tape class in the companion (once) and returns its name. */
  tapeClass: () => string;
  /** Where the function is declared, for the doc comment (`physics.ts:12`). */
  sourceLabel: string;
}

export function differentiate({ fn, analysis, moduleNamer, globalName, tapeClass, sourceLabel }: DifferentiateInput): FunctionDecl[] {
  const ctx = new DiffContext(fn, analysis, moduleNamer.child(), globalName, tapeClass);
  const { activity } = analysis;
  const params = fn.params.map((p) => ({ name: ctx.names.name(p.value), type: p.typeText }));
  const containerParams = fn.params.filter((p) => !activity.isScalar(p.value) && activity.isActive(p.value));

  if (activity.isActive(fn.result)) ctx.adjoints.seed(fn.result, num(1)); // ∂result/∂result = 1
  const reverse = reverseBlock(ctx, fn.body, []);
  const returnValue: Expr = { kind: 'object', properties: [{ key: 'value', value: ctx.names.expr(fn.result) }, { key: 'grad', value: gradient(ctx) }] };
  ctx.recordNeeds([...reverse, { kind: 'return', value: returnValue }]);
  for (const site of ctx.restoreSites) site.statements.unshift(...restoreForReverse(ctx, site.block));
  const forward = forwardBlock(ctx, fn.body);

  const tapes: Stmt[] = [];
  const saved = [...ctx.needs.keys()].flatMap((block) => ctx.tapePlan(block).saved);
  if (saved.length > 0) {
    const names = ctx.tapes();
    if (saved.some((n) => n.shadow || !activity.isScalar(n.value))) {
      tapes.push({ kind: 'declare', declaration: 'const', name: names.containers, init: { kind: 'array', elements: [] }, type: 'object[]' });
    }
    if (saved.some((n) => !n.shadow && activity.isScalar(n.value))) {
      tapes.push({ kind: 'declare', declaration: 'const', name: names.numbers, init: { kind: 'new', callee: tapeClass(), args: [] } });
    }
  }
  const shadows: Stmt[] = containerParams.map((p) => ({
    kind: 'declare',
    declaration: 'const',
    name: ctx.names.shadowName(p.value),
    init: zeroShadow(fn.values[p.value]!.type, ref(ctx.names.name(p.value))),
  }));

  const differentiable = fn.params.filter((p) => p.differentiable);
  const gradType = `{ ${differentiable.map((p) => `${p.name}: ${gradientTypeText(fn, p.value)}`).join('; ')} }`;
  const valueAndGradName = exportNames.valueAndGrad(fn.name);
  const wrt = differentiable.map((p) => `\`${p.name}\``).join(', ');
  const writesArguments = fn.params.some((p) => !activity.isScalar(p.value) && writesInto(fn, analysis, p.value));

  const valueAndGrad: FunctionDecl = {
    kind: 'function',
    name: valueAndGradName,
    params,
    returnType: `{ value: number; grad: ${gradType} }`,
    doc: [
      `The value of \`${fn.name}\` (${sourceLabel}) and its gradient with respect to ${wrt || 'no parameter'},`,
      'by reverse-mode automatic differentiation: a forward sweep computes and keeps the intermediate',
      'values, then a reverse sweep carries the adjoint d_v = ∂result/∂v of each value back to the parameters.',
      ...(writesArguments ? [`Like \`${fn.name}\`, it writes into the arrays or objects passed to it.`] : []),
    ].join('\n'),
    exported: true,
    body: [
      ...tapes,
      ...shadows,
      { kind: 'comment', text: 'Forward sweep.' },
      ...forward,
      ...(reverse.length > 0 ? [{ kind: 'comment' as const, text: 'Reverse sweep.' }, ...reverse] : []),
      { kind: 'return', value: returnValue },
    ],
  };
  const grad: FunctionDecl = {
    kind: 'function',
    name: exportNames.grad(fn.name),
    params,
    returnType: gradType,
    doc: `The gradient of \`${fn.name}\` (${sourceLabel}) with respect to ${wrt || 'no parameter'}: one property per parameter, shaped like it.`,
    exported: true,
    body: [{ kind: 'return', value: { kind: 'member', object: { kind: 'call', callee: valueAndGradName, args: params.map((p) => ref(p.name)) }, property: 'grad' } }],
  };
  return [valueAndGrad, grad];
}

/** The gradient object: one property per differentiable parameter, shaped like it. */
function gradient(ctx: DiffContext): Expr {
  const { fn, activity } = ctx;
  return {
    kind: 'object',
    properties: fn.params
      .filter((p) => p.differentiable)
      .map((p) => {
        const type = fn.values[p.value]!.type;
        let value: Expr;
        if (activity.isScalar(p.value)) value = ctx.adjoints.get(p.value) ?? num(0);
        else if (activity.isActive(p.value)) value = gradientOf(type, ref(ctx.names.shadowName(p.value)));
        else value = gradientOf(type, zeroShadow(type, ref(ctx.names.name(p.value))));
        return { key: p.name, value };
      }),
  };
}

function gradientTypeText(fn: SsaFunction, value: ValueId): string {
  return typeText(fn.values[value]!.type).replace(/\bboolean\b/g, 'number');
}

/** True when the function stores into (or pushes onto) a container the parameter may alias. */
function writesInto(fn: SsaFunction, analysis: Analysis, param: ValueId): boolean {
  let writes = false;
  forEachInstr(fn.body, (instr) => {
    if ((instr.kind === 'store' || instr.kind === 'push') && analysis.activity.isEmitted(instr) && analysis.activity.mayAlias(instr.container, param)) writes = true;
  });
  return writes;
}
