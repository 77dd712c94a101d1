/**
 * The one place where the phases are chained: parse → lower → optimize → check → differentiate →
 * emit, each one call in `compileFile`. User errors are collected per function and reported
 * together; a marked function with an error (in itself or in a function it calls) gets no
 * gradient, and the other marked functions of its file still do. Anything thrown that is not a
 * user error is a bug in Adjoint, reported as AD9001 naming the function being compiled.
 *
 * The compiler does no I/O of its own: files come as text or through `CompileOptions.host`.
 */
import { ts } from 'ts-morph';
import type { CompanionOutput, CompileOptions, CompileResult, CompilerHost, Diagnostic, SourceFile } from './api.js';
import { Analyses } from './analysis/index.js';
import { check } from './analysis/check.js';
import { companionPathFor, fileNameInComment, generatedFrom, generatedHeader, isGeneratedText } from './companion.js';
import { createDiagnostic, sortDiagnostics } from './diagnostics/create.js';
import type { CodeModule } from './ir/code.js';
import { withPattern, type SsaFunction } from './ir/ssa.js';
import { printFunction } from './ir/print.js';
import { verifyAfterPasses } from './ir/verify.js';
import { locationOf } from './phases/1-parse/location.js';
import { parseProgram, type ParsedFile, type ParsedProgram } from './phases/1-parse/index.js';
import {
  declarationOf,
  differentiatedPattern,
  lowerProgram,
  reachableFrom,
  reaching,
  type FunctionEntry,
  type LoweredProgram,
  type LoweredRoot,
} from './phases/2-lower/program.js';
import { optimize, PASSES, type FunctionToOptimize, type PassObserver } from './phases/3-optimize/index.js';
import { differentiate, type Differentiated } from './phases/4-differentiate/differentiate.js';
import { exportDifferentiatedAgain, secondOrderExports } from './phases/4-differentiate/second-order-exports.js';
import { declaresSharedTapes, type TapeStyle } from './phases/4-differentiate/tape.js';
import { hasVectorOutput } from './phases/4-differentiate/vector-exports.js';
import { withoutUncalledFunctions } from './phases/4-differentiate/uncalled-functions.js';
import { withoutArgumentChecks } from './phases/4-differentiate/argument-aliasing.js';
import { emit, emitUnformatted } from './phases/5-emit/index.js';
import { importPath } from './phases/5-emit/import-path.js';
import * as path from './posix-path.js';

/** What `CompileOptions.onPass` reports the IR after: 'lower', then each optimisation pass, in order. */
export const IR_STAGES: readonly string[] = ['lower', ...PASSES.map((pass) => pass.name)];

export async function compile(files: SourceFile[], options: CompileOptions = {}): Promise<CompileResult> {
  const run = compilation(files, options);
  for (let step = run.next(); ;) {
    if (step.done) return step.value;
    const module = step.value;
    const formatOptions = options.formatOptions?.(companionPathFor(module.sourcePath));
    step = run.next(await emitted(() => emit(module, { format: options.format ?? true, formatOptions })));
  }
}

/**
 * `compile` without prettier, for callers that cannot wait (a TypeScript compiler plugin): the
 * companions are the same code, laid out by Adjoint's own printer (prettier 3 formats only
 * asynchronously).
 */
export function compileSync(files: SourceFile[], options: Omit<CompileOptions, 'format'> = {}): CompileResult {
  const run = compilation(files, options);
  for (let step = run.next(); ;) {
    if (step.done) return step.value;
    const module = step.value;
    try {
      step = run.next({ text: emitUnformatted(module) });
    } catch (error) {
      step = run.next({ error });
    }
  }
}

type EmittedText = { text: string } | { error: unknown };

/** A companion module to print, and the source it is the companion of. */
type ModuleToPrint = CodeModule & { sourcePath: string };

async function emitted(print: () => Promise<string>): Promise<EmittedText> {
  try {
    return { text: await print() };
  } catch (error) {
    return { error };
  }
}

/**
 * The one body of `compile` and `compileSync`: it yields each companion module to be printed, and
 * is handed back its text (the two differ only in how they print).
 */
