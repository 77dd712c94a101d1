/**
 * Golden files of generated code: each case in cases/ is compiled and its companion compared with
 * expected/. They are documentation too: read them when they change (UPDATE_GOLDEN=1 rewrites
 * them). Every `// check: f(args)` line of a case is also run against finite differences, with
 * the gradient keys restricted to the differentiated parameters.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, partialDerivative } from '../support/finite-difference.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const cases = readdirSync(`${here}cases`).filter((f) => f.endsWith('.ts')).sort();

interface Check {
  name: string;
  args: number[];
}

function checksOf(source: string): Check[] {
  return [...source.matchAll(/^\/\/ check: (\w+)\(([^)]*)\)$/gm)].map((m) => ({
    name: m[1]!,
    args: m[2]!.split(',').map((a) => Number(a.trim())),
  }));
}

describe.each(cases)('golden case %s', (caseFile) => {
  const source = readFileSync(`${here}cases/${caseFile}`, 'utf8');
  const expectedPath = `${here}expected/${caseFile.replace(/\.ts$/, '.grad.ts')}`;

  it('generates the reviewed companion', async () => {
    const { text } = await compileSource(source, caseFile);
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, text);
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
  });

  it.each(checksOf(source).map((c) => [`${c.name}(${c.args.join(', ')})`, c] as const))(
    'matches finite differences at %s',
    async (_, check) => {
      const compiled = await compileSource(source, caseFile);
      const f = fn(compiled.source, check.name);
      const { value, grad } = fn(compiled.companion, `valueAndGrad_${check.name}`)(...check.args) as unknown as {
        value: number;
        grad: Record<string, number>;
      };
      expect(value).toBe(f(...check.args));
      expect(fn(compiled.companion, `grad_${check.name}`)(...check.args)).toEqual(grad);
      const paramNames = parameterNames(source, check.name);
      for (const [key, adjoint] of Object.entries(grad)) {
        const index = paramNames.indexOf(key);
        expect(index, `gradient key ${key}`).toBeGreaterThanOrEqual(0);
        const numeric = partialDerivative(f, check.args, index);
        expect(closeTo(adjoint, numeric), `∂${check.name}/∂${key}: adjoint ${adjoint}, finite differences ${numeric}`).toBe(true);
      }
    },
  );
});

/** The parameter names of a function declared in the case, in order. */
function parameterNames(source: string, name: string): string[] {
  const match = new RegExp(`(?:function ${name}\\s*|const ${name} = (?:function\\s*)?)\\(([^)]*)\\)`).exec(source);
  if (!match) throw new Error(`cannot find the parameters of ${name}`);
  return match[1]!.split(',').map((p) => p.split(':')[0]!.trim());
}
