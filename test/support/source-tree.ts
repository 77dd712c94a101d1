/**
 * A synthetic project for the CLI at scale: `files` sources spread over folders, each holding
 * `functionsPerFile` marked functions of varied kinds (polynomials, loops over arrays, branches,
 * object parameters, calls to a helper in the same file and to helpers imported from the folder's
 * helpers module), all valid for the compiler and all without warnings.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface TreeShape {
  files: number;
  functionsPerFile: number;
  /** Source files per folder; each folder also has an unmarked helpers.ts. */
  filesPerFolder?: number;
}

export interface GeneratedTree {
  /** Paths of the marked sources, relative to the root, `/`-separated. */
  sources: string[];
  /** Paths of the helper modules. */
  helpers: string[];
  functions: number;
}

/** Writes the tree under `root` and says what it wrote. */
export async function writeSourceTree(root: string, shape: TreeShape): Promise<GeneratedTree> {
  const filesPerFolder = shape.filesPerFolder ?? 50;
  const tree: GeneratedTree = { sources: [], helpers: [], functions: 0 };
  for (let i = 0; i < shape.files; i++) {
    const folder = `src/group${String(Math.floor(i / filesPerFolder)).padStart(2, '0')}`;
    if (i % filesPerFolder === 0) {
      await mkdir(path.join(root, folder), { recursive: true });
      await writeFile(path.join(root, folder, 'helpers.ts'), helpersModule(i));
      tree.helpers.push(`${folder}/helpers.ts`);
    }
    const file = `${folder}/model${String(i).padStart(3, '0')}.ts`;
    await writeFile(path.join(root, file), sourceFile(i, shape.functionsPerFile));
    tree.sources.push(file);
    tree.functions += shape.functionsPerFile;
  }
  return tree;
}

/** A folder's helpers: unmarked functions that the marked ones import (and so are differentiated too). */
export function helpersModule(seed: number): string {
  return `// Helpers shared by the models of this folder (${seed}).
export function smoothAbs(x: number): number {
  return Math.sqrt(x * x + 1e-6);
}

export function softplus(x: number): number {
  return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
}
`;
}

/** One source with `count` marked functions; `salt` varies its constants (a touched file changes it). */
export function sourceFile(index: number, count: number, salt = 0): string {
  const parts = [`import { smoothAbs, softplus } from './helpers';\n`];
  for (let k = 0; k < count; k++) parts.push(markedFunction(index, k, salt));
  return parts.join('\n');
}

function markedFunction(index: number, k: number, salt: number): string {
  const c = (n: number) => ((((index + 1) * 37 + k * 11 + n * 5 + salt * 3) % 17) + 1) / 8;
  const name = `f${index}_${k}`;
  switch ((index + k) % 6) {
    case 0:
      return `/** @differentiable */
export function ${name}(x: number, y: number): number {
  return ${c(1)} * x * x + ${c(2)} * x * y - Math.sin(${c(3)} * y);
}
`;
    case 1:
      return `/** @differentiable(wrt: xs, scale) */
export function ${name}(xs: number[], scale: number): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]! * xs[i]! * scale + ${c(1)} * xs[i]!;
  return Math.sqrt(total * total + ${c(2)});
}
`;
    case 2:
      return `/** @differentiable */
export function ${name}(x: number, y: number): number {
  if (x > ${c(1)}) {
    return Math.exp(-x * y) + ${c(2)} * y;
  } else if (x < -${c(3)}) {
    return x * Math.cos(y);
  }
  return x * y + ${c(4)};
}
`;
    case 3:
      return `function helper${index}_${k}(u: number, v: number): number {
  return u * v + Math.tanh(u) * ${c(1)};
}

/** @differentiable */
export function ${name}(x: number, y: number): number {
  return helper${index}_${k}(x, y) + helper${index}_${k}(y, x) * ${c(2)};
}
`;
    case 4:
      return `/** @differentiable */
export function ${name}(p: { x: number; y: number }, w: Float64Array): number {
  let s = 0;
  for (const v of w) s += softplus(v * p.x - p.y * ${c(1)});
  return s + smoothAbs(p.x - p.y);
}
`;
    default:
      return `/** @differentiable */
export function ${name}(a: number, b: number, c: number): number {
  const d = a * ${c(1)} - b;
  let e = d;
  for (let i = 0; i < 3; i++) e = e * ${c(2)} + Math.atan(c * e);
  return smoothAbs(e) + b * c;
}
`;
  }
}

/** One file of `count` small marked functions, each of a few operations: per-function costs dominate its compilation. */
export function manyFunctions(count: number): string {
  const one = (i: number) => `/** @differentiable */\nexport function f${i}(x: number, y: number): number {\n  return x * y * ${(i % 7) + 1} + Math.sin(x - y);\n}\n`;
  return Array.from({ length: count }, (_, i) => one(i)).join('\n');
}