function* compilation(files: SourceFile[], options: CompileOptions): Generator<ModuleToPrint, CompileResult, EmittedText> {
  const diagnostics: Diagnostic[] = [];
  const readable: Array<Required<SourceFile>> = [];
  for (const file of files) {
    const text = file.text ?? readInput(file.path, options.host, diagnostics);
    if (text !== undefined) readable.push({ path: file.path, text, companionPath: file.companionPath ?? companionPathFor(file.path) });
  }
  const outputs: CompanionOutput[] = [];
  const unmarked: string[] = [];
  const generation = new Generation(readable, options.host);
  let done = 0;
  for (const layer of generationLayers(readable)) {
    for (const prepared of generation.prepare(layer, options)) {
      const result = finishFile(prepared, prepared.module && (yield { ...prepared.module, sourcePath: prepared.parsed.path }));
      diagnostics.push(...result.diagnostics);
      if (result.output) outputs.push(generation.generated(result.output));
      if (marksNothing(prepared.parsed)) unmarked.push(prepared.parsed.path);
      options.onProgress?.(++done, readable.length, prepared.parsed.path);
    }
  }
  return { outputs: inInputOrder(outputs, readable), diagnostics: sortDiagnostics(diagnostics), unmarked };
}

function readInput(filePath: string, host: CompilerHost | undefined, diagnostics: Diagnostic[]): string | undefined {
  try {
    const text = host?.readFile(filePath);
    if (text === undefined)
      diagnostics.push(
        createDiagnostic('AD5001', { path: filePath, reason: host ? 'no such file' : 'no text was given and no host to read it' }),
      );
    return text;
  } catch (error) {
    diagnostics.push(createDiagnostic('AD5001', { path: filePath, reason: (error as Error).message }));
    return undefined;
  }
}

/** An imported module's text through the host, or undefined when it has none. */
function readIfPresent(host: CompilerHost | undefined, filePath: string): string | undefined {
  try {
    return host?.readFile(filePath);
  } catch {
    return undefined;
  }
}

/**
 * The inputs in the order their companions must be generated. A file may import the companion of
 * another input (to differentiate a generated gradient again, as examples/hyperparameters does):
 * it comes in a later layer, and reads the companion generated in this run, not the one on disk.
 * Files in a cycle of such imports stay in the last layer (they read what is on disk).
 */
function generationLayers(readable: Array<Required<SourceFile>>): Array<Array<Required<SourceFile>>> {
  const byCompanion = new Map(readable.map((file) => [withoutExtension(companionPathFor(path.normalize(file.path))), file]));
  const dependencies = new Map(
    readable.map((file) => {
      const imported = ts
        .preProcessFile(file.text, true, false)
        .importedFiles.map((i) => i.fileName)
        .filter((s) => s.startsWith('.'));
      const companions = imported.map((s) => byCompanion.get(withoutExtension(path.join(path.dirname(path.normalize(file.path)), s))));
      return [file, companions.filter((c): c is Required<SourceFile> => c !== undefined && c !== file)];
    }),
  );
  const layers: Array<Array<Required<SourceFile>>> = [];
  const placed = new Set<Required<SourceFile>>();
  while (placed.size < readable.length) {
    const ready = readable.filter((file) => !placed.has(file) && dependencies.get(file)!.every((d) => placed.has(d)));
    const layer = ready.length > 0 ? ready : readable.filter((file) => !placed.has(file));
    layer.forEach((file) => placed.add(file));
    layers.push(layer);
  }
  return layers;
}

const withoutExtension = (filePath: string) => filePath.replace(/\.(m|c)?(t|j)s$/, '');

/** A file with no marked function and no error that could hide one (CompileResult.unmarked). */
function marksNothing(parsed: ParsedFile): boolean {
  return parsed.functions.length === 0 && !parsed.diagnostics.some((d) => d.category === 'error');
}

function inInputOrder(outputs: CompanionOutput[], readable: Array<Required<SourceFile>>): CompanionOutput[] {
  const order = new Map(readable.map((file, i) => [file.path, i]));
  return [...outputs].sort((a, b) => order.get(a.sourcePath)! - order.get(b.sourcePath)!);
}

/**
 * One compilation's state across layers: the texts a layer's imports read first (every input's,
 * and the companions generated so far), and the errors already reported.
 */
class Generation {
  private readonly texts: Map<string, string>;
  /**
   * The view Adjoint differentiates again of each companion generated so far that has one (a
   * hessian-marked function's: the same functions with tapes local to each, see compileFile), by
   * the path its importers name: their marked functions read it instead of the fast companion.
   */
  private readonly views = new Map<string, string>();
  /** The views made from the sources of companions this run did not generate (viewFromSource), or undefined for none. */
  private readonly viewsFromSources = new Map<string, string | undefined>();
  private readonly reported = new Set<string>();

