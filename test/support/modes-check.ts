/**
 * Checks every mode of a function with a number result against finite differences and against
 * each other, at one point:
 *   reverse   valueAndGrad_f's value is f's, grad_f gives the same gradient, shaped like the
 *             arguments, and each entry matches central differences of f
 *   forward   (when the companion has jvp_f) along seeded directions: jvp_f's value is f's, its
 *             tangent matches central differences of t ↦ f(x + t·v) and equals ∇f·v from reverse
 *             mode to rounding (the modes agree)
 *   Hessian   (when it has hvp_f) H·v matches central differences of the gradient along the
 *             same directions, (∇f(x + hv) − ∇f(x − hv)) / 2h with Richardson extrapolation;
 *             valueGradAndHvp_f's one pass gives f's value, grad_f's gradient and hvp_f's H·v
 * `args()` is called afresh for every evaluation, so functions that write into their arguments
 * and arguments that share storage (`[w, w]`) are checked as the caller passes them.
 */
import { expect } from 'vitest';
import { fn, type Compiled } from './compile.js';
import { directionalDerivative, directionLike, gradientAlong, seeded, shifted } from './directional.js';
import { closeTo, leaves, partialAt, type Argument } from './finite-difference.js';
import { expectShapedLike } from './shape.js';

export interface ModesCheckOptions {
  tolerance?: number;
  /** The parameters differentiated (all by default, by name). */
  wrt?: string[];
  /** Directions to check forward and Hessian mode along. */
  directions?: number;
  context?: string;
  /** The function checked, when it is not the source's export `name` (a method, called on its instance: methodAsFunction). */
  f?: (...args: Argument[]) => number;
  /** Its parameters' names, when its text does not give them (a method's instance is `this`). */
  params?: string[];
}

type AnyFunction = (...args: any[]) => any;

export function expectModesAgree(compiled: Compiled, name: string, args: () => Argument[], options: ModesCheckOptions = {}): void {
  const { tolerance = 1e-6, directions: count = 2, context = '' } = options;
  const f = options.f ?? (fn(compiled.source, name) as unknown as (...a: Argument[]) => number);
  const exported = (prefix: string) => compiled.companion[`${prefix}_${name}`] as AnyFunction | undefined;
  const where = `${name}${context}`;
  const params = options.params ?? parameterNames(f);
  const differentiated = params.map((p) => (options.wrt ?? params).includes(p));

  const expected = f(...args());
  const { value, grad } = exported('valueAndGrad')!(...args()) as { value: number; grad: Record<string, Argument> };
  expect(Object.is(value, expected), `value of ${where}: valueAndGrad ${value}, f ${expected}`).toBe(true);
  expect(exported('grad')!(...args()), `grad_${where}`).toEqual(grad);
  expect(Object.keys(grad), `gradient keys of ${where}`).toEqual(params.filter((_, i) => differentiated[i]));
  const at = args();
  for (const [param, adjoint] of Object.entries(grad)) expectShapedLike(adjoint, at[params.indexOf(param)], `∂${where}/∂${param}`);
  for (const [path, adjoint] of leaves(grad)) {
    const numeric = partialAt(f, args(), [params.indexOf(path[0] as string), ...path.slice(1)]);
    expect(closeTo(adjoint, numeric, tolerance), `reverse ∂${where}/∂${path.join('.')}: ${adjoint}, finite differences ${numeric}`).toBe(true);
  }

  const jvp = exported('jvp');
  const hvp = exported('hvp');
  for (let d = 0; d < count && (jvp || hvp); d++) {
    const next = seeded(101 + d);
    const v = args().map((arg, i) => (differentiated[i] ? directionLike(arg, next) : undefined));
    const tangents = v.filter((t) => t !== undefined);
    const numeric = directionalDerivative(f, args(), v);
    if (jvp) {
      const { value: jvpValue, tangent } = jvp(...args(), ...tangents) as { value: number; tangent: number };
      expect(Object.is(jvpValue, expected), `jvp value of ${where}: ${jvpValue}, f ${expected}`).toBe(true);
      const reverse = gradientAlong(grad, params, v);
      expect(closeTo(tangent, reverse, 1e-9), `${where} along direction ${d}: forward ${tangent}, reverse ∇f·v ${reverse}`).toBe(true);
      expect(closeTo(tangent, numeric, tolerance), `${where} along direction ${d}: forward ${tangent}, finite differences ${numeric}`).toBe(true);
    }
    if (hvp) {
      const hv = hvp(...args(), ...tangents) as Record<string, Argument>;
      const gradAt = (t: number) => exported('grad')!(...shifted(args(), v, t)) as Record<string, Argument>;
      const [plus, minus, plusHalf, minusHalf] = [1e-3, -1e-3, 0.5e-3, -0.5e-3].map(gradAt);
      const entries = (g: Record<string, Argument>) => leaves(g).map(([, x]) => x);
      const [p, m, ph, mh] = [plus!, minus!, plusHalf!, minusHalf!].map(entries);
      leaves(hv).forEach(([path, entry], k) => {
        // Richardson central differences of the gradient along v
        const difference = (4 * ((ph![k]! - mh![k]!) / 1e-3) - (p![k]! - m![k]!) / 2e-3) / 3;
        expect(closeTo(entry, difference, 1e-5), `${where}: (H·v)${path.join('.')} along direction ${d}: ${entry}, differences of gradients ${difference}`).toBe(true);
      });
      const together = exported('valueGradAndHvp')!(...args(), ...tangents) as { value: number; grad: Record<string, Argument>; hvp: Record<string, Argument> };
      expect(Object.is(together.value, expected), `valueGradAndHvp value of ${where}: ${together.value}, f ${expected}`).toBe(true);
      // the same gradient, to rounding: grad_f may add in another order (a fused loop sums each
      // iteration's adjoint of a number from before it apart), valueGradAndHvp_f's reverse is taped
      const [gradLeaves, togetherLeaves] = [grad, together.grad].map((g) => leaves(g));
      expect(togetherLeaves.map(([path]) => path), `valueGradAndHvp gradient keys of ${where}`).toEqual(gradLeaves!.map(([path]) => path));
      togetherLeaves!.forEach(([path, entry], k) => {
        const expectedEntry = gradLeaves![k]![1];
        expect(closeTo(entry, expectedEntry, 1e-12), `valueGradAndHvp ∂${where}/∂${path.join('.')}: ${entry}, grad_f ${expectedEntry}`).toBe(true);
      });
      expect(together.hvp, `valueGradAndHvp H·v of ${where}`).toEqual(hv);
    }
  }
}

/** The parameter names of a compiled function, read from its JavaScript source. */
function parameterNames(f: AnyFunction): string[] {
  const match = /^[^(]*\(([^)]*)\)/.exec(f.toString());
  return (match?.[1] ?? '').split(',').map((p) => p.trim().replace(/\s*=.*$/, '')).filter(Boolean);
}
