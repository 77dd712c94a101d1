/**
 * @adjoint/tsc-plugin: a ts-patch program transformer. Run with `tspc` and configured in
 * tsconfig.json as
 *
 *     "plugins": [{ "transform": "@adjoint/tsc-plugin", "transformProgram": true }]
 *
 * it compiles the program's files that mark functions `@differentiable` with the core, adds each
 * companion `foo.grad.ts` to the program as a virtual source file (nothing is written beside the
 * sources), and re-creates the program. `import { grad_f } from './foo.grad'` then resolves and
 * type-checks, and the companion is emitted as `foo.grad.js` and `foo.grad.d.ts` like any other
 * file. Adjoint's diagnostics join the program's own, so tsc prints them and `noEmitOnError`
 * holds back emit.
 *
 * Every TypeScript node here comes from the compiler instance ts-patch hands over (`extras.ts`),
 * never from an import of `typescript`: the core parses the text with ts-morph's own compiler.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  compileSync,
  createDiagnostic,
  isCompilableSourcePath,
  isGeneratedText,
  mayHoldMark,
  sourcePathFor,
  type Diagnostic,
} from '@adjoint/core';
import type * as ts from 'typescript';
import { installedTypeScriptVersion, unsupportedTypeScript } from './typescript-version.js';

// Said when the plugin is loaded, before ts-patch gets further: TypeScript 7 cannot run it.
const loadTimeProblem = unsupportedTypeScript(installedTypeScriptVersion(process.cwd()));
if (loadTimeProblem) console.error(`error: ${loadTimeProblem}`);

/** The plugin's entry in `compilerOptions.plugins`; options other than ts-patch's own. */
export interface AdjointPluginConfig {
  transform?: string;
  transformProgram?: boolean;
  /** Start each companion with the generated-file header (default true). */
  header?: boolean;
  /** Checkpoint every loop that is not inside another loop, as if marked `// @checkpoint` (default false). */
  checkpointLoops?: boolean;
  /** `'inline'` (default) copies the runtime's helpers into each companion; `'import'` imports them from @adjoint/runtime. */
  runtime?: 'inline' | 'import';
}

/** What ts-patch hands a program transformer besides the program. */
export interface ProgramTransformerExtras {
  ts: typeof ts;
}

/**
 * tsc prints every diagnostic as `TS<number>`. Adjoint's code `ADnnnn` is reported as number
 * `990000 + nnnn` (clear of TypeScript's own codes) and its message starts with `ADnnnn:`.
 */
export const DIAGNOSTIC_CODE_BASE = 990_000;

const MISCONFIGURED =
  '@adjoint/tsc-plugin is a ts-patch program transformer: write its entry in compilerOptions.plugins as { "transform": "@adjoint/tsc-plugin", "transformProgram": true } and build with tspc.';

export default function adjointProgramTransformer(
  program: ts.Program,
  host: ts.CompilerHost | undefined,
  config: AdjointPluginConfig = {},
  extras?: ProgramTransformerExtras,
): ts.Program {
  const tsi = extras?.ts;
  if (!tsi || typeof (tsi as { createProgram?: unknown }).createProgram !== 'function') {
    // Configured without "transformProgram": ts-patch calls this at emit as a source transformer,
    // (program, config, extras): too late to add companions, but not too late to say so.
    const sourceExtras = config as unknown as { addDiagnostic?: (d: ts.Diagnostic) => void; ts?: typeof ts };
    if (typeof sourceExtras.addDiagnostic === 'function' && sourceExtras.ts) {
      sourceExtras.addDiagnostic({
        category: sourceExtras.ts.DiagnosticCategory.Error,
        code: DIAGNOSTIC_CODE_BASE,
        file: undefined,
        start: undefined,
        length: undefined,
        messageText: MISCONFIGURED,
      });
      return ((_context: ts.TransformationContext) => (sourceFile: ts.SourceFile) => sourceFile) as unknown as ts.Program;
    }
    throw new Error(MISCONFIGURED);
  }
  // the compiler ts-patch runs: a TypeScript other than 6 cannot be patched for this plugin
  const problem = unsupportedTypeScript(tsi.version);
  if (problem) throw new Error(problem);
  const options = program.getCompilerOptions();
  const sources = program
    .getSourceFiles()
    .filter(
      (sf) =>
        !sf.isDeclarationFile &&
        !program.isSourceFileFromExternalLibrary(sf) &&
        !program.isSourceFileDefaultLibrary(sf) &&
        !/[\\/]node_modules[\\/]/.test(sf.fileName) &&
        isCompilableSourcePath(sf.fileName) &&
        mayHoldMark(sf.text),
    );
  const generatedOnDisk = program.getSourceFiles().some((sf) => sourcePathFor(sf.fileName) !== undefined && isGeneratedText(sf.text));
  if (sources.length === 0 && !program.getResolvedProjectReferences()?.length && !generatedOnDisk) return program;

  const baseHost = host ?? tsi.createCompilerHost(options);
  const result = compileSync(
    sources.map((sf) => ({ path: sf.fileName, text: sf.text })),
    {
      header: config.header ?? true,
      checkpointLoops: config.checkpointLoops ?? false,
      runtime: config.runtime ?? 'inline',
      host: { readFile: (fileName) => baseHost.readFile(fileName) },
    },
  );
  const companions = new Map<string, string>();
  for (const output of result.outputs) companions.set(normalize(output.companionPath), output.text);

  const stale = leftBehind(program, baseHost, sources, new Set(result.unmarked.map(normalize)), companions);
  const virtualHost = withCompanions(
    tsi,
    baseHost,
    options,
    companions,
    referencedCompanions(tsi, program, baseHost),
    new Set(stale.keys()),
  );
  const rootNames = [
    ...new Set([...program.getRootFileNames().filter((f) => !stale.has(normalize(f))), ...result.outputs.map((o) => o.companionPath)]),
  ];
  const next = tsi.createProgram({
    rootNames,
    options,
    host: virtualHost,
    oldProgram: program,
    projectReferences: program.getProjectReferences(),
    configFileParsingDiagnostics: program.getConfigFileParsingDiagnostics(),
  });
  // The companions are roots, so that they are emitted even where nothing in the project imports
  // them (and `composite` accepts them), but the build info records the configured roots only:
  // `tsc -b` compares those with the tsconfig's files to decide whether a project is up to date.
  const configuredRoots = program.getRootFileNames();
  next.getRootFileNames = () => configuredRoots;
  hideCompanionRoots(next, companions);
  const diagnostics = [...result.diagnostics, ...[...stale.values()]];
  if (diagnostics.length > 0) reportDiagnostics(tsi, next, diagnostics);
  return next;
}