  constructor(
    inputs: Array<Required<SourceFile>>,
    private readonly host: CompilerHost | undefined,
  ) {
    this.texts = new Map(inputs.map((file) => [path.normalize(file.path), file.text]));
  }

  prepare(layer: Array<Required<SourceFile>>, options: CompileOptions): PreparedFile[] {
    const readSource = (filePath: string) => this.read(filePath, options);
    const program = parseProgram(layer, readSource);
    // Each file sees the derivative rules of the modules it imports (directly or not) and of its
    // callees' modules, so its companion does not depend on which other files are compiled with it.
    return program.inputs.map((parsed, i) => {
      const { companionPath } = layer[i]!;
      const closure = program.closureOf(parsed);
      // a syntax error (or nesting too deep to read) in a module the file imports leaves its callees unreadable: no companion
      const importErrors = [...closure]
        .filter((sf) => sf !== parsed.sourceFile)
        .flatMap((sf) => program.fileOf(sf).diagnostics.filter((d) => d.code === 'AD1001' || d.code === 'AD1151'));
      if (importErrors.length > 0 && parsed.functions.length > 0)
        return { parsed, companionPath, diagnostics: [...parsed.diagnostics, ...importErrors] };
      const compiled = compileFile(program, parsed, companionPath, this.reported, options, readSource);
      // another input imports it beside its source, wherever it is written
      if (compiled.view !== undefined) this.views.set(path.normalize(companionPathFor(parsed.path)), compiled.view);
      return { parsed, companionPath, ...compiled };
    });
  }

  /** What an import of `filePath` reads: a companion's view where it has one, else its text. */
  private read(filePath: string, options: CompileOptions): string | undefined {
    const key = path.normalize(filePath);
    const view = this.views.get(key);
    if (view !== undefined) return view;
    const text = this.texts.get(key) ?? readIfPresent(this.host, filePath);
    if (text === undefined || !isGeneratedText(text) || !declaresSharedTapes(text)) return text;
    return this.viewFromSource(key, text, options) ?? text;
  }

  /**
   * The view of a companion with shared tapes that this run does not generate (it is read from the
   * host), when its source, named in its header, marks functions `hessian`: made by compiling the
   * source again, once.
   */
  private viewFromSource(companionPath: string, text: string, options: CompileOptions): string | undefined {
    if (this.viewsFromSources.has(companionPath)) return this.viewsFromSources.get(companionPath);
    // (undefined while it is made: a source that imports its own companion reads the companion)
    this.viewsFromSources.set(companionPath, undefined);
    const from = generatedFrom(text);
    const sourcePath = from === undefined ? undefined : path.join(path.dirname(companionPath), from);
    const source =
      sourcePath === undefined ? undefined : (this.texts.get(path.normalize(sourcePath)) ?? readIfPresent(this.host, sourcePath));
    if (sourcePath === undefined || source === undefined || !source.includes('hessian')) return undefined;
    const readSource = (filePath: string) => this.read(filePath, options);
    const program = parseProgram([{ path: sourcePath, text: source, companionPath }], readSource);
    const { view } = compileFile(program, program.inputs[0]!, companionPath, new Set(), options, readSource);
    this.viewsFromSources.set(companionPath, view);
    return view;
  }

  generated(output: CompanionOutput): CompanionOutput {
    // another input imports it beside its source, wherever it is written
    this.texts.set(path.normalize(companionPathFor(output.sourcePath)), output.text);
    return output;
  }
}

/** A file taken through every phase but the last: its companion as a module, not yet text. */
interface PreparedFile {
  parsed: ParsedFile;
  /** Where its companion goes. */
  companionPath: string;
  diagnostics: Diagnostic[];
  module?: CodeModule;
  /** The marked functions it holds gradients for, in source order. */
  names?: string[];
}

function finishFile(prepared: PreparedFile, emitted: EmittedText | undefined): { output?: CompanionOutput; diagnostics: Diagnostic[] } {
  const { parsed, companionPath, diagnostics, names = [] } = prepared;
  if (!emitted) return { diagnostics };
  if ('error' in emitted) {
    const message = `the generated code does not parse: ${(emitted.error as Error).message.split('\n')[0]}`;
    return {
      diagnostics: [
        ...diagnostics,
        createDiagnostic(
          'AD9001',
          { functions: names.join(', '), error: message },
          parsed.functions[0] && locationOf(parsed.functions[0].node, parsed.path),
        ),
      ],
    };
  }
  return {
    output: { sourcePath: parsed.path, companionPath, text: emitted.text, functions: names },
    diagnostics,
  };
}

