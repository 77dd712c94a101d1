/**
 * The type check of `pnpm lint` over the repository's own TypeScript outside packages/*\/src (the
 * tests, benchmarks, GradBench's tool and evals, examples, scripts): `tsc -p tsconfig.check.json`.
 *
 * The GradBench tool and the benchmark workloads import companions that are generated, never
 * committed (.gitignore). So this script first generates them, as `pnpm gradbench`, `pnpm bench`
 * and the tests do, fresh from their sources, and writes those that changed: a clean clone is then
 * checked like a working tree, a stale companion is never what is checked, and the generated
 * companions are checked too (they must type-check under the packages' strict settings). The
 * compiler runs from its sources, as in the tests. The check is TypeScript 7's, the native port:
 * about five times faster here than TypeScript 6's.
 *
 *   pnpm typecheck      (builds first; exit code 1 on any error)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compile, formatDiagnostic } from '../packages/core/src/index.ts';
import { nodeHost } from '../packages/core/src/node-host.ts';
import { projectFormatOptions } from '../packages/cli/src/prettier-config.ts';
import { writeCompanion } from '../packages/cli/src/write.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const configPath = path.join(root, 'tsconfig.check.json');
const tsc = path.join(root, 'node_modules/typescript7/bin/tsc');
/** The folders whose companions are generated (by `pnpm gradbench`, `pnpm bench`), never committed. */
const generatedIn = ['gradbench/evals/', 'test/bench/'].map((folder) => path.join(root, folder));
const isGeneratedCompanion = (file: string) => file.endsWith('.grad.ts') && generatedIn.some((folder) => file.startsWith(folder));

/**
 * Errors in generated companions that are compiler bugs, reported and not fixed yet: tolerated
 * here, each by file, code and message, so that everything else stays checked. Once the compiler
 * no longer makes one, the check fails until its entry is removed.
 */
interface KnownBug {
  /** The companion, relative to the repository. */
  file: string;
  code: number;
  message: RegExp;
  why: string;
}
const KNOWN_COMPILER_BUGS: KnownBug[] = [];

/** `./foo.grad.ts`, `../x/foo.grad.js` in import specifiers, static or dynamic. */
const companionSpecifier = /(['"])(\.{1,2}\/[^'"\n]*?)\.grad\.[jt]s\1/g;

/** The generated companions that `file` imports, as paths (`…/foo.grad.ts`). */
function generatedCompanionsImportedBy(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(companionSpecifier)]
    .map((m) => path.resolve(path.dirname(file), `${m[2]}.grad.ts`))
    .filter(isGeneratedCompanion);
}

/** The sources whose companions the checked files import, and those their sources import in turn. */
function sourcesOfImportedCompanions(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {}, // tsc reports it
  });
  const sources = new Set<string>();
  const pending = (config?.fileNames ?? []).flatMap(generatedCompanionsImportedBy);
  for (let companion = pending.pop(); companion !== undefined; companion = pending.pop()) {
    const source = companion.replace(/\.grad\.ts$/, '.ts');
    if (sources.has(source) || !existsSync(source)) continue;
    sources.add(source);
    // (particle.ts imports particle-potential.grad.ts, and so does particle.grad.ts)
    pending.push(...generatedCompanionsImportedBy(source));
  }
  return [...sources].sort();
}

/** Generates the companions of `sources` and writes those that changed, as the CLI does; returns the number of errors. */
async function generateCompanions(sources: string[]): Promise<number> {
  // laid out as the command line writes them (pnpm gradbench, pnpm bench), with the project's style
  const formatOptions = await projectFormatOptions(sources.map((source) => source.replace(/\.ts$/, '.grad.ts')));
  const { outputs, diagnostics } = await compile(
    sources.map((source) => ({ path: source })),
    { host: nodeHost, formatOptions: (companionPath) => formatOptions.get(companionPath) },
  );
  const errors = diagnostics.filter((d) => d.category === 'error');
  // (left alone when unchanged; whole or not at all; never over a file Adjoint did not generate)
  for (const { companionPath, text } of outputs) {
    const written = await writeCompanion(fsPromises, companionPath, text, path.relative(root, companionPath));
    if (written.status === 'failed') errors.push(written.diagnostic);
  }
  for (const error of errors) console.log(formatDiagnostic(error, { color: process.stdout.isTTY }));
  return errors.length;
}

interface TscError {
  /** Relative to the repository; empty for an error of no file (of the options, say). */
  file: string;
  code: number;
  /** The first line of the message. */
  message: string;
  /** As tsc printed it, continuation lines included. */
  text: string;
}

/** tsc's errors, from its plain output: `file(line,col): error TS1234: message`, then indented lines. */
function parseTscOutput(output: string): TscError[] {
  const errors: TscError[] = [];
  for (const line of output.split('\n')) {
    const head = /^(?:(.+)\(\d+,\d+\): )?error TS(\d+): (.*)$/.exec(line);
    if (head) errors.push({ file: head[1] ?? '', code: Number(head[2]), message: head[3]!, text: line });
    else if (line.trim() !== '' && errors.length > 0) errors.at(-1)!.text += `\n${line}`;
  }
  return errors;
}

const matches = (bug: KnownBug, error: TscError) => error.file === bug.file && error.code === bug.code && bug.message.test(error.message);

const sources = sourcesOfImportedCompanions();
const compileErrors = await generateCompanions(sources);
const run = spawnSync(process.execPath, [tsc, '-p', configPath, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
if (run.error) throw run.error;
const all = parseTscOutput(run.stdout);
if (run.status !== 0 && all.length === 0) process.stdout.write(run.stdout + run.stderr); // not an error list: show what it said
const errors = all.filter((error) => !KNOWN_COMPILER_BUGS.some((bug) => matches(bug, error)));
for (const error of errors) console.log(error.text);
// a known bug that no longer shows is fixed: its entry must go, or it would hide the bug's return
const fixed = KNOWN_COMPILER_BUGS.filter((bug) => !all.some((error) => matches(bug, error)));
for (const bug of fixed)
  console.log(
    `${bug.file}: the compiler no longer makes this error (${bug.why}): remove it from KNOWN_COMPILER_BUGS in scripts/typecheck.ts.`,
  );
const tolerated = all.length - errors.length;
if (tolerated > 0) console.log(`(${tolerated} errors of known compiler bugs tolerated: KNOWN_COMPILER_BUGS in scripts/typecheck.ts)`);
const count = compileErrors + errors.length + fixed.length + (run.status !== 0 && all.length === 0 ? 1 : 0);
console.log(`tsc -p tsconfig.check.json (${sources.length} companions generated first): ${count} error${count === 1 ? '' : 's'}.`);
process.exit(count > 0 ? 1 : 0);
