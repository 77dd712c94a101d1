/**
 * Arguments that share storage. The exports of f give every container parameter a shadow of its
 * own, and a parameter's adjoints flow into its shadow only: the partial derivatives of f taken as
 * a function of separate arguments. When f only reads its arguments, that is what the caller gets
 * with the same array passed twice (`grad_f(w, w)`) or a row passed in two places (`M = [r, r]`):
 * each slot's partial derivative, which add up to the derivative with respect to the shared array.
 * When f writes into an argument, sharing changes what f computes (a write through one parameter
 * is read through the other) and no set of separate shadows can follow it (issue 19, item 3:
 * `a[0] = b[0]! * 2; return a[0]! * b[0]!` gave 9 at grad(w, w) for 12).
 *
 * So an export of a function that may write into its container arguments begins by checking that
 * none of the arrays and objects it may write into (those of the written parameters, to the depth
 * their types nest containers) is shared with another argument, and throws an Error naming the
 * two places otherwise (@adjoint/runtime's distinctArguments, packages/runtime/src). Typed arrays
 * that are views of one buffer share storage when their bytes overlap. Functions that write into
 * no argument are not checked: their hot path pays nothing.
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import { isContainer, type SsaFunction, type Type } from '../../ir/ssa.js';
import type { CompanionModule } from './module.js';

/**
 * The check at the entry of an export of f: given the export's names for f's parameters (in
 * order), the statements to begin it with, none when f writes into none of its arguments. Call
 * it before naming the export's locals: it claims the helper's module-level name.
 */
export function argumentAliasingCheck(module: CompanionModule, ssa: SsaFunction): (names: string[]) => Stmt[] {
  const activity = module.analyses.activity(ssa);
  const containers = ssa.params.map((param, i) => ({ param, i, type: ssa.values[param.value]!.type })).filter((p) => isContainer(p.type));
  const written = containers.filter((p) => activity.isWritten(p.param.value));
  if (written.length === 0 || !module.checksArguments) return () => [];
  const helper = module.distinctArguments();
  const others = containers.filter((p) => !written.includes(p));
  return (names) => {
    const argument = (p: (typeof containers)[number]): Expr => ({
      kind: 'array',
      elements: [{ kind: 'str', value: p.param.name }, ref(names[p.i]!), num(containerDepth(p.type))],
    });
    const args: Expr[] = [
      { kind: 'str', value: ssa.name },
      { kind: 'array', elements: written.map(argument) },
      { kind: 'array', elements: others.map(argument) },
    ];
    return [
      {
        kind: 'expr',
        role: 'argument-check',
        expr: { kind: 'call', callee: helper, args },
        comment: `${ssa.name} writes into its arguments: they must not share storage`,
      },
    ];
  };
}

/** The statements of a function without its argument checks (for the companion differentiated again, whose subset has no `throw`). */
export function withoutArgumentChecks(body: Stmt[]): Stmt[] {
  return body.filter((s) => !(s.kind === 'expr' && s.role === 'argument-check'));
}

/** How many levels of arrays and objects a type nests: 0 for a number, 1 for number[], 2 for number[][]. */
function containerDepth(type: Type): number {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return 0;
    case 'array':
      return 1 + containerDepth(type.element);
    case 'tuple':
      return 1 + Math.max(0, ...type.elements.map(containerDepth));
    case 'object':
      return 1 + Math.max(0, ...type.fields.map((f) => containerDepth(f.type)));
  }
}