/**
 * The second stage of a companion with second-order exports: the first stage's view (local tapes),
 * compiled again with its valueAndGrad_f marked `forward`. It emits only what the marks ask of
 * forward mode (jvp_valueAndGrad_f and what it calls), named apart from the first stage's names.
 */
interface SecondStage {
  /** Every module-level name of the first stage, but the jvps of valueAndGrad_f this stage generates. */
  reserved: Iterable<string>;
  /** The name of the jvp of each valueAndGrad_f, which the first stage claimed (jvp_valueAndGrad_f when free). */
  jvpNames: ReadonlyMap<string, string>;
}

/** The companion of one file: its marked functions, and the functions they call, through every phase but emit. */
function compileFile(
  program: ParsedProgram,
  parsed: ParsedFile,
  companionPath: string,
  reported: Set<string>,
  options: CompileOptions,
  readSource: (path: string) => string | undefined,
  secondStage?: SecondStage,
): { module?: CodeModule; view?: string; names?: string[]; diagnostics: Diagnostic[] } {
  const diagnostics = [...parsed.diagnostics];
  if (parsed.functions.length === 0) return { diagnostics };

  const lowered = lowerProgram(program, parsed, program.closureOf(parsed), {
    checkpointLoops: options.checkpointLoops,
    companion: secondStage && companionPath,
  });
  diagnostics.push(...firstReports(lowered.entries, reported));
  let roots = withoutFailed(lowered, lowered.roots, new Set(lowered.entries.filter((e) => !e.ssa).map((e) => e.key)));
  // an error of the file (not of one mark, which costs only the function it marks) leaves it no companion
  if (roots.length === 0 || parsed.diagnostics.some((d) => d.category === 'error' && !parsed.markErrors.has(d))) return { diagnostics };

  const optimized = optimizeOrReport(lowered, roots, parsed, options);
  if ('error' in optimized) return { diagnostics: [...diagnostics, optimized.error] };

  const analyses = new Analyses(optimized, (key) => lowered.resolver.callees.get(key)?.paramNames.length ?? 0);
  const checked = check({
    roots,
    entries: entriesOf(lowered, roots),
    optimized,
    analyses,
    zeroGradients: !secondStage,
    storesThroughCalls: !secondStage,
    reaching: (keys) => reaching(lowered, keys),
  });
  diagnostics.push(...checked.diagnostics);
  roots = withoutFailed(lowered, roots, checked.failed);

  const run = differentiator(lowered, optimized, analyses, parsed, companionPath, options, secondStage);
  // A companion with second-order exports is differentiated twice: with shared tapes, the companion
  // users call (its first-order exports exactly those of the unmarked functions), and with tapes
  // local to each function, a view in the subset Adjoint accepts, which its second stage and the
  // marked functions that call into the companion differentiate again.
  const differentiated = differentiateEach(lowered, roots, (generated): Differentiated & { view?: Differentiated } =>
    secondStage || !generated.some(isHessianMarked)
      ? run(generated, 'shared')
      : withView(run(generated, 'shared'), run(generated, 'local')),
  );
  diagnostics.push(...differentiated.diagnostics);
  if (!differentiated.result) return { diagnostics };

  const header = generatedHeader(parsed.path, companionPath);
  const module = { ...differentiated.result.module, header: options.header === false ? '' : header };
  const view = differentiated.result.view;
  const hessians = secondStage ? [] : differentiated.roots.filter(isHessianMarked);
  const names = differentiated.roots.map(({ marked }) => marked.name);
  if (hessians.length === 0 || !view) return { module: withoutUncalledFunctions(module), names, diagnostics };
  const viewModule = { ...view.module, header };
  const targets = [
    { module, stage: differentiated.result },
    { module: viewModule, stage: view },
  ];
  const secondOrder = addSecondOrder(targets, hessians, optimized, parsed, companionPath, options, readSource);
  diagnostics.push(...secondOrder);
  if (secondOrder.length > 0) return { diagnostics };
  return { module: withoutUncalledFunctions(module), view: emitUnformatted(withoutUncalledFunctions(viewModule)), names, diagnostics };
}