/**
 * Companions on disk that Adjoint generated and that are left behind: their source no longer marks
 * a function, or no longer exists. They are hidden from the program (an import of one fails as an
 * import of a missing module does) and each is reported (AD5009), so that no stale gradient is
 * type-checked or emitted. By normalized path.
 */
function leftBehind(
  program: ts.Program,
  host: ts.CompilerHost,
  compiled: readonly ts.SourceFile[],
  unmarked: ReadonlySet<string>,
  companions: ReadonlyMap<string, string>,
): Map<string, Diagnostic> {
  const stale = new Map<string, Diagnostic>();
  for (const file of program.getSourceFiles()) {
    const sourcePath = sourcePathFor(file.fileName);
    if (sourcePath === undefined || companions.has(normalize(file.fileName)) || !isGeneratedText(file.text)) continue;
    const source = program.getSourceFile(sourcePath);
    const why = source
      ? (!compiled.includes(source) || unmarked.has(normalize(sourcePath))) && `'${sourcePath}' no longer marks a function`
      : !host.fileExists(sourcePath) && `its source '${sourcePath}' no longer exists`;
    // (on the source where there is one: tsc prints no file's diagnostics while there are global ones)
    const location = source && { file: source.fileName, line: 1, column: 1, length: 0 };
    if (why) stale.set(normalize(file.fileName), createDiagnostic('AD5009', { path: file.fileName, reason: why }, location || undefined));
  }
  return stale;
}

/** An incremental build info reads a file's roothood from why it was included: say it was only imported. */
function hideCompanionRoots(program: ts.Program, companions: Map<string, string>): void {
  type Reason = { kind: number };
  const withReasons = program as ts.Program & { getFileIncludeReasons?: () => Map<string, Reason[]> };
  const getFileIncludeReasons = withReasons.getFileIncludeReasons?.bind(program);
  if (!getFileIncludeReasons) return;
  const companionPaths = new Set(
    [...companions.keys()]
      .map((f) => (program.getSourceFile(f) as (ts.SourceFile & { path?: string }) | undefined)?.path)
      .filter((p) => p !== undefined),
  );
  const ROOT_FILE = 0; // ts.FileIncludeKind.RootFile
  let hidden: Map<string, Reason[]> | undefined;
  withReasons.getFileIncludeReasons = () => {
    if (!hidden) {
      hidden = new Map(getFileIncludeReasons());
      for (const companion of companionPaths) {
        const reasons = hidden.get(companion);
        if (reasons)
          hidden.set(
            companion,
            reasons.filter((r) => r.kind !== ROOT_FILE),
          );
      }
    }
    return hidden;
  };
}

function normalize(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}

/**
 * A compiler host that also holds the companions: it says they exist, reads their text, parses
 * them, and resolves `./foo.grad` (or `./foo.grad.js`) to them even where the original host
 * resolves modules itself or caches a failed resolution.
 */
