/** Shared by the CLI tests: temporary source trees, a stand-in compiler, captured output. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  companionPathFor,
  createDiagnostic,
  generatedHeader,
  type CompanionOutput,
  type CompileResult,
  type Diagnostic,
} from '@adjoint/core';
import { run, type Environment, type RunOptions, type Terminal } from '../../packages/cli/src/index.js';

const made: string[] = [];

/** A fresh temporary folder holding `files` (relative path → text); removed by `removeTempFolders`. */
export async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'adjoint-cli-'));
  made.push(root);
  for (const [relative, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), text);
  }
  return root;
}

export async function removeTempFolders(): Promise<void> {
  await Promise.all(made.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

/** Every file under `root`, as sorted paths relative to it with `/` separators. */
export async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export const read = (root: string, relative: string) => readFile(path.join(root, relative), 'utf8');

/** A source with one marked function, `name`. */
export const marked = (name: string) => `/** @differentiable */\nexport function ${name}(x: number): number {\n  return x * x;\n}\n`;

/**
 * A stand-in for the core's `compile`, so these tests do not depend on the compiler: each
 * `/** @differentiable *\/ export function f` yields `grad_f`, and the word BROKEN is an error
 * (AD1002) at its position, which leaves the file without a companion.
 */
export const fakeCompile: Environment['compile'] = async (files) => {
  const result: CompileResult = { outputs: [], diagnostics: [], unmarked: [] };
  for (const file of files) {
    const text = file.text ?? (await readFile(file.path, 'utf8'));
    const broken = text.indexOf('BROKEN');
    if (broken >= 0) {
      result.diagnostics.push(createDiagnostic('AD1002', { source: 'BROKEN' }, locationOf(file.path, text, broken, 'BROKEN'.length)));
      continue;
    }
    const functions = [...text.matchAll(/@differentiable \*\/\s*export function (\w+)/g)].map((match) => match[1]!);
    if (functions.length > 0) result.outputs.push(fakeCompanion(file.path, functions, file.companionPath));
    else result.unmarked.push(file.path);
  }
  return result;
};

function fakeCompanion(sourcePath: string, functions: string[], companionPath = companionPathFor(sourcePath)): CompanionOutput {
  const body = functions.map((name) => `export function grad_${name}(x: number) {\n  return { x: 2 * x };\n}\n`).join('');
  return {
    sourcePath,
    companionPath,
    text: `${generatedHeader(sourcePath, companionPath)}\n${body}`,
    functions,
  };
}

function locationOf(file: string, text: string, offset: number, length: number): Diagnostic['location'] {
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: before.at(-1)!.length + 1, length };
}

/** A terminal that keeps what is written to it. */
export function captureTerminal(): Terminal & { text: () => string } {
  const chunks: string[] = [];
  return { write: (text) => void chunks.push(text), color: false, text: () => chunks.join('') };
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process in `cwd` with the fake compiler, unless `environment` says otherwise. */
export async function runIn(cwd: string, options: RunOptions, environment: Partial<Environment> = {}): Promise<Captured> {
  const stdout = captureTerminal();
  const stderr = captureTerminal();
  const code = await run(options, { cwd, compile: fakeCompile, stdout, stderr, ...environment });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