/** The roots' functions through the optimisation passes, or the internal error a pass threw. */
function optimizeOrReport(
  lowered: LoweredProgram,
  roots: LoweredRoot[],
  parsed: ParsedFile,
  options: CompileOptions,
): Map<string, SsaFunction> | { error: Diagnostic } {
  try {
    return optimizeObserved(functionsToOptimize(lowered, roots), options);
  } catch (error) {
    const at = locationOf(roots[0]!.marked.node, parsed.path);
    return {
      error: createDiagnostic('AD9001', { functions: roots.map((r) => r.marked.name).join(', '), error: (error as Error).message }, at),
    };
  }
}

/** Differentiates the given roots of one companion with the given tapes (the differentiate phase, set up for this file). */
function differentiator(
  lowered: LoweredProgram,
  optimized: Map<string, SsaFunction>,
  analyses: Analyses,
  parsed: ParsedFile,
  companionPath: string,
  options: CompileOptions,
  secondStage: SecondStage | undefined,
): (roots: LoweredRoot[], tapes: TapeStyle) => Differentiated {
  // the second stage's source is the companion itself, whose lines the formatter moves, and so is
  // a companion's view (it is not the text on disk)
  const label = (entry: FunctionEntry) =>
    secondStage || isGeneratedText(entry.file.sourceFile.getFullText())
      ? fileNameInComment(path.basename(entry.file.path))
      : sourceLabel(entry);
  return (roots, tapes) =>
    differentiate({
      roots,
      entries: entriesOf(lowered, roots),
      optimized,
      analyses,
      resolver: lowered.resolver,
      sourceLabel: label,
      importPath: (target) => importPath(parsed, companionPath, target),
      reserved: secondStage?.reserved,
      jvpNames: secondStage?.jvpNames,
      forwardOnly: secondStage !== undefined,
      tapes,
      options,
    });
}

const isHessianMarked = ({ marked }: LoweredRoot) => marked.options.hessian;

/** A companion differentiated with shared tapes, with its view (local tapes): a root fails when it fails in either. */
function withView(fast: Differentiated, view: Differentiated): Differentiated & { view: Differentiated } {
  const failed = [...fast.failed, ...view.failed.filter((root) => !fast.failed.includes(root))];
  // (the same error found twice is reported once)
  const reported = new Set(fast.diagnostics.map((d) => JSON.stringify(d)));
  return { ...fast, failed, diagnostics: [...fast.diagnostics, ...view.diagnostics.filter((d) => !reported.has(JSON.stringify(d)))], view };
}

/** The diagnostics of the entries not reported yet (a function's errors are reported once, even when several companions need it). */
function firstReports(entries: FunctionEntry[], reported: Set<string>): Diagnostic[] {
  const fresh = entries.filter((entry) => !reported.has(entry.key));
  fresh.forEach((entry) => reported.add(entry.key));
  return fresh.flatMap(entryDiagnostics);
}

/** The roots that reach no failed function. */
function withoutFailed(lowered: LoweredProgram, roots: LoweredRoot[], failed: ReadonlySet<string>): LoweredRoot[] {
  const failing = reaching(lowered, failed);
  return roots.filter((root) => !failing.has(root.entry.key));
}

/** The entries the roots reach, in the program's order. */
function entriesOf(lowered: LoweredProgram, roots: LoweredRoot[]): FunctionEntry[] {
  const reached = reachableFrom(
    lowered,
    roots.map((root) => root.entry.key),
  );
  return lowered.entries.filter((entry) => reached.has(entry.key));
}

function functionsToOptimize(lowered: LoweredProgram, roots: LoweredRoot[]): FunctionToOptimize[] {
  return entriesOf(lowered, roots).map((e) => ({
    key: e.key,
    ssa: e.ssa!,
    file: e.file,
    hasRule: lowered.resolver.callees.get(e.key)?.rule !== undefined,
  }));
}

/**
 * The companion of the roots that differentiate: when some fail (AD2010, or a bug in Adjoint),
 * their errors are kept and the others are differentiated again without them, so that nothing
 * generated for a failed function is left in the companion.
 */
