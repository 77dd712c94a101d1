/**
 * A random program's marked function written again as a method of a class (issue 16, classes):
 * some of its differentiated parameters become fields of the instance, which the method reads
 * into locals of the same names before the function's own body, so that it computes exactly what
 * the function computes:
 *
 *   /** @differentiable(wrt: x, a, y) *\/          export class Model_f0 {
 *   export function f0(x: number, a: number[],        constructor(public x: number, public a: number[]) {}
 *                      y: number): number {   →        /** @differentiable(wrt: this, y) *\/
 *     …                                                 f0(y: number): number {
 *   }                                                     let x: number = this.x;
 *                                                         let a: number[] = this.a;
 *                                                         …
 *
 * The method's gradient (the fields under `this`) must then equal the function's, and its jvp
 * the function's jvp (test/core/property-classes.test.ts).
 */
import type { Argument } from './finite-difference.js';
import { differentiatedParams, printFunction, type FunctionDef, type ParamType, type Stmt } from './random-program.js';

/** Parameter names a class cannot declare as a field, or only with a meaning of its own. */
const NOT_FIELDS = new Set(['constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'toString']);
const FIELD_TYPES = new Set<ParamType>(['number', 'number[]', 'readonly number[]', 'Float64Array']);

export interface ClassForm {
  className: string;
  /** The class's text (the mark on its method), to print after the program. */
  text: string;
  /** The function's parameters that are fields: their indices and names. */
  fields: number[];
  fieldNames: string[];
  /** The method's `wrt`: `this` (when there are fields) and the function's other differentiated parameters. */
  wrt: string[];
}

/** The class form of a marked function: every other differentiated parameter of numbers (the first, the third, …) is a field. */
export function classFormOf(fn: FunctionDef): ClassForm {
  const differentiated = differentiatedParams(fn);
  const candidates = fn.params
    .map((_, i) => i)
    .filter((i) => differentiated.includes(fn.params[i]!) && FIELD_TYPES.has(fn.paramTypes?.[i] ?? 'number') && !NOT_FIELDS.has(fn.params[i]!));
  const fields = candidates.filter((_, k) => k % 2 === 0);
  const kept = fn.params.map((_, i) => i).filter((i) => !fields.includes(i));
  const typeOf = (i: number) => {
    const type = fn.paramTypes?.[i] ?? 'number';
    return type === 'int' ? 'number' : type;
  };
  const reads: Stmt[] = fields.map((i) => ({
    kind: 'declare',
    declaration: 'let',
    declarators: [{ name: fn.params[i]!, typed: true, typeText: typeOf(i), init: { kind: 'name', name: `this.${fn.params[i]}` } }],
  }));
  const wrt = [...(fields.length > 0 ? ['this'] : []), ...kept.map((i) => fn.params[i]!).filter((p) => differentiated.includes(p))];
  const method: FunctionDef = {
    ...fn,
    form: 'declaration',
    exported: false,
    params: kept.map((i) => fn.params[i]!),
    ...(fn.paramTypes ? { paramTypes: kept.map((i) => fn.paramTypes![i]!) } : {}),
    ...(fn.paramLengths ? { paramLengths: kept.map((i) => fn.paramLengths![i]!) } : {}),
    wrt,
    body: [...reads, ...fn.body],
  };
  const className = `Model_${fn.name}`;
  const methodText = printFunction(method).replace(`function ${fn.name}(`, `${fn.name}(`);
  const constructor = `constructor(${fields.map((i) => `public ${fn.params[i]}: ${typeOf(i)}`).join(', ')}) {}`;
  const text = [`export class ${className} {`, `  ${constructor}`, '', ...methodText.split('\n').map((line) => `  ${line}`), '}'].join('\n');
  return { className, text, fields, fieldNames: fields.map((i) => fn.params[i]!), wrt };
}

/** The method's arguments from the function's: the instance (a plain object of the fields), then the others. */
export function methodArguments(form: ClassForm, args: Argument[]): Argument[] {
  const instance = Object.fromEntries(form.fields.map((i, k) => [form.fieldNames[k]!, args[i]!])) as { [field: string]: Argument };
  return [instance, ...args.filter((_, i) => !form.fields.includes(i))];
}
