/**
 * Golden files of generated code: each case in cases/ is compiled and its companion compared with
 * expected/. They are documentation too: read them when they change (UPDATE_GOLDEN=1 rewrites
 * them). Every `// check: f(args)` line of a case is also run against finite differences, with
 * the gradient keys restricted to the differentiated parameters (for a function with a vector
 * output, every entry of its Jacobian and a vjp; for a function marked hessian, every entry of its
 * Hessian against differences of the gradient).
 * A `// compile options: {…}` line gives the case's compile options.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CompileOptions } from '@adjoint/core';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { expectVectorOutputMatches } from '../support/jacobian-check.js';
import { methodAsFunction } from '../support/methods.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const cases = readdirSync(`${here}cases`).filter((f) => f.endsWith('.ts')).sort();

interface Check {
  name: string;
  text: string;
  /** Fresh arguments for each call (a function may write into its arrays). */
  args: () => Argument[];
}

/**
 * `// check: f(1, [2, 3], new Float64Array([4]))`: the arguments are JavaScript expressions.
 * `// check: Linear.loss(self, x)` checks a method: its companion functions are `Linear_loss`, and
 * an instance method's take the instance first (given as a plain object of its fields).
 */
function checksOf(source: string): Check[] {
  return [...source.matchAll(/^\/\/ check: (\w+(?:\.\w+)?)\((.*)\)$/gm)].map((m) => ({
    name: m[1]!,
    text: m[2]!,
    args: () => new Function(`return [${m[2]}];`)() as Argument[],
  }));
}

/** `// compile options: {"inline": false}`: the options a case is compiled with (JSON). */
function optionsOf(source: string): CompileOptions {
  const line = source.match(/^\/\/ compile options: (\{[^}]*\})/m);
  return line ? (JSON.parse(line[1]!) as CompileOptions) : {};
}

describe.each(cases)('golden case %s', (caseFile) => {
  const source = readFileSync(`${here}cases/${caseFile}`, 'utf8');
  const options = optionsOf(source);
  const expectedPath = `${here}expected/${caseFile.replace(/\.ts$/, '.grad.ts')}`;

  it('generates the reviewed companion', async () => {
    const { text } = await compileSource(source, caseFile, options);
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, text);
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
  });

  it.each(checksOf(source).map((c) => [`${c.name}(${c.text})`, c] as const))('matches finite differences at %s', async (_, check) => {
    const compiled = await compileSource(source, caseFile, options);
    if (`jacobian_${check.name}` in compiled.companion) return expectVectorOutputMatches(compiled, check.name, check.args);
    const { name, f, paramNames } = checkedFunction(source, compiled, check.name);
    const companion = (exported: string) => fn(compiled.companion, exported) as unknown as (...args: Argument[]) => any;
    const { value, grad } = companion(`valueAndGrad_${name}`)(...check.args()) as { value: number; grad: Record<string, Argument> };
    expect(value).toBe(f(...check.args()));
    expect(companion(`grad_${name}`)(...check.args())).toEqual(grad);
    for (const [path, adjoint] of leaves(grad)) {
      const index = paramNames.indexOf(path[0] as string);
      expect(index, `gradient key ${path[0]}`).toBeGreaterThanOrEqual(0);
      const numeric = partialAt(f, check.args(), [index, ...path.slice(1)]);
      expect(closeTo(adjoint, numeric, 1e-6), `∂${check.name}/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}`).toBe(true);
    }
    // forward mode (when marked so): along the gradient itself, the directional derivative is |∇f|²
    if (compiled.companion[`jvp_${name}`]) {
      const jvp = companion(`jvp_${name}`)(...check.args(), ...Object.values(grad));
      expect(jvp.value).toBe(value);
      const squaredNorm = leaves(grad).reduce((sum, [, g]) => sum + g * g, 0);
      expect(closeTo(jvp.tangent, squaredNorm, 1e-10), `jvp_${check.name} along the gradient: ${jvp.tangent}, |∇f|² ${squaredNorm}`).toBe(true);
    }
    // hessian_f: entry [k][i] against differences of the k-th gradient entry along input i
    if (!(`hessian_${name}` in compiled.companion)) return;
    const hessian = companion(`hessian_${name}`)(...check.args()) as number[][];
    const inputs = leaves(grad);
    expect(hessian.length).toBe(inputs.length);
    inputs.forEach(([, ], k) => {
      const gradientEntry = (...args: Argument[]) => leaves(companion(`grad_${name}`)(...args))[k]![1];
      inputs.forEach(([path], i) => {
        const numeric = partialAt(gradientEntry, check.args(), [paramNames.indexOf(path[0] as string), ...path.slice(1)]);
        expect(closeTo(hessian[k]![i]!, numeric, 1e-6), `H[${k}][${i}]: ${hessian[k]![i]}, finite differences ${numeric}`).toBe(true);
      });
    });
  });
});

/**
 * What a check names: the companion's name for it, the function of the source (a method as a
 * function of the instance and its arguments), and its parameters' names (`this` for the instance).
 */
function checkedFunction(source: string, compiled: Compiled, checked: string): { name: string; f: (...args: Argument[]) => number; paramNames: string[] } {
  const [className, method] = checked.split('.');
  if (method === undefined) return { name: checked, f: fn(compiled.source, checked) as unknown as (...args: Argument[]) => number, paramNames: parameterNames(source, checked) };
  const declaration = new RegExp(`^\\s*(static\\s+)?${method}\\(([^)]*)\\)`, 'm').exec(source);
  if (!declaration) throw new Error(`cannot find the method ${checked}`);
  const isStatic = declaration[1] !== undefined;
  const params = splitParameters(declaration[2]!);
  return { name: `${className}_${method}`, f: methodAsFunction(compiled.source, className!, method, { isStatic }), paramNames: isStatic ? params : ['this', ...params] };
}

/** The parameter names of a function declared in the case, in order. */
function parameterNames(source: string, name: string): string[] {
  const match = new RegExp(`(?:function ${name}\\s*|const ${name} = (?:function\\s*)?)\\(([^)]*)\\)`).exec(source);
  if (!match) throw new Error(`cannot find the parameters of ${name}`);
  return splitParameters(match[1]!);
}

/** `a: number, b: { c: number }` → ['a', 'b']. */
function splitParameters(text: string): string[] {
  return text.split(/,(?![^[{(<]*[\]})>])/).map((p) => p.split(':')[0]!.trim());
}