function differentiateEach<D extends Differentiated>(
  lowered: LoweredProgram,
  roots: LoweredRoot[],
  run: (roots: LoweredRoot[]) => D,
): { result?: D; roots: LoweredRoot[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (let remaining = roots; remaining.length > 0;) {
    const result = run(remaining);
    diagnostics.push(...result.diagnostics);
    if (result.failed.length === 0) return { result, roots: remaining, diagnostics };
    remaining = withoutFailed(lowered, remaining, new Set(result.failed.map((root) => root.entry.key)));
  }
  return { roots: [], diagnostics };
}

/**
 * Adds hvp_f, valueGradAndHvp_f and hessian_f for the hessian-marked roots to the companion and to
 * its view, and the forward mode over the view's valueAndGrad_f (valueAndVjp_f for a vector
 * output) that they call; the errors when that fails (then there is no companion).
 */
function addSecondOrder(
  /** The companion (shared tapes) and its view (local tapes), each as a module and as the stage that made it. */
  targets: Array<{ module: CodeModule; stage: Differentiated }>,
  hessians: LoweredRoot[],
  optimized: Map<string, SsaFunction>,
  parsed: ParsedFile,
  companionPath: string,
  options: CompileOptions,
  readSource: (path: string) => string | undefined,
): Diagnostic[] {
  const view = targets[targets.length - 1]!.stage;
  const functions = hessians.map((root) => {
    const ssa = withPattern(optimized.get(root.entry.key)!, differentiatedPattern(root));
    const name = root.marked.name;
    const jvpOfGrad = view.jvpOfGrad.get(name)!;
    // (both stages claim their names in the same order, up to the jvp's: a difference is a bug in Adjoint)
    if (targets.some(({ stage }) => stage.jvpOfGrad.get(name) !== jvpOfGrad))
      throw new Error(`the companion and its view name the jvp of '${name}' differently`);
    // valueAndGrad_f, or valueAndVjp_f for a vector output, is differentiated again
    return {
      root,
      ssa,
      name,
      exported: exportDifferentiatedAgain(name, hasVectorOutput(ssa)),
      pattern: ssa.params.map((p) => p.differentiable),
      jvpOfGrad,
    };
  });
  // the second stage's names are apart from those of the companion and of its view
  const taken = new Set(targets.flatMap(({ stage }) => [...stage.names.names()]));
  const again = differentiateAgain(parsed, companionPath, view.module, taken, functions, options, readSource);
  if (!again.module) return again.diagnostics;
  for (const { module, stage } of targets) {
    module.imports.push(...again.module.imports);
    module.items.push(...again.module.items.map((item) => (item.kind === 'function' ? { ...item, exported: false } : item)));
    const companion = stage.companion;
    const generated = companion.functions.length;
    for (const { root, ssa, jvpOfGrad } of functions) {
      const program = { ssa, globalName: stage.globalNameIn(root.entry.file), sourceLabel: sourceLabel(root.entry) };
      module.items.push(...secondOrderExports(companion, root.entry.key, program, jvpOfGrad));
    }
    // (and the functions they call that were not generated yet: a primal copy, a loop-built shadow)
    companion.generatePending();
    module.items.push(...companion.functions.slice(generated));
  }
  return [];
}

/** Prints or verifies the IR after lowering and after each optimisation pass, when asked to. */
function passObserver(options: CompileOptions): PassObserver | undefined {
  const verify = options.verifyIr ?? verifyIrByDefault();
  const onPass = options.onPass;
  if (!verify && !onPass) return undefined;
  return verifyAfterPasses(verify, onPass && ((pass, key, fn) => onPass(pass, key, printFunction(fn))));
}

/** The IR of the functions as lowered, through `observe` (as pass 'lower'), then through the optimisation passes. */
function optimizeObserved(functions: FunctionToOptimize[], options: CompileOptions): Map<string, SsaFunction> {
  const observe = passObserver(options);
  for (const fn of functions) observe?.('lower', fn.key, fn.ssa);
  return optimize(functions, options, observe);
}

/** `ADJOINT_VERIFY_IR=1` in the environment (the test suite sets it), where there is one. */
function verifyIrByDefault(): boolean {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return environment?.ADJOINT_VERIFY_IR === '1';
}

/**
 * Second order by differentiating the companion's view again: its text, with each export of
 * `functions` (valueAndGrad_f, or valueAndVjp_f) marked `@differentiable(forward)` and
 * differentiated in the parameters f is differentiated in, is compiled as a module beside the
 * source; its jvp_valueAndGrad_f (jvp_valueAndVjp_f) is forward mode over reverse mode. The view
 * keeps its tapes local to each function, so Adjoint accepts it (tape.ts).
 */
function differentiateAgain(
  parsed: ParsedFile,
  companionPath: string,
  firstStage: CodeModule,
  /** Every module-level name the companion and its view took. */
  firstStageNames: ReadonlySet<string>,
  /** f's name, its export differentiated again (valueAndGrad_f or valueAndVjp_f), which of f's parameters are differentiated, and the name of that export's jvp. */
  functions: Array<{ name: string; exported: string; pattern: boolean[]; jvpOfGrad: string }>,
  options: CompileOptions,
  readSource: (path: string) => string | undefined,
): { module?: CodeModule; diagnostics: Diagnostic[] } {
  const exportsAgain = new Map(functions.map((fn) => [fn.exported, fn]));
  // the export's parameters that f is differentiated in, as the companion names them (not vjp_f's output adjoint)
  const wrtOf = new Map<string, string[]>();
  const marked: CodeModule = {
    header: '',
    imports: firstStage.imports,
    items: firstStage.items.map((item) => {
      if (item.kind !== 'function') return item;
      // the exports' checks of their arguments throw, which Adjoint's subset has not: hvp_f and hessian_f check instead
      const unchecked = { ...item, body: withoutArgumentChecks(item.body) };
      const again = exportsAgain.get(item.name);
      if (!again) return unchecked;
      wrtOf.set(
        item.name,
        item.params.filter((_, i) => again.pattern[i]).map((p) => p.name),
      );
      return { ...unchecked, doc: `${item.doc}\n@differentiable(forward)` };
    }),
  };
  const program = parseProgram([{ path: companionPath, text: emitUnformatted(marked), companionPath }], readSource);
  const companion = program.inputs[0]!;
  // wrt is given here rather than in the mark, which could not name a parameter called `hessian` or `forward`
  for (const fn of companion.functions) if (wrtOf.has(fn.name)) fn.options.wrt = wrtOf.get(fn.name);
  // the second stage's names are chosen apart from every name the first stage took (its
  // functions, imports, constants, tapes, and those it only reserved), but for the jvps it makes
  const jvpNames = new Map(functions.map((fn) => [fn.exported, fn.jvpOfGrad]));
  const reserved = [...firstStageNames].filter((name) => !functions.some((fn) => fn.jvpOfGrad === name));
  const second = compileFile(
    program,
    companion,
    companionPath,
    new Set(),
    { ...options, header: false, checkpointLoops: false },
    readSource,
    { reserved, jvpNames },
  );
  // an error here is Adjoint's: the first stage wrote code that its own subset does not accept
  const errors = second.diagnostics.filter((d) => d.category === 'error');
  // so is a module without the jvp of every export marked (never a companion calling a missing function)
  const missing = functions.filter((fn) => !second.module?.items.some((item) => item.kind === 'function' && item.name === fn.jvpOfGrad));
  if (errors.length > 0 || missing.length > 0) {
    const detail =
      errors.map((d) => `${d.code} at ${companionPath}:${d.location?.line}: ${d.message}`).join('; ') ||
      `no ${missing.map((fn) => fn.jvpOfGrad).join(', ')}`;
    const first = parsed.functions.find((fn) => fn.name === functions[0]?.name);
    return {
      diagnostics: [
        createDiagnostic(
          'AD9001',
          { functions: functions.map((fn) => fn.name).join(', '), error: `the companion could not be differentiated again: ${detail}` },
          first && locationOf(first.node, parsed.path),
        ),
      ],
    };
  }
  return { module: second.module, diagnostics: [] };
}

/**
 * A function's errors; for a function of a companion written with shared tapes, one error that
 * says how to get a companion Adjoint can differentiate, instead of one per tape operation.
 */
function entryDiagnostics(entry: FunctionEntry): Diagnostic[] {
  const text = entry.file.sourceFile.getFullText();
  if (entry.ssa || !isGeneratedText(text) || !declaresSharedTapes(text)) return entry.diagnostics;
  const node = declarationOf(entry);
  return [
    createDiagnostic(
      'AD2040',
      { function: entry.name, companion: path.basename(entry.file.path) },
      node && locationOf(node, entry.file.path),
    ),
  ];
}

function sourceLabel(entry: FunctionEntry): string {
  return `${fileNameInComment(path.basename(entry.file.path))}:${entry.line}`;
}
