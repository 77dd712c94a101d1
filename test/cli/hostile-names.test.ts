/**
 * Hostile file and identifier names (issue 19, items 9 and 10). A file name lands in the companion
 * three ways: in the specifier of an import (of a derivative rule, or of a module the source
 * imports), in the header comment, and in the doc comments that name the source line. None of them
 * may let the name become code: each companion, written beside its source and under --out-dir, is
 * imported and run (it must not set the sentinel, and must give the right gradient), and the whole
 * set type-checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGeneratedText } from '@adjoint/core';
import { listTree, makeTree, removeTempFolders } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO, 'packages/cli/dist/bin.js');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

/**
 * Names that would run code, or end a comment or a line, if written into the companion as they are.
 * (Not a backslash: Node and TypeScript read it as a folder separator, so no module can import a
 * file so named, the companion no more than the user's own code.)
 */
const HOSTILE = [
  "r';globalThis.PWNED='quote';'",
  "it's",
  'a"b;globalThis.PWNED="double"',
  '${globalThis.PWNED=`template`}',
  '</script><script>globalThis.PWNED="script"</script>',
  'ünï∂ode π',
  'new\nline;globalThis.PWNED="newline"',
  'end*/;globalThis.PWNED="comment";/*',
  'separator\u2028globalThis.PWNED="u2028"',
];

/**
 * A module with a derivative rule its marked function uses, so that the companion imports the rule
 * from it: f(x) = scale(x) · x = 3x², f′(x) = 6x. The parameter names are unusual but legal.
 */
const RULE_MODULE = `/** 3x, with its own derivative rule. */
export function scale(ñ: number): number {
  return 3 * ñ;
}

/** @adjointOf scale */
export function scaleAdjoint(ñ: number, dResult: number): { ñ: number } {
  return { ñ: 3 * dResult };
}

/** @differentiable */
export function f($x: number): number {
  return scale($x) * $x;
}
`;

/** A module in another folder that calls the rule module's function: its companion imports the rule from there. */
const importer = (specifier: string) => `import { scale } from ${JSON.stringify(specifier).replace(/\u2028/g, '\\u2028')};

/** @differentiable */
export function g(_π: number): number {
  return scale(_π) * _π;
}
`;

/**
 * Identifiers that could mean something else where the companion writes them: written with unicode
 * escapes, named like Object.prototype's members (as gradient keys), contextual keywords, `$` and
 * `_`, letters outside ASCII. f = from·get + static_, from = x·constructor, get = toString + async·of,
 * static_ = type·ǅ + ℮.
 */
const IDENTIFIERS = `/** @differentiable */
export function \\u0066oo(\\u0078: number, constructor: number, toString: number, async: number, of: number, type: number, ǅ: number, ℮: number): number {
  const from = x * constructor;
  const get = toString + async * of;
  const static_ = type * ǅ + ℮;
  return from * get + static_;
}

/** @differentiable */
export function valueOf(hasOwnProperty: number, isPrototypeOf: number): number {
  return hasOwnProperty * isPrototypeOf;
}

/** @differentiable */
export const $ = (_: number, $$: number): number => _ * $$;
`;

const files: Record<string, string> = {};
for (const [i, name] of HOSTILE.entries()) {
  files[`src/${name}.ts`] = RULE_MODULE;
  files[`src/d*/${name}.ts`] = RULE_MODULE;
  files[`src/users/use${i}.ts`] = importer(`../d*/${name}.js`);
}

let root: string;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);
  root = await makeTree(files);
});
afterAll(removeTempFolders);

const adjoint = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });

/** Imports each companion in a fresh process and calls its gradient at 2: the sentinel must stay unset. */
function runCompanions(companions: string[]): Array<{ file: string; pwned: unknown; grad: unknown }> {
  const runner = path.join(root, 'run-companions.mts');
  writeFileSync(
    runner,
    `import { pathToFileURL } from 'node:url';
const results = [];
for (const file of JSON.parse(process.argv[2])) {
  const companion = await import(pathToFileURL(file).href);
  const name = Object.keys(companion).find((key) => key.startsWith('grad_'));
  results.push({ file, pwned: globalThis.PWNED ?? null, grad: companion[name](2) });
}
console.log(JSON.stringify(results));
`,
  );
  const result = spawnSync(TSX, [runner, JSON.stringify(companions)], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Array<{ file: string; pwned: unknown; grad: unknown }>;
}

function typeErrors(companions: string[]): string[] {
  const program = ts.createProgram(companions, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('hostile identifiers', () => {
  it('give a companion whose gradients are keyed and computed as written, and that runs nothing else', async () => {
    const folder = await makeTree({ 'identifiers.ts': IDENTIFIERS });
    const result = spawnSync(process.execPath, [BIN, '.'], { cwd: folder, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const runner = path.join(folder, 'run.mts');
    writeFileSync(
      runner,
      `import * as c from './identifiers.grad.ts';
console.log(JSON.stringify({ pwned: globalThis.PWNED ?? null, foo: c.grad_foo(1, 2, 3, 4, 5, 6, 7, 8), valueOf: c.grad_valueOf(2, 3), $: c.grad_$(2, 3), prototype: Object.getPrototypeOf(c.grad_foo(1, 2, 3, 4, 5, 6, 7, 8)) === Object.prototype }));
`,
    );
    const run = spawnSync(TSX, [runner], { cwd: folder, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // ∂f/∂x = constructor·get = 2·23, ∂f/∂constructor = x·get, ∂f/∂toString = from = 2, ∂f/∂async = from·of, …
    expect(JSON.parse(run.stdout)).toEqual({
      pwned: null,
      foo: { x: 46, constructor: 23, toString: 2, async: 10, of: 8, type: 7, ǅ: 6, ℮: 1 },
      valueOf: { hasOwnProperty: 3, isPrototypeOf: 2 },
      $: { _: 3, $$: 2 },
      prototype: true,
    });
    expect(typeErrors([path.join(folder, 'identifiers.grad.ts')])).toEqual([]);
  });
});

describe('hostile file names', () => {
  it('give companions beside their sources that import, run nothing and type-check', async () => {
    const result = adjoint('src');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const companions = (await listTree(path.join(root, 'src'))).filter((f) => f.endsWith('.grad.ts')).map((f) => path.join(root, 'src', f));
    expect(companions).toHaveLength(HOSTILE.length * 3);
    for (const companion of companions) expect(isGeneratedText(await readFile(companion, 'utf8')), companion).toBe(true);
    const runs = runCompanions(companions);
    expect(runs.map((r) => r.pwned)).toEqual(companions.map(() => null));
    expect(runs.map((r) => r.grad)).toEqual(companions.map((file) => (path.basename(file).startsWith('use') ? { _π: 12 } : { $x: 12 })));
    expect(typeErrors(companions)).toEqual([]);
  });

  it('give companions under --out-dir whose imports reach the sources from there', async () => {
    const result = adjoint('--out-dir', 'generated/grads', 'src');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const outDir = path.join(root, 'generated/grads');
    const companions = (await listTree(outDir)).map((f) => path.join(outDir, f));
    expect(companions).toHaveLength(HOSTILE.length * 3);
    const runs = runCompanions(companions);
    expect(runs.map((r) => r.pwned)).toEqual(companions.map(() => null));
    expect(runs.map((r) => r.grad)).toEqual(companions.map((file) => (path.basename(file).startsWith('use') ? { _π: 12 } : { $x: 12 })));
    expect(typeErrors(companions)).toEqual([]);
    expect(adjoint('--check', '--out-dir', 'generated/grads', 'src').status).toBe(0);
  });
});