/**
 * Companions of referenced projects (`tsc -b`): a project that imports `../lib/foo.grad.js` gets
 * the declaration file the referenced project emitted for its companion, as it gets `foo.d.ts`
 * for `../lib/foo.js`. Maps the companion's source path to that declaration file, if it exists.
 */
function referencedCompanions(tsi: typeof ts, program: ts.Program, host: ts.CompilerHost): (companionPath: string) => string | undefined {
  const projects: ts.ParsedCommandLine[] = [];
  const visit = (references: readonly (ts.ResolvedProjectReference | undefined)[] | undefined) => {
    for (const reference of references ?? []) {
      if (!reference || projects.includes(reference.commandLine)) continue;
      projects.push(reference.commandLine);
      visit(reference.references);
    }
  };
  visit(program.getResolvedProjectReferences());
  const ignoreCase = !host.useCaseSensitiveFileNames();
  return (companionPath) => {
    const sourcePath = companionPath.replace(/\.grad\.(m|c)?ts$/, '.$1ts');
    for (const project of projects) {
      const source = project.fileNames.find((f) => normalize(f) === sourcePath);
      if (!source) continue;
      // The companion's outputs sit beside its source's: `foo.d.ts` → `foo.grad.d.ts`.
      const sourceDeclaration = tsi.getOutputFileNames(project, source, ignoreCase).find((f) => /\.d\.(m|c)?ts$/.test(f));
      const declaration = sourceDeclaration?.replace(/\.d\.(m|c)?ts$/, '.grad.d.$1ts');
      if (declaration && host.fileExists(declaration)) return normalize(declaration);
    }
    return undefined;
  };
}

function withCompanions(
  tsi: typeof ts,
  host: ts.CompilerHost,
  options: ts.CompilerOptions,
  companions: Map<string, string>,
  referenced: (companionPath: string) => string | undefined,
  hidden: ReadonlySet<string>,
): ts.CompilerHost {
  const virtual = (fileName: string) => companions.get(normalize(fileName));
  const isHidden = (fileName: string) => hidden.has(normalize(fileName));
  const parsed = new Map<string, ts.SourceFile>();
  const sourceFileOf = (fileName: string, languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions, text: string) => {
    const key = normalize(fileName);
    let sourceFile = parsed.get(key);
    if (!sourceFile) {
      sourceFile = tsi.createSourceFile(fileName, text, languageVersionOrOptions);
      // Builder programs (--incremental, --watch, -b) compare files by version.
      (sourceFile as ts.SourceFile & { version?: string }).version =
        host.createHash?.(text) ?? createHash('sha256').update(text).digest('hex');
      parsed.set(key, sourceFile);
    }
    return sourceFile;
  };
  const wrapped: ts.CompilerHost = Object.create(host);
  wrapped.fileExists = (fileName) => virtual(fileName) !== undefined || (!isHidden(fileName) && host.fileExists(fileName));
  wrapped.readFile = (fileName) => virtual(fileName) ?? (isHidden(fileName) ? undefined : host.readFile(fileName));
  wrapped.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const text = virtual(fileName);
    if (text === undefined && isHidden(fileName)) return undefined;
    return text !== undefined
      ? sourceFileOf(fileName, languageVersionOrOptions, text)
      : host.getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
  };
  if (host.getSourceFileByPath) {
    const byPath = host.getSourceFileByPath.bind(host);
    wrapped.getSourceFileByPath = (fileName, filePath, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
      const text = virtual(fileName);
      if (text === undefined && isHidden(fileName)) return undefined;
      return text !== undefined
        ? sourceFileOf(fileName, languageVersionOrOptions, text)
        : byPath(fileName, filePath, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    };
  }
  const cache = host.resolveModuleNameLiterals
    ? undefined
    : tsi.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  wrapped.resolveModuleNameLiterals = (
    literals,
    containingFile,
    redirectedReference,
    compilerOptions,
    containingSourceFile,
    reusedNames,
  ) => {
    const resolved = host.resolveModuleNameLiterals
      ? host.resolveModuleNameLiterals(literals, containingFile, redirectedReference, compilerOptions, containingSourceFile, reusedNames)
      : literals.map((literal) =>
          tsi.resolveModuleName(
            literal.text,
            containingFile,
            compilerOptions,
            wrapped,
            cache,
            redirectedReference,
            tsi.getModeForUsageLocation(containingSourceFile, literal, compilerOptions),
          ),
        );
    return resolved.map((resolution, i) => {
      // a companion left behind on disk is not there: the import fails as one of a missing module
      if (resolution.resolvedModule && isHidden(resolution.resolvedModule.resolvedFileName)) return { resolvedModule: undefined };
      return resolution.resolvedModule ? resolution : (companionResolution(literals[i]!.text, containingFile) ?? resolution);
    });
  };
  const companionResolution = (specifier: string, containingFile: string): ts.ResolvedModuleWithFailedLookupLocations | undefined => {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(containingFile), specifier);
    for (const [written, extensions] of [
      ['.js', ['.ts']],
      ['.mjs', ['.mts']],
      ['.cjs', ['.cts']],
      ['', ['.ts', '.mts', '.cts']],
    ] as const) {
      if (!base.endsWith(`.grad${written}`)) continue;
      for (const extension of extensions) {
        const candidate = normalize(base.slice(0, base.length - written.length) + extension);
        if (companions.has(candidate)) {
          return { resolvedModule: { resolvedFileName: candidate, extension: extension as ts.Extension, isExternalLibraryImport: false } };
        }
        const declaration = referenced(candidate);
        if (declaration) {
          const declarationExtension = declaration.endsWith('.d.mts') ? '.d.mts' : declaration.endsWith('.d.cts') ? '.d.cts' : '.d.ts';
          return {
            resolvedModule: {
              resolvedFileName: declaration,
              extension: declarationExtension as ts.Extension,
              isExternalLibraryImport: false,
            },
          };
        }
      }
    }
    return undefined;
  };
  return wrapped;
}

