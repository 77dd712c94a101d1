/**
 * Runs the compiler on mutated sources and says which break its promises for bad input
 * (docs/design.md, the contract, 3): compile never throws, never reports an internal error
 * (AD9001), and every diagnostic has a catalogue code and a location inside the file it names.
 *
 * Compiling is the slow part (one ts-morph project per call), so mutants are compiled many to a
 * call, each as its own file; a call that throws is bisected to the mutants that make it throw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import * as core from '@adjoint/core';
import { compile, catalogue, type CompanionOutput, type CompileResult, type Diagnostic } from '@adjoint/core';
import { diskHost } from './disk-host.js';

export interface Seed {
  /** Where the source lives; a mutant is compiled beside it, so its relative imports still resolve. */
  path: string;
  text: string;
}

export interface Mutant {
  /** The path it is compiled under (unique in a batch). */
  path: string;
  text: string;
  /** What it was made from, for the report. */
  origin: string;
  /** The text it was made from: its companion is run only where the types are as they were. */
  seedText?: string;
}

export interface Violation {
  mutant: Mutant;
  problem: string;
  /** The diagnostic did not say which mutant it is about (a batch is then split to find out). */
  ambiguous?: boolean;
}

/**
 * Points to run the companions of seeds that have no `// check:` line of their own (the golden
 * cases have them), by file name.
 */
const CHECK_POINTS: Record<string, string> = {
  'calls-case.ts': 'model(0.7, [0.3, -0.2, 0.9], new Float64Array([0.5, 1.5, -1]), [[0.1, 0.2, 0.3], [-0.3, 0.4, 0.1]])',
  'model.ts': 'squaredError(5, 0.3, 3, 4.2, 7.1)',
  'simulation.ts': 'landingMiss(0.7, 30, 0.01, 50)',
  'network.ts': 'batchLoss({ w1: [[0.1, -0.2], [0.3, 0.4], [0.2, 0.1]], b1: [0, 0.1, -0.1], w2: [[0.5, -0.5, 0.2], [0.2, 0.1, -0.3]], b2: [0, 0.2] }, [[0.5, 1], [-1, 0.3]], [0, 1])',
  'loss.ts': 'crossEntropy([0.2, -0.4, 1.1], 1, 1.5)',
};

/**
 * The sources mutants are made from: the golden cases, the examples' marked modules, the
 * derivative-rule case and the calls case of the core tests.
 */
export function fuzzSeeds(repoRoot: string): Seed[] {
  const seeds: Seed[] = [];
  const addFile = (file: string, text: string) => {
    const point = CHECK_POINTS[path.basename(file)];
    seeds.push({ path: file, text: point && !/^\/\/ check: /m.test(text) ? `// check: ${point}\n${text}` : text });
  };
  const add = (folder: string, filter: (name: string) => boolean) => {
    for (const name of readdirSync(path.join(repoRoot, folder)).sort()) {
      if (!name.endsWith('.ts') || name.endsWith('.grad.ts') || !filter(name)) continue;
      const file = path.join(repoRoot, folder, name);
      addFile(file, readFileSync(file, 'utf8'));
    }
  };
  add('test/golden/cases', () => true);
  for (const example of readdirSync(path.join(repoRoot, 'examples'), { withFileTypes: true })) {
    if (!example.isDirectory()) continue;
    add(`examples/${example.name}`, (name) => readFileSync(path.join(repoRoot, 'examples', example.name, name), 'utf8').includes('@differentiable'));
  }
  add('test/core/rules-case', () => true);
  addFile(path.join(repoRoot, 'test/core/calls-case.ts'), readFileSync(path.join(repoRoot, 'test/core/calls-case.ts.txt'), 'utf8'));
  return seeds;
}

