/**
 * The one place where the phases are chained: parse → lower → analyze → differentiate → emit.
 * User errors are collected per function and reported together; a file with any error (in its
 * marked functions or in a function they call) gets no companion. Anything thrown that is not a
 * user error is a bug in Adjoint, reported as AD9001 naming the function being compiled.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { CompanionOutput, CompileOptions, CompileResult, Diagnostic, SourceFile } from './api.js';
import { companionPathFor, generatedHeader, isGeneratedText } from './companion.js';
import type { PrettierOptions } from './api.js';
import { createDiagnostic, sortDiagnostics, UserError } from './diagnostics/create.js';
import { expressionOf } from './ir/expression-tree.js';
import type { CodeModule, ConstDecl, FunctionDecl } from './ir/code.js';
import { exportNames, exportNamesOf, Namer } from './naming.js';
import { locationOf } from './phases/1-parse/location.js';
import { parseProgram, type ParsedFile } from './phases/1-parse/index.js';
import { CalleeResolver } from './phases/2-lower/callees.js';
import { FunctionTable, type FunctionEntry } from './phases/2-lower/function-table.js';
import { optimize } from './phases/3-optimize/index.js';
import { lowerModuleConstants } from './phases/2-lower/module-constants.js';
import { analyze, resultDependsOn, summarize, type CalleeSummaries } from './analysis/index.js';
import { checkpointErrors, checkpointsNotApplied } from './analysis/checkpoints.js';
import { CompanionModule, exportedFunctions, hasVectorOutput } from './phases/4-differentiate/index.js';
import { withPattern, type ProgramFunction } from './phases/4-differentiate/module.js';
import { declaresSharedTapes } from './phases/4-differentiate/tape.js';
import { jvpFunction, TangentModule } from './phases/4-differentiate/forward-mode/index.js';
import { secondOrderExports } from './phases/4-differentiate/second-order-exports.js';
import { emit, emitUnformatted } from './phases/5-emit/index.js';
import { forEachInstr } from './ir/walk.js';
import type { CallInstr, SsaFunction } from './ir/ssa.js';

export async function compile(files: SourceFile[], options: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics: Diagnostic[] = [];
  const readable: Array<Required<SourceFile>> = [];
  for (const file of files) {
    try {
      readable.push({ path: file.path, text: file.text ?? (await readFile(file.path, 'utf8')) });
    } catch (error) {
      diagnostics.push(createDiagnostic('AD5001', [file.path, (error as Error).message]));
    }
  }
  const outputs: CompanionOutput[] = [];
  const generation = new Generation(readable);
  let done = 0;
  for (const layer of generationLayers(readable)) {
    for (const prepared of generation.prepare(layer, options)) {
      const formatOptions = options.formatOptions?.(companionPathFor(prepared.parsed.path));
      const result = finishFile(prepared, prepared.module && (await emitText(prepared.module, options.format ?? true, formatOptions)));
      diagnostics.push(...result.diagnostics);
      if (result.output) outputs.push(generation.generated(result.output));
      options.onProgress?.(++done, readable.length, prepared.parsed.path);
    }
  }
  return { outputs: inInputOrder(outputs, readable), diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * `compile` without prettier, for callers that cannot wait (a TypeScript compiler plugin): the
 * companions are the same code, laid out by Adjoint's own printer (prettier 3 formats only
 * asynchronously). Files whose text is not given are read synchronously.
 */