/**
 * Adds Adjoint's diagnostics to the program. tsc reads a plain program's diagnostics through
 * `getSemanticDiagnostics`; a builder program (--incremental, --watch, -b) reads each file's
 * through `getProgramDiagnostics`, which it does not cache. Both also decide `noEmitOnError`.
 * A diagnostic without a file joins the global ones.
 */
function reportDiagnostics(tsi: typeof ts, program: ts.Program, diagnostics: Diagnostic[]): void {
  const perFile = new Map<string, ts.Diagnostic[]>();
  const global: ts.Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const sourceFile = diagnostic.location && program.getSourceFile(diagnostic.location.file);
    const converted = toTsDiagnostic(tsi, diagnostic, sourceFile);
    if (sourceFile) {
      const key = normalize(sourceFile.fileName);
      perFile.set(key, [...(perFile.get(key) ?? []), converted]);
    } else {
      global.push(converted);
    }
  }
  const ofFile = (sourceFile?: ts.SourceFile) =>
    sourceFile ? (perFile.get(normalize(sourceFile.fileName)) ?? []) : [...perFile.values()].flat();

  const getSemanticDiagnostics = program.getSemanticDiagnostics.bind(program);
  program.getSemanticDiagnostics = (sourceFile, cancellationToken) => [
    ...getSemanticDiagnostics(sourceFile, cancellationToken),
    ...ofFile(sourceFile),
  ];
  const withProgramDiagnostics = program as ts.Program & {
    getProgramDiagnostics?: (sourceFile: ts.SourceFile) => readonly ts.Diagnostic[];
  };
  const getProgramDiagnostics = withProgramDiagnostics.getProgramDiagnostics?.bind(program);
  if (getProgramDiagnostics) {
    withProgramDiagnostics.getProgramDiagnostics = (sourceFile) => [...getProgramDiagnostics(sourceFile), ...ofFile(sourceFile)];
  }
  if (global.length > 0) {
    const getGlobalDiagnostics = program.getGlobalDiagnostics.bind(program);
    program.getGlobalDiagnostics = (cancellationToken) => [...getGlobalDiagnostics(cancellationToken), ...global];
  }
}

function toTsDiagnostic(tsi: typeof ts, diagnostic: Diagnostic, sourceFile: ts.SourceFile | undefined): ts.Diagnostic {
  const category = diagnostic.category === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning;
  const code = DIAGNOSTIC_CODE_BASE + Number(diagnostic.code.replace(/^\D+/, ''));
  const details: ts.DiagnosticMessageChain[] = [
    ...(diagnostic.notes ?? []).map((note) => ({ messageText: note.message, category: tsi.DiagnosticCategory.Message, code })),
    ...(diagnostic.fix ? [{ messageText: `fix: ${diagnostic.fix}`, category: tsi.DiagnosticCategory.Message, code }] : []),
  ];
  const headline = `${diagnostic.code}: ${diagnostic.message}`;
  const messageText: string | ts.DiagnosticMessageChain =
    details.length > 0 ? { messageText: headline, category, code, next: details } : headline;
  let start: number | undefined;
  let length: number | undefined;
  if (sourceFile && diagnostic.location) {
    const { line, column } = diagnostic.location;
    const lineStarts = sourceFile.getLineStarts();
    const lineStart = lineStarts[Math.min(Math.max(line - 1, 0), lineStarts.length - 1)]!;
    start = Math.min(lineStart + Math.max(column - 1, 0), sourceFile.text.length);
    length = Math.max(0, Math.min(diagnostic.location.length, sourceFile.text.length - start));
  }
  return { file: sourceFile, start, length, category, code, messageText, source: 'adjoint' };
}