/** Checks the promises on one compile result for `mutants` (compiled together). */
export function violationsIn(result: CompileResult, mutants: readonly Mutant[]): Violation[] {
  const byPath = new Map(mutants.map((m) => [m.path, m]));
  const violations: Violation[] = [];
  for (const d of result.diagnostics) {
    const located = d.location ? byPath.get(d.location.file) : undefined;
    const named = located ? [] : culpritsByName(d, mutants);
    const mutant = located ?? (named.length === 1 ? named[0] : undefined);
    const report = (problem: string) =>
      violations.push({ mutant: mutant ?? mutants[0]!, problem: `${problem}: ${describe(d)}`, ...(mutant ? {} : { ambiguous: true }) });
    if (d.code === 'AD9001') report('internal error');
    if (!/^AD\d{4}$/.test(d.code) || !(d.code in catalogue)) report('a code not in the catalogue');
    if (!d.location) {
      report('no location');
      continue;
    }
    const { file, line, column } = d.location;
    const text = byPath.get(file)?.text ?? readIfExists(file);
    if (text === undefined) {
      report(`a location in a file that is neither compiled nor on disk`);
      continue;
    }
    const lines = text.split('\n');
    if (!(Number.isInteger(line) && line >= 1 && line <= lines.length)) report(`line ${line} outside the file (${lines.length} lines)`);
    else if (!(Number.isInteger(column) && column >= 1 && column <= lines[line - 1]!.length + 1)) report(`column ${column} outside line ${line}`);
  }
  return violations;
}

/** An internal error names the function being compiled: the mutants that mention that name. */
function culpritsByName(d: Diagnostic, mutants: readonly Mutant[]): Mutant[] {
  const name = /while compiling '([^']*)'/.exec(d.message)?.[1]?.split(',')[0]?.trim().replace(/[^\w$]/g, '');
  if (!name) return [];
  return mutants.filter((m) => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(m.text));
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function describe(d: Diagnostic): string {
  const at = d.location ? `${path.basename(d.location.file)}:${d.location.line}:${d.location.column} ` : '';
  return `${at}${d.code} ${d.message}`;
}

/**
 * Compiles `mutants` together and returns the violations; a compile that throws, or reports a
 * problem without saying which file it is about, is split in halves until the mutants to blame
 * are found. With `behaviour`, each companion generated is also run (see `behaviourViolations`).
 */