export function compileSync(files: SourceFile[], options: Omit<CompileOptions, 'format'> = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const readable: Array<Required<SourceFile>> = [];
  for (const file of files) {
    try {
      readable.push({ path: file.path, text: file.text ?? readFileSync(file.path, 'utf8') });
    } catch (error) {
      diagnostics.push(createDiagnostic('AD5001', [file.path, (error as Error).message]));
    }
  }
  const outputs: CompanionOutput[] = [];
  const generation = new Generation(readable);
  let done = 0;
  for (const layer of generationLayers(readable)) {
    for (const prepared of generation.prepare(layer, options)) {
      const result = finishFile(prepared, prepared.module && printedText(prepared.module));
      diagnostics.push(...result.diagnostics);
      if (result.output) outputs.push(generation.generated(result.output));
      options.onProgress?.(++done, readable.length, prepared.parsed.path);
    }
  }
  return { outputs: inInputOrder(outputs, readable), diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * The inputs in the order their companions must be generated. A file may import the companion of
 * another input (to differentiate a generated gradient again, as examples/hyperparameters does):
 * it comes in a later layer, and reads the companion generated in this run, not the one on disk.
 * Files in a cycle of such imports stay in the last layer (they read what is on disk).
 */
function generationLayers(readable: Array<Required<SourceFile>>): Array<Array<Required<SourceFile>>> {
  const byCompanion = new Map(readable.map((file) => [withoutExtension(companionPathFor(path.resolve(file.path))), file]));
  const dependencies = new Map(
    readable.map((file) => {
      const imported = ts.preProcessFile(file.text, true, false).importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.'));
      const companions = imported.map((s) => byCompanion.get(withoutExtension(path.resolve(path.dirname(path.resolve(file.path)), s))));
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
  private readonly reported = new Set<string>();

  constructor(inputs: Array<Required<SourceFile>>) {
    this.texts = new Map(inputs.map((file) => [path.resolve(file.path), file.text]));
  }

  prepare(layer: Array<Required<SourceFile>>, options: CompileOptions): PreparedFile[] {
    return prepareFiles(layer, options, (filePath) => this.texts.get(path.resolve(filePath)) ?? readIfPresent(filePath), this.reported);
  }

  generated(output: CompanionOutput): CompanionOutput {
    this.texts.set(path.resolve(output.companionPath), output.text);
    return output;
  }
}

/** A file taken through every phase but the last: its companion as a module, not yet text. */
interface PreparedFile {
  parsed: ParsedFile;
  diagnostics: Diagnostic[];
  module?: CodeModule;
  /** The marked functions, in source order. */
  names?: string[];
}

function prepareFiles(readable: Array<Required<SourceFile>>, options: CompileOptions, readSource: (path: string) => string | undefined, reported: Set<string>): PreparedFile[] {
  const program = parseProgram(readable, readSource);
  // Each file sees the derivative rules of the modules it imports (directly or not) and of its
  // callees' modules, so its companion does not depend on which other files are compiled with it.
  return program.inputs.map((parsed) => {
    const closure = program.closureOf(parsed);
    // a syntax error in a module the file imports leaves its callees unreadable: no companion
    const importErrors = [...closure].filter((sf) => sf !== parsed.sourceFile).flatMap((sf) => program.fileOf(sf).diagnostics.filter((d) => d.code === 'AD1001'));
    if (importErrors.length > 0 && parsed.functions.length > 0) return { parsed, diagnostics: [...parsed.diagnostics, ...importErrors] };
    const table = new FunctionTable(new CalleeResolver(program, closure), { checkpointLoops: options.checkpointLoops });
    return { parsed, ...compileFile(parsed, table, reported, options, readSource) };
  });
}

type EmittedText = { text: string } | { error: unknown };

async function emitText(module: CodeModule, format: boolean, formatOptions: PrettierOptions | undefined): Promise<EmittedText> {
  try {
    return { text: await emit(module, { format, formatOptions }) };
  } catch (error) {
    return { error };
  }
}

function printedText(module: CodeModule): EmittedText {
  try {
    return { text: emitUnformatted(module) };
  } catch (error) {
    return { error };
  }
}

function finishFile(prepared: PreparedFile, emitted: EmittedText | undefined): { output?: CompanionOutput; diagnostics: Diagnostic[] } {
  const { parsed, diagnostics, names = [] } = prepared;
  if (!emitted) return { diagnostics };
  if ('error' in emitted) {
    const message = `the generated code does not parse: ${(emitted.error as Error).message.split('\n')[0]}`;
    return { diagnostics: [...diagnostics, createDiagnostic('AD9001', [names.join(', '), message], parsed.functions[0] && locationOf(parsed.functions[0].node, parsed.path))] };
  }
  return {
    output: { sourcePath: parsed.path, companionPath: companionPathFor(parsed.path), text: emitted.text, functions: names },
    diagnostics,
  };
}

function readIfPresent(filePath: string): string | undefined {
  try {
    return readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The second stage of a companion with second-order exports: the first stage's companion, compiled
 * again with its grad_f marked `forward`. It emits only what the marks ask of forward mode (jvp_grad_f
 * and what it calls), named apart from the first stage's names.
 */
interface SecondStage {
  reserved: string[];
}

function compileFile(
  parsed: ParsedFile,
  table: FunctionTable,
  reported: Set<string>,
  options: CompileOptions,
  readSource: (path: string) => string | undefined,
  secondStage?: SecondStage,
): { module?: CodeModule; names?: string[]; diagnostics: Diagnostic[] } {
  const diagnostics = [...parsed.diagnostics];
  if (parsed.functions.length === 0) return { diagnostics };

  const roots = parsed.functions.map((marked) => ({ marked, entry: table.marked(parsed, marked) }));
  const entries = table.closure(roots.map((r) => r.entry));
  // A function's errors are reported once, even when several companions need it.
  let failed = entries.some((e) => !e.ssa);
  for (const entry of entries) {
    if (reported.has(entry.key)) continue;
    reported.add(entry.key);
    diagnostics.push(...entryDiagnostics(entry));
  }
  if (failed || diagnostics.some((d) => d.category === 'error')) return { diagnostics };

  // Module-level names: the exports named by the contract first, then the copied constants.
  const moduleNamer = new Namer();
  secondStage?.reserved.forEach((name) => moduleNamer.claim(name));
  for (const { marked, entry } of roots) {
    if (!secondStage) exportNamesOf(marked.name, hasVectorOutput(entry.ssa!), marked.options.forward).forEach((name) => moduleNamer.claim(name));
    if (marked.options.forward) moduleNamer.claim(exportNames.jvp(marked.name));
    if (marked.options.hessian) [exportNames.hvp, exportNames.hessian, exportNames.hessianRow].forEach((name) => moduleNamer.claim(name(marked.name)));
  }
  const constants = copiedConstants(entries, table, moduleNamer, diagnostics);
  if (diagnostics.some((d) => d.category === 'error')) return { diagnostics };

  const functions = optimize(
    entries.map((e) => ({ key: e.key, ssa: e.ssa!, file: e.file, hasRule: table.calleeInfo(e.key)?.rule !== undefined })),
    { inline: options.inline },
  );
  const summaries = summarize(functions, (key) => table.calleeInfo(key)?.paramNames.length ?? 0);
  const lookup: CalleeSummaries = (key) => summaries.get(key);
  // A result that shares storage with a parameter is an error only where a caller sees it: a
  // marked function's own exports seed the adjoint of the result in place (its shadow is the
  // parameter's), so a marked function returning (part of) its parameter is fine unless called.
  const called = new Set(entries.flatMap((e) => calledKeys(e.ssa!)));
  diagnostics.push(...entries.filter((entry) => called.has(entry.key)).flatMap((entry) => resultAliasErrors(entry, lookup)));
  diagnostics.push(...entries.flatMap((entry) => storedThroughCallErrors(entry, functions.get(entry.key)!, lookup)));
  diagnostics.push(...entries.flatMap((entry) => checkpointErrors(entry.ssa!, lookup)));
  if (diagnostics.some((d) => d.category === 'error')) return { diagnostics };
  // the second stage's source is the companion itself, whose lines the formatter moves
  const label = (entry: FunctionEntry) => (secondStage ? path.basename(entry.file.path) : sourceLabel(entry));
  const programFunction = (key: string): ProgramFunction | undefined => {
    const entry = entries.find((e) => e.key === key);
    return entry?.ssa && { ssa: functions.get(key)!, globalName: constants.nameIn(entry.file), sourceLabel: label(entry) };
  };
  const module = new CompanionModule(moduleNamer, lookup, {
    function: programFunction,
    callee: (key) => table.calleeInfo(key),
    importPath: (target) => importPath(parsed, target),
  }, roots.some(({ marked }) => marked.options.hessian) ? 'local' : 'shared', options.maxPartSize, options.runtime);
  if (module.tapeStyle === 'local') diagnostics.push(...entries.flatMap((entry) => checkpointsNotApplied(entry.ssa!)));
  const tangents = new TangentModule(module, { function: programFunction });

  module.reserve([...new Set([...entries.map((e) => e.key), ...[...functions.values()].flatMap(calledKeys)])]);
  const exported: FunctionDecl[] = [];
  for (const { marked, entry } of roots) {
    try {
      const ssa = withPattern(functions.get(entry.key)!, differentiatedPattern(entry, marked.options.wrt));
      const program: ProgramFunction = { ssa, globalName: constants.nameIn(entry.file), sourceLabel: label(entry) };
      if (!secondStage) {
        diagnostics.push(...zeroGradientWarnings(parsed, marked.node.getParameters(), ssa, lookup, marked.name));
        exported.push(...exportedFunctions(module, entry.key, program, { forward: marked.options.forward }));
      }
      if (marked.options.forward) exported.push(jvpFunction(tangents, entry.key, program));
      tangents.generatePending();
    } catch (error) {
      // a user error found while differentiating (AD2010), or a bug in Adjoint
      if (error instanceof UserError) diagnostics.push(error.diagnostic);
      else diagnostics.push(createDiagnostic('AD9001', [marked.name, error instanceof Error ? error.message : String(error)], locationOf(marked.node, parsed.path)));
      failed = true;
    }
  }
  if (failed) return { diagnostics };

  const codeModule: CodeModule = {
    header: options.header === false ? '' : generatedHeader(parsed.path),
    imports: module.imports,
    items: [...constants.declarations, ...module.declarations(), ...exported, ...module.functions],
  };
  const secondOrder = roots
    .filter(({ marked }) => marked.options.hessian && !secondStage)
    .map(({ marked, entry }) => ({
      name: marked.name,
      program: { ssa: withPattern(functions.get(entry.key)!, differentiatedPattern(entry, marked.options.wrt)), globalName: constants.nameIn(entry.file), sourceLabel: sourceLabel(entry) },
    }));
  if (secondOrder.length > 0) {
    const wrt = (fn: SsaFunction) => fn.params.filter((p) => p.differentiable).map((p) => p.name);
    const again = differentiateAgain(parsed, codeModule, secondOrder.map(({ name, program }) => ({ name, wrt: wrt(program.ssa) })), options, readSource);
    diagnostics.push(...again.diagnostics);
    if (!again.module) return { diagnostics };
    codeModule.imports.push(...again.module.imports);
    codeModule.items.push(...again.module.items.map((item) => (item.kind === 'function' ? { ...item, exported: false } : item)));
    for (const { name, program } of secondOrder) codeModule.items.push(...secondOrderExports(module, program, exportNames.jvp(exportNames.grad(name))));
  }
  return { module: codeModule, names: roots.map(({ marked }) => marked.name), diagnostics };
}

/**
 * Second order by differentiating the companion again: its text, with each grad_f of `names` marked
 * `@differentiable(forward, wrt: …)` (the parameters f is differentiated in), is compiled as a
 * module beside the source; its jvp_grad_f is forward mode over reverse mode. The companion of a
 * hessian-marked function keeps its tapes local, so Adjoint accepts it (tape.ts).
 */
function differentiateAgain(
  parsed: ParsedFile,
  firstStage: CodeModule,
  functions: Array<{ name: string; wrt: string[] }>,
  options: CompileOptions,
  readSource: (path: string) => string | undefined,
): { module?: CodeModule; diagnostics: Diagnostic[] } {
  const gradNames = new Map(functions.map((fn) => [exportNames.grad(fn.name), fn]));
  const marked: CodeModule = {
    header: '',
    imports: firstStage.imports,
    items: firstStage.items.map((item) => {
      if (item.kind !== 'function' || !gradNames.has(item.name)) return item;
      return { ...item, doc: `${item.doc}\n@differentiable(forward, wrt: ${gradNames.get(item.name)!.wrt.join(', ')})` };
    }),
  };
  const companionPath = companionPathFor(parsed.path);
  const program = parseProgram([{ path: companionPath, text: emitUnformatted(marked) }], readSource);
  const companion = program.inputs[0]!;
  const table = new FunctionTable(new CalleeResolver(program, program.closureOf(companion)));
  const reserved = [...firstStage.imports.map((i) => i.local), ...firstStage.items.flatMap((item) => (item.kind === 'raw' ? [] : [item.name]))];
  const second = compileFile(companion, table, new Set(), { ...options, header: false }, readSource, { reserved });
  // an error here is Adjoint's: the first stage wrote code that its own subset does not accept
  const errors = second.diagnostics.filter((d) => d.category === 'error');
  if (errors.length > 0) {
    const detail = errors.map((d) => `${d.code} at ${companionPath}:${d.location?.line}: ${d.message}`).join('; ');
    const first = parsed.functions.find((fn) => fn.name === functions[0]?.name);
    return { diagnostics: [createDiagnostic('AD9001', [functions.map((fn) => fn.name).join(', '), `the companion could not be differentiated again: ${detail}`], first && locationOf(first.node, parsed.path))] };
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
  return [createDiagnostic('AD2040', [entry.name, path.basename(entry.file.path)], node && locationOf(node, entry.file.path))];
}

/** Which parameters of a marked function are differentiated: those that hold numbers, or the `wrt:` ones among them. */
function differentiatedPattern(entry: FunctionEntry, wrt: string[] | undefined): boolean[] {
  return entry.ssa!.params.map((p) => p.differentiable && (wrt === undefined || wrt.includes(p.name)));
}

/** The declaration of a function of the table: a function declaration, or a `const` holding an arrow or function. */
function declarationOf(entry: FunctionEntry) {
  return entry.file.sourceFile.getFunction(entry.name) ?? entry.file.sourceFile.getVariableDeclaration(entry.name);
}

function sourceLabel(entry: FunctionEntry): string {
  const node = declarationOf(entry);
  return `${path.basename(entry.file.path)}:${node?.getStartLineNumber() ?? 1}`;
}

/**
 * The module-level constants the functions read, copied into the companion: each module's in
 * source order, named apart when two modules use the same name.
 */
function copiedConstants(entries: FunctionEntry[], table: FunctionTable, namer: Namer, diagnostics: Diagnostic[]) {
  const byFile = new Map<ParsedFile, Set<string>>();
  for (const entry of entries) {
    const names = byFile.get(entry.file) ?? new Set<string>();
    entry.globalsRead.forEach((n) => names.add(n));
    byFile.set(entry.file, names);
  }
  const names = new Map<ParsedFile, Map<string, string>>();
  const declarations: ConstDecl[] = [];
  for (const [file, read] of byFile) {
    const lowered = lowerModuleConstants(file, read, table.resolver);
    diagnostics.push(...lowered.diagnostics);
    const local = new Map(lowered.constants.map((c) => [c.name, namer.claim(c.name)]));
    names.set(file, local);
    const nameOf = (name: string) => local.get(name) ?? name;
    if (lowered.diagnostics.length > 0) continue;
    for (const c of lowered.constants) declarations.push({ kind: 'const', name: nameOf(c.name), init: expressionOf(c.block, c.result!, nameOf) });
  }
  return { declarations, nameIn: (file: ParsedFile) => (name: string) => names.get(file)?.get(name) ?? name };
}

/**
 * How the companion of `parsed` (beside it) imports a module: a package by its name, a project
 * module by a relative path written as the source writes its own (with `.js` or without).
 */
function importPath(parsed: ParsedFile, target: { path?: string; packageName?: string }): string {
  if (target.packageName) return target.packageName;
  const relative = path.posix.relative(path.posix.dirname(parsed.path), target.path!).replace(/\.(m|c)?ts$/, '');
  const withDot = relative.startsWith('.') ? relative : `./${relative}`;
  // as the source writes its relative imports: without an extension only where it does so itself
  // (its project resolves them), else `.js`, which module nodenext requires and bundlers accept
  const relativeImports = parsed.sourceFile.getImportDeclarations().map((i) => i.getModuleSpecifierValue()).filter((m) => m.startsWith('.'));
  const extensionless = relativeImports.length > 0 && relativeImports.every((m) => !/\.[mc]?[jt]s$/.test(m));
  return extensionless ? withDot : `${withDot}.js`;
}

/** AD2004: a differentiated parameter the result does not depend on. */
function zeroGradientWarnings(
  parsed: ParsedFile,
  paramNodes: import('ts-morph').ParameterDeclaration[],
  ssa: import('./ir/ssa.js').SsaFunction,
  summaries: CalleeSummaries,
  name: string,
): Diagnostic[] {
  return ssa.params.flatMap((param, index) =>
    param.differentiable && !resultDependsOn(ssa, index, summaries)
      ? [createDiagnostic('AD2004', [name, param.name], locationOf(paramNodes[index]!, parsed.path))]
      : [],
  );
}

/** The keys of the functions a function calls (with a body or not). */
function calledKeys(fn: SsaFunction): string[] {
  const keys: string[] = [];
  forEachInstr(fn.body, (instr) => instr.kind === 'call' && keys.push(instr.callee));
  return keys;
}

/**
 * AD1013: a function whose result may share storage with a parameter (it returns the parameter, a
 * row of it, …). Its caller would give the result a shadow of its own, and the adjoints reaching
 * the result would not reach the argument.
 */
/**
 * AD2041: a call (left after inlining) of a function that stores an array or object into an
 * argument whose adjoints flow: the callee's backprop, replayed in joint mode, builds that
 * container's shadow anew instead of reading the one the caller's reverse sweep filled.
 */
function storedThroughCallErrors(entry: FunctionEntry, ssa: SsaFunction, summaries: CalleeSummaries): Diagnostic[] {
  const calls: CallInstr[] = [];
  forEachInstr(ssa.body, (instr) => instr.kind === 'call' && calls.push(instr));
  const suspects = calls.filter((call) => call.args.some((_, j) => summaries(call.callee)?.storesIntoParam[j]));
  if (suspects.length === 0) return [];
  const activity = analyze(ssa, summaries).activity;
  return suspects.flatMap((call) => {
    const j = call.args.findIndex((arg, k) => summaries(call.callee)?.storesIntoParam[k] && activity.isActive(arg));
    if (j < 0) return [];
    const file = entry.file.path;
    return [createDiagnostic('AD2041', [call.origin.text, call.callee.slice(call.callee.lastIndexOf('#') + 1)], { file, line: call.origin.line, column: call.origin.column, length: call.origin.text.length })];
  });
}

function resultAliasErrors(entry: FunctionEntry, summaries: CalleeSummaries): Diagnostic[] {
  const ssa = entry.ssa!;
  const result = ssa.result;
  if (result === undefined || ['number', 'boolean'].includes(ssa.values[result]!.type.kind)) return [];
  const activity = analyze(ssa, summaries).activity;
  const shared = ssa.params.find((p) => !activity.isScalar(p.value) && activity.mayAlias(p.value, result));
  if (!shared) return [];
  const node = declarationOf(entry);
  return [createDiagnostic('AD1013', [entry.name, shared.name], node && locationOf(node, entry.file.path))];
}
