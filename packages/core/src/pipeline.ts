/**
 * The one place where the phases are chained: parse → lower → analyze → differentiate → emit.
 * User errors are collected per function and reported together; a file with any error gets no
 * companion. Anything thrown that is not a user error is a bug in Adjoint, reported as AD9001
 * naming the function being compiled.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { CompanionOutput, CompileOptions, CompileResult, Diagnostic, SourceFile } from './api.js';
import { companionPathFor, generatedHeader } from './companion.js';
import { createDiagnostic, sortDiagnostics, UserError } from './diagnostics/create.js';
import { expressionOf } from './ir/expression-tree.js';
import type { CodeModule, FunctionDecl } from './ir/code.js';
import { exportNames, Namer } from './naming.js';
import { locationOf } from './phases/1-parse/location.js';
import { parseFiles, type MarkedFunction, type ParsedFile } from './phases/1-parse/index.js';
import { lowerFunction, type LoweredFunction } from './phases/2-lower/index.js';
import { lowerModuleConstants } from './phases/2-lower/module-constants.js';
import { analyze, type Activity } from './phases/3-analyze/index.js';
import { differentiate } from './phases/4-differentiate/index.js';
import { emit } from './phases/5-emit/index.js';
import { tapeClass } from './phases/4-differentiate/tape.js';

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
  for (const parsed of parseFiles(readable)) {
    const result = await compileFile(parsed, options);
    diagnostics.push(...result.diagnostics);
    if (result.output) outputs.push(result.output);
  }
  return { outputs, diagnostics: sortDiagnostics(diagnostics) };
}

async function compileFile(
  parsed: ParsedFile,
  options: CompileOptions,
): Promise<{ output?: CompanionOutput; diagnostics: Diagnostic[] }> {
  const diagnostics = [...parsed.diagnostics];
  if (parsed.functions.length === 0) return { diagnostics };

  const lowered: Array<{ marked: MarkedFunction; fn: LoweredFunction }> = [];
  for (const marked of parsed.functions) {
    const result = guard(marked.name, () => lowerFunction(parsed, marked), diagnostics);
    if (!result) continue;
    diagnostics.push(...result.diagnostics);
    if (result.ok) lowered.push({ marked, fn: result.lowered });
  }
  const constants = lowerModuleConstants(parsed, lowered.flatMap(({ fn }) => [...fn.globalsRead]));
  diagnostics.push(...constants.diagnostics);

  // Module-level names: the exports named by the contract first, then the copied constants.
  const moduleNamer = new Namer();
  for (const { marked } of lowered) {
    moduleNamer.claim(exportNames.valueAndGrad(marked.name));
    moduleNamer.claim(exportNames.grad(marked.name));
  }
  const constantNames = new Map(constants.constants.map((c) => [c.name, moduleNamer.claim(c.name)]));
  const globalName = (name: string) => constantNames.get(name) ?? name;
  let tapeClassName: string | undefined;
  const tapeClassFor = () => (tapeClassName ??= moduleNamer.claim('Tape'));

  const functions: FunctionDecl[] = [];
  for (const { marked, fn } of lowered) {
    const decls = guard(marked.name, () => {
      const analysis = analyze(fn.ssa);
      diagnostics.push(...zeroGradientWarnings(parsed, marked, fn, analysis.activity));
      const line = marked.node.getStartLineNumber();
      return differentiate({ fn: fn.ssa, analysis, moduleNamer, globalName, tapeClass: tapeClassFor, sourceLabel: `${path.basename(parsed.path)}:${line}` });
    }, diagnostics);
    if (decls) functions.push(...decls);
  }
  if (diagnostics.some((d) => d.category === 'error')) return { diagnostics };

  const module: CodeModule = {
    header: options.header === false ? '' : generatedHeader(parsed.path),
    items: [
      ...constants.constants.map((c) => ({ kind: 'const' as const, name: globalName(c.name), init: expressionOf(c.block, c.result, globalName) })),
      ...(tapeClassName ? [tapeClass(tapeClassName)] : []),
      ...functions,
    ],
  };
  let text: string;
  try {
    text = await emit(module, { format: options.format ?? true });
  } catch (error) {
    const names = lowered.map(({ marked }) => marked.name).join(', ');
    return { diagnostics: [...diagnostics, createDiagnostic('AD9001', [names, `the generated code does not parse: ${(error as Error).message.split('\n')[0]}`])] };
  }
  return {
    output: {
      sourcePath: parsed.path,
      companionPath: companionPathFor(parsed.path),
      text,
      functions: lowered.map(({ marked }) => marked.name),
    },
    diagnostics,
  };
}

/** Runs one function's compilation step, turning anything thrown into a diagnostic. */
function guard<T>(functionName: string, step: () => T, diagnostics: Diagnostic[]): T | undefined {
  try {
    return step();
  } catch (error) {
    if (error instanceof UserError) diagnostics.push(error.diagnostic);
    else diagnostics.push(createDiagnostic('AD9001', [functionName, error instanceof Error ? error.message : String(error)]));
    return undefined;
  }
}

/** AD2004: a differentiated parameter the result does not depend on. */
function zeroGradientWarnings(parsed: ParsedFile, marked: MarkedFunction, fn: LoweredFunction, activity: Activity): Diagnostic[] {
  const paramNodes = marked.node.getParameters();
  return fn.ssa.params.flatMap((param, index) =>
    param.differentiable && !activity.isActive(param.value)
      ? [createDiagnostic('AD2004', [marked.name, param.name], locationOf(paramNodes[index]!, parsed.path))]
      : [],
  );
}
