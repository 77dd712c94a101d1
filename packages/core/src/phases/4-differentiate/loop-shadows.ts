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
  /** The helpers' names by kind and type, claimed before any function is named (see reserve). */
  private readonly names = new Map<string, string>();
  private readonly declared = new Set<string>();

  constructor(
    private readonly namer: Namer,
    /** Where a new helper goes: the companion's functions. */
    private readonly declare: (helper: FunctionDecl) => void,
  ) {}

  /**
   * Claims the names of the helpers values of `type` may need (for its arrays of arrays or
   * objects, at any depth), before the functions that call them name their locals: a local
   * named `zerosLike` would hide the helper.
   */
  reserve(type: Type): void {
    if (type.kind === 'array' && (type.element.kind === 'array' || type.element.kind === 'tuple' || type.element.kind === 'object')) {
      for (const kind of ['zerosLike', 'copied'] as const) this.nameOf(kind, type);
    }
    const inner =
      type.kind === 'array'
        ? [type.element]
        : type.kind === 'tuple'
          ? type.elements
          : type.kind === 'object'
            ? type.fields.map((f) => f.type)
            : [];
    inner.forEach((t) => this.reserve(t));
  }

  zerosLike(type: Type): string {
    return this.helper('zerosLike', type, shadowTypeText(type), (element, at) => zeroShadow(element, at, this));
  }

  copy(type: Type): string {
    return this.helper('copied', type, typeText(type), (element, at) => copyOf(element, at, this));
  }

  /** The helper of `kind` for arrays of `type` (declared at the first request): result.push(elementOf(primal[i])) for each i. */
  private nameOf(kind: 'zerosLike' | 'copied', type: Type): string {
    const key = `${kind} ${typeText(type)}`;
    if (!this.names.has(key)) this.names.set(key, this.namer.claim(kind));
    return this.names.get(key)!;
  }

  private helper(kind: 'zerosLike' | 'copied', type: Type, resultType: string, elementOf: (element: Type, at: Expr) => Expr): string {
    const name = this.nameOf(kind, type);
    if (this.declared.has(name)) return name;
    this.declared.add(name);
    if (type.kind !== 'array') throw new Error(`${kind} of a ${type.kind}`);
    const [primal, result, i] = [ref('primal'), ref('result'), 'i'];
    this.declare({
      kind: 'function',
      name,
      params: [{ name: 'primal', type: typeText(type) }],
      returnType: resultType,
      doc:
        kind === 'zerosLike' ? `A shadow of zeros shaped like \`primal\`, built by a loop.` : `A deep copy of \`primal\`, made by a loop.`,
      exported: false,
      body: [
        { kind: 'declare', declaration: 'const', name: 'result', type: resultType, init: { kind: 'array', elements: [] } },
        {
          kind: 'countup',
          counter: i,
          to: member(primal, 'length'),
          body: [
            {
              kind: 'expr',
              expr: { kind: 'method', object: result, method: 'push', args: [elementOf(type.element, index(primal, ref(i)))] },
            },
          ],
        },
        { kind: 'return', value: result },
      ],
    });
    return name;
  }
}
