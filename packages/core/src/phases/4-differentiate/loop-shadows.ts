/**
 * Shadows and copies of arrays of arrays or objects written with loops, for a companion that is
 * differentiated again (the hessian of a function with a `number[][]` parameter): Adjoint's subset
 * has no callbacks, so `M.map((element) => new Array(element.length).fill(0))` becomes a call of
 *
 *   function zerosLike(primal: number[][]): number[][] {
 *     const result: number[][] = [];
 *     for (let i = 0; i < primal.length; i++) result.push(new Array(primal[i].length).fill(0));
 *     return result;
 *   }
 *
 * one helper per type and kind, declared in the companion once.
 */
import { index, member, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl } from '../../ir/code.js';
import type { Type } from '../../ir/ssa.js';
import type { Namer } from '../../naming.js';
import { copyOf, zeroShadow, type NestedArrays } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';

export class LoopShadows implements NestedArrays {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly namer: Namer,
    /** Where a new helper goes: the companion's functions. */
    private readonly declare: (helper: FunctionDecl) => void,
  ) {}

  zerosLike(type: Type): string {
    return this.helper('zerosLike', type, shadowTypeText(type), (element, at) => zeroShadow(element, at, this));
  }

  copy(type: Type): string {
    return this.helper('copied', type, typeText(type), (element, at) => copyOf(element, at, this));
  }

  /** The helper of `kind` for arrays of `type` (declared at the first request): result.push(elementOf(primal[i])) for each i. */
  private helper(kind: 'zerosLike' | 'copied', type: Type, resultType: string, elementOf: (element: Type, at: Expr) => Expr): string {
    const key = `${kind} ${typeText(type)}`;
    const known = this.names.get(key);
    if (known) return known;
    const name = this.namer.claim(kind);
    this.names.set(key, name);
    if (type.kind !== 'array') throw new Error(`${kind} of a ${type.kind}`);
    const [primal, result, i] = [ref('primal'), ref('result'), 'i'];
    this.declare({
      kind: 'function',
      name,
      params: [{ name: 'primal', type: typeText(type) }],
      returnType: resultType,
      doc: kind === 'zerosLike' ? `A shadow of zeros shaped like \`primal\`, built by a loop.` : `A deep copy of \`primal\`, made by a loop.`,
      exported: false,
      body: [
        { kind: 'declare', declaration: 'const', name: 'result', type: resultType, init: { kind: 'array', elements: [] } },
        { kind: 'countup', counter: i, to: member(primal, 'length'), body: [{ kind: 'expr', expr: { kind: 'method', object: result, method: 'push', args: [elementOf(type.element, index(primal, ref(i)))] } }] },
        { kind: 'return', value: result },
      ],
    });
    return name;
  }
}
