/**
 * Reading the mark (issue 19, items 6, 15 and 16): a malformed mark is a coded error, never read as
 * "every parameter"; a second mark is an error, never dropped; and a comment that looks like a
 * mark but is not one gets a warning that says what to write instead.
 */
import { compile, type Diagnostic } from '@adjoint/core';
import { describe, expect, it } from 'vitest';

const fn = 'export function f(x: number, y: number): number {\n  return x * y;\n}\n';

async function diagnosticsOf(source: string): Promise<{ diagnostics: Diagnostic[]; functions: string[] }> {
  const { diagnostics, outputs } = await compile([{ path: 'marks.ts', text: source }]);
  return { diagnostics, functions: outputs.flatMap((o) => o.functions) };
}

describe('a malformed mark is an error', () => {
  const cases: Array<{ mark: string; reason: RegExp }> = [
    { mark: '/** @differentiable(wrt: x */', reason: /'\(' is not closed/ },
    { mark: '/** @differentiable wrt: x */', reason: /options must be in parentheses: @differentiable\(wrt: x\)/ },
    { mark: '/** @differentiable(wrt: x); process.exit() */', reason: /'; process.exit\(\)' follows the closing '\)'/ },
    { mark: '/** @differentiable(wrt: x) and more */', reason: /'and more' follows the closing/ },
    { mark: '/** @differentiable the loss */', reason: /'the loss' follows it on its line/ },
    { mark: '/** @differentiable() */', reason: /the parentheses hold no option/ },
    { mark: '/** @differentiable(forward,) */', reason: /an option is missing/ },
    { mark: '/** @differentiable(wrt: ) */', reason: /'wrt:' names no parameter/ },
    { mark: '/** @differentiable(wrt: x, wrt: y) */', reason: /'wrt' is given twice/ },
    { mark: '/** @differentiable(wrt: x, x) */', reason: /names 'x' twice/ },
    { mark: '/** @differentiable(wrt x) */', reason: /needs a colon/ },
    { mark: '/** @differentiable(forward, forward) */', reason: /'forward' is given twice/ },
    { mark: '/** @differentiable(sideways) */', reason: /unknown option 'sideways'/ },
    { mark: '/**\n * @differentiable(wrt: x,\n *   y)\n */', reason: /not closed on the mark's line/ },
  ];
  it.each(cases)('$mark', async ({ mark, reason }) => {
    const { diagnostics, functions } = await diagnosticsOf(`${mark}\n${fn}`);
    expect(functions).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD2001']);
    expect(diagnostics[0]!.message).toMatch(reason);
    expect(diagnostics[0]!.location).toMatchObject({ line: 1, column: 1 });
    expect(diagnostics[0]!.fix).toMatch(/@differentiable\(wrt: x, y\)/);
  });

  it('reads well-formed marks as before', async () => {
    for (const mark of ['/** @differentiable */', '/** @differentiable(wrt: x) */', '/** @differentiable (wrt: x, y) */', '/**\n * Energy.\n * @differentiable(forward, wrt: x)\n */', '/** @differentiable(reverse)*/', '/**\n * @differentiable\n * The product.\n */']) {
      const { diagnostics, functions } = await diagnosticsOf(`${mark}\n${fn}`);
      expect(diagnostics, mark).toEqual([]);
      expect(functions, mark).toEqual(['f']);
    }
  });

  it('reports a second mark in the same comment, or in a second comment, at the second mark (AD2009)', async () => {
    for (const marks of ['/**\n * @differentiable\n * @differentiable(forward)\n */', '/** @differentiable(wrt: x) */\n/** @differentiable(wrt: y) */']) {
      const { diagnostics, functions } = await diagnosticsOf(`${marks}\n${fn}`);
      expect(functions).toEqual([]);
      expect(diagnostics.map((d) => d.code)).toEqual(['AD2009']);
      expect(diagnostics[0]!.location!.line).toBe(marks.startsWith('/**\n') ? 3 : 2);
    }
  });
});

describe('a comment that looks like a mark', () => {
  const cases: Array<{ comment: string; reason: RegExp; write: string }> = [
    { comment: '// @differentiable', reason: /'\/\/' comment/, write: '/** @differentiable */' },
    { comment: '/* @differentiable(wrt: x) */', reason: /'\/\*' comment/, write: '/** @differentiable(wrt: x) */' },
    { comment: '/** @Differentiable */', reason: /spelled '@differentiable', not '@Differentiable'/, write: '/** @differentiable */' },
    { comment: '/** @differentiabel(forward) */', reason: /not '@differentiabel'/, write: '/** @differentiable(forward) */' },
    { comment: '/**\n * Energy.\n * @diferentiable\n */', reason: /not '@diferentiable'/, write: '/** @differentiable */' },
    { comment: '// @Differentiable', reason: /'\/\/' comment, not a JSDoc comment, and the tag is spelled/, write: '/** @differentiable */' },
  ];
  it.each(cases)('$comment gets a warning (AD2011) saying what to write', async ({ comment, reason, write }) => {
    const { diagnostics, functions } = await diagnosticsOf(`${comment}\n${fn}`);
    expect(functions).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.category])).toEqual([['AD2011', 'warning']]);
    expect(diagnostics[0]!.message).toMatch(reason);
    expect(diagnostics[0]!.fix).toContain(`Write ${write} on the line before the function`);
    expect(diagnostics[0]!.location!.line).toBe(comment.split('\n').findIndex((line) => line.includes('@')) + 1);
  });

  it('warns beside a real mark too, and the marked function is still generated', async () => {
    const { diagnostics, functions } = await diagnosticsOf(`/** @differentiable */\n${fn}\n// @differentiable\nexport function g(x: number): number {\n  return x;\n}\n`);
    expect(functions).toEqual(['f']);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD2011']);
    expect(diagnostics[0]!.location!.line).toBe(6);
  });

  it('says nothing of a mention inside a sentence, in a string, or of an unrelated tag', async () => {
    const source = `// Functions carry the @differentiable mark.\n/** Reads '@Differentiable' (see @param). */\nexport const s = '// @differentiable';\n/** @deprecated */\n${fn}`;
    const { diagnostics } = await diagnosticsOf(source);
    expect(diagnostics).toEqual([]);
  });

  it('reports a JSDoc mark that documents nothing as AD2003', async () => {
    const { diagnostics } = await diagnosticsOf(`${fn}/** @differentiable */\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD2003']);
    expect(diagnostics[0]!.message).toContain('marks nothing');
  });

  it('names what a misplaced mark is on in words (AD2003)', async () => {
    const { diagnostics } = await diagnosticsOf('export function f(x: number): number {\n  /** @differentiable */\n  x = x * 2;\n  return x;\n}\n');
    expect(diagnostics.map((d) => d.message)).toEqual([
      "@differentiable marks an expression statement; only function declarations, functions assigned to a 'const' and methods of a class declared at module level can be marked.",
    ]);
  });
});
