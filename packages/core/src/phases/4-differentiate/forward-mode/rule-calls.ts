/**
 * Forward mode through a call of a function that has only a reverse-mode rule (`@adjointOf`).
 * For a number result y = g(a₁, …, aₙ) the rule, called with the adjoint 1 of the result, gives
 * the gradient ∂y/∂aⱼ of each argument, and the tangent is the dot product
 *
 *   ẏ = Σⱼ ⟨∂y/∂aⱼ, ȧⱼ⟩          (summed over every number of a container argument)
 *
 * which is exact, for one call of the rule. A result made of several numbers would need one call
 * per number, and the tangents of what g writes into its arguments cannot be had from the rule at
 * all: such calls are rejected (AD2010).
 */
import { add, index, member, mul, num, ref, sub } from '../../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../../ir/code.js';
import type { CallInstr, Type } from '../../../ir/ssa.js';
import { createDiagnostic, UserError } from '../../../diagnostics/create.js';
import { adjointName, type Namer } from '../../../naming.js';
import type { TangentContext } from './context.js';

export function ruleCallTangent(ctx: TangentContext, instr: CallInstr, pattern: boolean[]): Stmt[] {
  const callee = ctx.module.callee(instr.callee);
  const rule = callee.rule!;
  const result = instr.result;
  // a function without a body is taken, as reverse mode takes it, to write nothing: its rule returns
  // adjoints of its arguments only
  const summary = ctx.module.summaries(instr.callee);
  const writesVaried = instr.args.some((arg, j) => pattern[j] && !ctx.activity.isScalar(arg) && summary?.writesParam[j] === true);
  const problem = writesVaried
    ? 'it writes into an argument that varies'
    : result === undefined || !ctx.activity.isScalar(result)
      ? 'its result is not a number'
      : undefined;
  if (problem) {
    // (a function's key is `<file>#<name>`: see functionKey in 2-lower/program.ts)
    const file = ctx.key.slice(0, ctx.key.lastIndexOf('#'));
    throw new UserError(
      createDiagnostic(
        'AD2010',
        { function: callee.name, rule: rule.name, problem },
        { file, line: instr.origin.line, column: instr.origin.column, length: instr.origin.text.length },
      ),
    );
  }
  const names = ctx.names;
  const args = instr.args.map((a) => names.expr(a));
  const comment = `line ${instr.origin.line}: ${instr.origin.text}`;
  const gradientName = ctx.namer.claim(adjointName(callee.name));
  const gradient = ref(gradientName);
  const tangentName = ctx.tangentName(result!);
  // ẏ = Σⱼ ⟨∂y/∂aⱼ, ȧⱼ⟩ over the arguments with a tangent: the numbers' terms at once, the containers' in loops
  const numbers: Expr[] = [];
  const loops: Stmt[] = [];
  instr.args.forEach((arg, j) => {
    if (!pattern[j]) return;
    const partial = member(gradient, callee.paramNames[j]!);
    if (ctx.activity.isScalar(arg)) numbers.push(mul(partial, ref(ctx.tangentName(arg))));
    else loops.push(...dotInto(ctx.namer, ctx.typeOf(arg), ref(tangentName), partial, ref(ctx.tangentName(arg))));
  });
  return [
    {
      kind: 'declare',
      declaration: 'const',
      name: names.name(result!),
      init: { kind: 'call', callee: ctx.module.primalName(instr.callee), args },
    },
    // ∂y/∂aⱼ: the rule of g at the adjoint 1 of its result
    {
      kind: 'declare',
      declaration: 'const',
      name: gradientName,
      init: { kind: 'call', callee: ctx.module.ruleName(instr.callee), args: [...args, num(1)] },
      comment,
    },
    {
      kind: 'declare',
      declaration: loops.length > 0 ? 'let' : 'const',
      name: tangentName,
      type: 'number',
      init: numbers.length > 0 ? numbers.reduce((sum, term) => add(sum, term)) : num(0),
    },
    ...loops,
  ];
}

/** target += ⟨a, b⟩, for two values of the same shape (a gradient and a tangent). */
function dotInto(namer: Namer, type: Type, target: AssignTarget, a: Expr, b: Expr): Stmt[] {
  switch (type.kind) {
    case 'number':
      return [{ kind: 'assign', op: '+=', target, value: mul(a, b) }];
    case 'boolean':
      return [];
    case 'array': {
      const counter = namer.claim('k');
      const k = sub(ref(counter), num(1));
      return [
        { kind: 'countdown', counter, from: member(b, 'length'), body: dotInto(namer, type.element, target, index(a, k), index(b, k)) },
      ];
    }
    case 'tuple':
      return type.elements.flatMap((t, i) => dotInto(namer, t, target, index(a, num(i)), index(b, num(i))));
    case 'object':
      return type.fields.flatMap((f) => dotInto(namer, f.type, target, member(a, f.name), member(b, f.name)));
  }
}