export async function checkMutants(
  mutants: readonly Mutant[],
  behaviour = false,
  /** Checks of its own on each compile result (once the batch has been split to find the culprits). */
  also?: (result: CompileResult, batch: readonly Mutant[]) => Violation[],
): Promise<{ violations: Violation[]; compiles: number; companions: number; runs: number }> {
  let companions = 0;
  let runs = 0;
  let compiles = 0;
  const run = async (batch: readonly Mutant[]): Promise<Violation[]> => {
    compiles++;
    let result: CompileResult;
    try {
      result = await compile(batch.map((m) => ({ path: m.path, text: m.text })), { host: diskHost });
    } catch (error) {
      if (batch.length === 1) return [{ mutant: batch[0]!, problem: `compile threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }];
      const half = Math.ceil(batch.length / 2);
      return [...(await run(batch.slice(0, half))), ...(await run(batch.slice(half)))];
    }
    const violations = violationsIn(result, batch);
    if (violations.some((v) => v.ambiguous) && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      return [...(await run(batch.slice(0, half))), ...(await run(batch.slice(half)))];
    }
    if (also) violations.push(...also(result, batch));
    for (const output of result.outputs) {
      companions++;
      const mutant = batch.find((m) => m.path === output.sourcePath);
      if (!mutant) continue;
      violations.push(...structureViolations(mutant, output));
      if (!behaviour) continue;
      const checked = behaviourViolations(mutant, output);
      runs += checked.runs;
      violations.push(...checked.violations);
    }
    return violations;
  };
  const violations = await run(mutants);
  return { violations, compiles, companions, runs };
}

/** A companion is a valid module: no name is declared twice at its top level (which would not load as ESM). */
export function structureViolations(mutant: Mutant, output: CompanionOutput): Violation[] {
  const names = [...output.text.matchAll(/^(?:export )?(?:function|const|let|class) ([\w$]+)/gm)].map((m) => m[1]!);
  const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  return twice.length > 0 ? [{ mutant, problem: `the companion declares ${twice.join(', ')} twice` }] : [];
}

/**
 * A companion that sets `PWNED` when it is loaded has run code that came from its file name (the
 * hostile names of test/support/mutate.ts try to).
 */
export function injectionViolations(mutant: Mutant, output: CompanionOutput): Violation[] {
  let source: vm.Context | undefined;
  const requireFrom = (importer: string) => (specifier: string) =>
    importModule(importer, specifier, mutant, () => (source ??= loadInContext(mutant.text, requireFrom(mutant.path))).module.exports);
  try {
    const companion = loadInContext(output.text, requireFrom(mutant.path));
    return companion.PWNED === undefined ? [] : [{ mutant, problem: 'loading the companion ran code that came from its file name' }];
  } catch (error) {
    return [{ mutant, problem: `the companion does not load: ${errorMessage(error)}` }];
  }
}

/**
 * How long a mutant may run (a mutation can make a loop endless), and its companion, which does
 * the work of a few evaluations of f: generous, so that a loaded machine does not fail the test.
 */
const SOURCE_MS = 1000;
const COMPANION_MS = 10_000;

/**
 * Runs a companion the compiler generated for a mutant, at the points named by the mutant's
 * `// check: f(args)` lines (golden cases have them): where f returns a number without throwing,
 * `valueAndGrad_f` must not throw and must return exactly f's value, and `grad_f` the same
 * gradient. A gradient is not compared with finite differences here: a mutant is rarely smooth.
 * For a function with a vector output, `valueAndVjp_f` must return f's value and `jacobian_f`
 * one row per number of it.
 */
export function behaviourViolations(mutant: Mutant, output: CompanionOutput): { violations: Violation[]; runs: number } {
  const violations: Violation[] = [];
  let runs = 0;
  for (const [, name, args] of mutant.text.matchAll(/^\/\/ check: (\w+)\((.*)\)$/gm)) {
    let source: vm.Context;
    let companion: vm.Context;
    const requireFrom = (importer: string) => (specifier: string) => importModule(importer, specifier, mutant, () => source.module.exports);
    try {
      source = loadInContext(mutant.text, requireFrom(mutant.path));
    } catch {
      continue;
    }
    try {
      companion = loadInContext(output.text, requireFrom(mutant.path));
    } catch (error) {
      violations.push({ mutant, problem: `the companion does not load: ${errorMessage(error)}` });
      break;
    }
    // The check's arguments fit the seed's types; a mutant whose types changed may not accept them
    // (a field renamed: f never reads it, the companion shapes the gradient after it).
    if (mutant.seedText !== undefined && typesOf(mutant.text, name!) !== typesOf(mutant.seedText, name!)) continue;
    const f = source.module.exports[name!];
    const valueAndVjp = companion.module.exports[`valueAndVjp_${name}`];
    if (typeof f === 'function' && typeof valueAndVjp === 'function') {
      const checked = vectorOutputViolations(mutant, { source, companion, f, valueAndVjp, jacobian: companion.module.exports[`jacobian_${name}`] }, name!, args!);
      violations.push(...checked.violations);
      runs += checked.runs;
      continue;
    }
    const valueAndGrad = companion.module.exports[`valueAndGrad_${name}`];
    const grad = companion.module.exports[`grad_${name}`];
    if (typeof f !== 'function' || typeof valueAndGrad !== 'function' || typeof grad !== 'function') continue;
    let value: unknown;
    try {
      value = callIn(source, f, args!, SOURCE_MS);
    } catch {
      continue;
    }
    if (typeof value !== 'number') {
      violations.push({ mutant, problem: `f returned ${String(value)}, not a number, yet the compiler accepted it as returning a number` });
      continue;
    }
    runs++;
    try {
      const both = callIn(companion, valueAndGrad, args!, COMPANION_MS) as { value: number; grad: unknown };
      const alone = callIn(companion, grad, args!, COMPANION_MS);
      if (!Object.is(both.value, value)) violations.push({ mutant, problem: `valueAndGrad_${name}(${args}).value is ${both.value}, but ${name} returns ${value}` });
      if (JSON.stringify(alone) !== JSON.stringify(both.grad)) violations.push({ mutant, problem: `grad_${name}(${args}) differs from valueAndGrad_${name}(${args}).grad` });
    } catch (error) {
      violations.push({ mutant, problem: `the companion throws where ${name}(${args}) does not: ${errorMessage(error)}` });
    }
  }
  return { violations, runs };
}

/** The checks of behaviourViolations for a function with a vector output. */
function vectorOutputViolations(
  mutant: Mutant,
  loaded: { source: vm.Context; companion: vm.Context; f: unknown; valueAndVjp: unknown; jacobian: unknown },
  name: string,
  args: string,
): { violations: Violation[]; runs: number } {
  let value: unknown;
  try {
    value = callIn(loaded.source, loaded.f, args, SOURCE_MS);
  } catch {
    return { violations: [], runs: 0 };
  }
  if (value === null || typeof value !== 'object') {
    return { violations: [{ mutant, problem: `f returned ${String(value)}, yet the compiler accepted it as returning numbers in a container` }], runs: 0 };
  }
  const numbers = (v: unknown): number[] =>
    typeof v === 'number' ? [v] : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : Array.isArray(v) ? v.flatMap(numbers) : Object.values(v as object).flatMap(numbers);
  const ones = (v: unknown): unknown =>
    typeof v === 'number' ? 1 : ArrayBuffer.isView(v) ? new Float64Array((v as Float64Array).length).fill(1) : Array.isArray(v) ? v.map(ones) : Object.fromEntries(Object.entries(v as object).map(([k, e]) => [k, ones(e)]));
  const violations: Violation[] = [];
  try {
    loaded.companion.__adjoint = ones(value);
    loaded.companion.__fn = loaded.valueAndVjp;
    const both = vm.runInContext(`__fn(${args}, __adjoint)`, loaded.companion, { timeout: COMPANION_MS }) as { value: unknown };
    if (JSON.stringify(numbers(both.value)) !== JSON.stringify(numbers(value))) {
      violations.push({ mutant, problem: `valueAndVjp_${name}(${args}).value is ${JSON.stringify(both.value)}, but ${name} returns ${JSON.stringify(value)}` });
    }
    const jacobian = callIn(loaded.companion, loaded.jacobian, args, COMPANION_MS) as unknown[];
    if (jacobian.length !== numbers(value).length) violations.push({ mutant, problem: `jacobian_${name}(${args}) has ${jacobian.length} rows for ${numbers(value).length} numbers` });
  } catch (error) {
    violations.push({ mutant, problem: `the companion throws where ${name}(${args}) does not: ${errorMessage(error)}` });
  }
  return { violations, runs: 1 };
}

/** The parameter list of the function `name` and every interface and type alias of the file, as text. */
function typesOf(text: string, name: string): string {
  const file = ts.createSourceFile('types.ts', text, ts.ScriptTarget.ES2022, true);
  const parts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) parts.push(node.getText(file));
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) parts.push(node.parameters.map((p) => p.getText(file)).join(','));
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) parts.push(node.initializer?.getText(file).split('=>')[0] ?? '');
    ts.forEachChild(node, visit);
  };
  visit(file);
  return parts.join('\n');
}

/** `ReferenceError: x is not defined`; errors thrown in another context are not `instanceof Error` here. */
function errorMessage(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return typeof message === 'string' ? `${typeof name === 'string' ? name : 'Error'}: ${message}` : String(error);
}

/**
 * What `import … from specifier` in a file beside `mutant` gives: @adjoint/core; the mutant
 * itself (its companion imports it, for a derivative rule); or a module of the project, read from
 * disk (the rule case's stable.ts, an example's helpers).
 */
function importModule(importer: string, specifier: string, mutant: Mutant, mutantExports: () => unknown): unknown {
  if (specifier === '@adjoint/core') return core;
  const base = path.join(path.dirname(importer), specifier).replace(/\.(m|c)?js$/, '');
  if (base === mutant.path.replace(/\.ts$/, '') || base === mutant.path) return mutantExports();
  const file = [`${base}.ts`, base].find((candidate) => readIfExists(candidate) !== undefined);
  if (!file) throw new Error(`cannot find '${specifier}' from ${importer}`);
  return loadInContext(readIfExists(file)!, (next) => importModule(file, next, mutant, mutantExports)).module.exports;
}

/** A CommonJS module made from TypeScript text, in a context of its own, with a time limit. */
function loadInContext(text: string, require: (specifier: string) => unknown): vm.Context {
  const { outputText } = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const module = { exports: {} as Record<string, unknown> };
  const context = vm.createContext({ module, exports: module.exports, require });
  vm.runInContext(outputText, context, { timeout: COMPANION_MS });
  return context;
}

/** Calls `fn` with arguments written in JavaScript, evaluated in `context` (its own Array, Float64Array…). */
function callIn(context: vm.Context, fn: unknown, args: string, timeout: number): unknown {
  context.__fn = fn;
  return vm.runInContext(`__fn(${args})`, context, { timeout });
}
