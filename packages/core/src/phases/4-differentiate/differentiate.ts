/**
 * The entry of phase 4: a companion module for the marked functions of a file, from their
 * optimised SSA. Module-level names come first (the exports the contract names, then the module
 * constants copied in); then each marked function's exports, which request the functions they
 * call (CompanionModule, TangentModule) until none is left.
 */
import type { CompileOptions, Diagnostic } from '../../api.js';
import type { Analyses } from '../../analysis/index.js';
import { createDiagnostic, UserError } from '../../diagnostics/create.js';
import type { CodeModule, ConstDecl, FunctionDecl } from '../../ir/code.js';
import { withPattern, type SsaFunction } from '../../ir/ssa.js';
import { calledKeys } from '../../ir/walk.js';
import { exportNames, exportNamesOf, Namer } from '../../naming.js';
import type { ParsedFile } from '../1-parse/index.js';
import { locationOf } from '../1-parse/location.js';
import type { CalleeResolver } from '../2-lower/callees.js';
import { lowerModuleConstants } from '../2-lower/module-constants.js';
import { differentiatedPattern, type FunctionEntry, type LoweredRoot } from '../2-lower/program.js';
import { jvpFunction, TangentModule } from './forward-mode/index.js';
import { exportedFunctions } from './functions.js';
import { CompanionModule, type ProgramFunction } from './module.js';
import { hasVectorOutput } from './vector-exports.js';

export interface DifferentiateInput {
  /** The marked functions to differentiate. */
  roots: LoweredRoot[];
  /** The functions they call, directly or not, roots included, as lowered. */
  entries: FunctionEntry[];
  /** The same functions optimised, by key. */
  optimized: Map<string, SsaFunction>;
  analyses: Analyses;
  resolver: CalleeResolver;
  /** `file.ts:12`: where a function is defined, for doc comments. */
  sourceLabel: (entry: FunctionEntry) => string;
  /** How the companion imports a module: a package by its name, a project module by a relative path. */
  importPath: (target: { path?: string; packageName?: string }) => string;
  /** Names the module already uses (a companion differentiated again keeps its first stage's names). */
  reserved?: string[];
  /** Differentiate again: only the forward-mode exports the marks ask for, not grad_f and its kin. */
  forwardOnly?: boolean;
  options: Pick<CompileOptions, 'maxPartSize' | 'runtime'>;
}

export interface Differentiated {
  /** The companion's imports, constants, shared declarations, exports and generated functions. */
  module: CodeModule;
  /** The marked functions for which differentiating failed (AD2010, or a bug in Adjoint), with the errors. */
  failed: LoweredRoot[];
  diagnostics: Diagnostic[];
  /** The module, for the exports a later stage adds (second order). */
  companion: CompanionModule;
  /** The name the companion gives a module constant of a file. */
  globalNameIn: (file: ParsedFile) => (name: string) => string;
}

export function differentiate(input: DifferentiateInput): Differentiated {
  const { roots, entries, optimized, analyses, resolver, options } = input;
  // Module-level names: the exports named by the contract first, then the copied constants.
  const moduleNamer = new Namer();
  input.reserved?.forEach((name) => moduleNamer.claim(name));
  for (const { marked, entry } of roots) {
    if (!input.forwardOnly) exportNamesOf(marked.name, hasVectorOutput(entry.ssa!), marked.options.forward).forEach((name) => moduleNamer.claim(name));
    if (marked.options.forward) moduleNamer.claim(exportNames.jvp(marked.name));
    if (marked.options.hessian) [exportNames.hvp, exportNames.hessian, exportNames.hessianRow].forEach((name) => moduleNamer.claim(name(marked.name)));
  }
  const constants = copiedConstants(entries, resolver, moduleNamer, (file) => input.importPath({ path: file.path }));
  const programFunction = (key: string): ProgramFunction | undefined => {
    const entry = entries.find((e) => e.key === key);
    return entry?.ssa && { ssa: optimized.get(key)!, globalName: constants.nameIn(entry.file), sourceLabel: input.sourceLabel(entry) };
  };
  const tapeStyle = roots.some(({ marked }) => marked.options.hessian) ? 'local' : 'shared';
  const module = new CompanionModule(
    moduleNamer,
    analyses,
    { function: programFunction, callee: (key) => resolver.callees.get(key), importPath: input.importPath },
    tapeStyle,
    options.maxPartSize,
    options.runtime,
  );
  const tangents = new TangentModule(module, { function: programFunction });

  module.reserve([...new Set([...entries.map((e) => e.key), ...[...optimized.values()].flatMap((fn) => calledKeys(fn.body))])]);
  const exported: FunctionDecl[] = [];
  const failed: LoweredRoot[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const root of roots) {
    const { marked, entry } = root;
    try {
      const ssa = withPattern(optimized.get(entry.key)!, differentiatedPattern(root));
      const program: ProgramFunction = { ssa, globalName: constants.nameIn(entry.file), sourceLabel: input.sourceLabel(entry) };
      if (!input.forwardOnly) exported.push(...exportedFunctions(module, entry.key, program, { forward: marked.options.forward }));
      if (marked.options.forward) exported.push(jvpFunction(tangents, entry.key, program));
      tangents.generatePending();
    } catch (error) {
      // a user error found while differentiating (AD2010), or a bug in Adjoint
      if (error instanceof UserError) diagnostics.push(error.diagnostic);
      else diagnostics.push(createDiagnostic('AD9001', [marked.name, error instanceof Error ? error.message : String(error)], locationOf(marked.node, entry.file.path)));
      failed.push(root);
    }
  }
  return {
    module: { header: '', imports: [...constants.imports, ...module.imports], items: [...constants.declarations, ...module.declarations(), ...exported, ...module.functions] },
    failed,
    diagnostics,
    companion: module,
    globalNameIn: constants.nameIn,
  };
}

/**
 * The module-level constants the functions read, copied into the companion: each module's in
 * source order, named apart when two modules use the same name; large exported ones and those the
 * source imports are imported from their module instead (module-constants.ts). (Lowering has reported those that
 * cannot be copied; a function reading one is not differentiated.)
 */
function copiedConstants(entries: FunctionEntry[], resolver: CalleeResolver, namer: Namer, importPathOf: (file: ParsedFile) => string) {
  const byFile = new Map<ParsedFile, Set<string>>();
  for (const entry of entries) {
    const names = byFile.get(entry.file) ?? new Set<string>();
    entry.globalsRead.forEach((n) => names.add(n));
    byFile.set(entry.file, names);
  }
  const names = new Map<ParsedFile, Map<string, string>>();
  const declarations: ConstDecl[] = [];
  const imports: CodeModule['imports'] = [];
  for (const [file, read] of byFile) {
    const lowered = lowerModuleConstants(file, read, resolver);
    const local = new Map([...lowered.constants, ...lowered.imports].map((c) => [c.name, namer.claim(c.name)]));
    names.set(file, local);
    const nameOf = (name: string) => local.get(name) ?? name;
    for (const c of lowered.constants) declarations.push({ kind: 'const', name: nameOf(c.name), init: c.expression(nameOf) });
    for (const c of lowered.imports) imports.push({ module: importPathOf(c.from), name: c.exported, local: nameOf(c.name) });
  }
  return { declarations, imports, nameIn: (file: ParsedFile) => (name: string) => names.get(file)?.get(name) ?? name };
}
