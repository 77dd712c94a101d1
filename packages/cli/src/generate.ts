/**
 * One pass of `adjoint` over the inputs: discover, read, decide what needs compiling (the cache),
 * compile that in one batch, then write or check the companions. It prints nothing: `run` and
 * `watch` report what it returns.
 */
import * as path from 'node:path';
import {
  companionPathFor,
  createDiagnostic,
  sortDiagnostics,
  type CompanionOutput,
  type CompileOptions,
  type CompileResult,
  type Diagnostic,
  type PrettierOptions,
  type SourceFile,
} from '@adjoint/core';
import { nodeHost } from '@adjoint/core/node';
import { CompanionCache, CACHE_FILE_NAME, defaultCacheFile, type CacheEntry } from './cache.js';
import { checkCompanion } from './check.js';
import { DependencyScanner, type Dependencies } from './dependencies.js';
import { discoverSources } from './discover.js';
import { inputWarnings } from './input-warnings.js';
import type { Environment } from './environment.js';
import { ExitCode } from './exit-code.js';
import { readTextIfExists } from './file-system.js';
import { hashParts, hashText } from './hash.js';
import { findLeftBehind, leftBehindDiagnostic, removeLeftBehind, type LeftBehind } from './left-behind.js';
import { companionTarget, displayPath } from './paths.js';
import { projectFormatOptions } from './prettier-config.js';
import { progressOn } from './progress.js';
import { mentionsMark, readSources } from './read-sources.js';
import type { CompanionCounts } from './report.js';
import { removeAbandonedTemporaries, temporariesOf } from './temporary-files.js';
import { writeCompanion } from './write.js';

export interface RunOptions {
  /** Files and folders, absolute or relative to the environment's `cwd`. */
  inputs: string[];
  /** Write companions under this folder instead of beside their sources. */
  outDir?: string;
  /** Write nothing; report each companion that is missing or differs from what would be generated. */
  check?: boolean;
  /** Regenerate on every change until stopped (SIGINT). */
  watch?: boolean;
  /** Use the content-hash cache (default true); `--no-cache` turns it off. Never used by `--check`. */
  cache?: boolean;
  /** Keep the cache file in this folder instead of node_modules/.cache/adjoint. */
  cacheDir?: string;
  /** Checkpoint every loop that is not inside another loop (the compile option `checkpointLoops`). */
  checkpointLoops?: boolean;
  /** Import the runtime's helpers from @adjoint/runtime instead of copying them in (the compile option `runtime: 'import'`). */
  importRuntime?: boolean;
  /** Print the IR after each pass (true) or after the named one, and write nothing (dump-ir.ts). */
  dumpIr?: string | true;
}

/** What a pass keeps for the next one (`--watch`): the cache, loaded once. */
export interface PassState {
  cache?: CompanionCache;
}

/** What happened to one source that was compiled. */
export interface CompiledSource {
  source: string;
  /** Where its companion goes. */
  target: string;
  /** written: the companion changed; unchanged: compiled to the same text; failed: errors, or not written. */
  status: 'written' | 'unchanged' | 'failed' | 'none';
  functions: string[];
  /** False for a source compiled only because it brings derivative rules into the program. */
  changed: boolean;
}

export interface PassReport {
  exitCode: ExitCode;
  /** Every diagnostic, in the order printed. */
  diagnostics: Diagnostic[];
  /** Those of them that are warnings of skipped sources, remembered by the cache. */
  replayed: Set<Diagnostic>;
  /** The texts read, by absolute path, for code frames. */
  sourceTexts: Map<string, string>;
  sourceFiles: number;
  counts: CompanionCounts;
  /** The sources handed to the compiler, in order, and what became of each. */
  compiled: CompiledSource[];
  /** Milliseconds spent in the compiler. */
  compileMs: number;
  /** The compiler threw (a bug in Adjoint, reported as AD9001 for the sources that made it throw). */
  crashed: boolean;
  /** The project modules the sources import, inputs or not: `--watch` watches them too. */
  dependencies: string[];
  /** The companions removed because their source no longer marks a function or is gone. */
  removed: LeftBehind[];
}

/** Where the companions go: `base` is mirrored under `outDir`, or companions stay beside their sources. */
interface Placement {
  base: string;
  outDir: string | undefined;
}

export async function runPass(options: RunOptions, env: Environment, state: PassState = {}): Promise<PassReport> {
  const discovery = await discoverSources(options.inputs, env.cwd, env.fs);
  const read = await readSources(discovery.files, env.cwd, env.fs);
  const marked = read.sources.filter(mentionsMark);
  const placement: Placement = {
    base: discovery.base,
    outDir: options.outDir === undefined ? undefined : path.resolve(env.cwd, options.outDir),
  };
  const targetOf = (source: string) => companionTarget(companionPathFor(source), placement.base, placement.outDir);
  const style = await projectFormatOptions(marked.map((source) => targetOf(source.path)));
  const styleOf = (source: string) => style.get(targetOf(source));

  const plan: Plan =
    options.check || options.cache === false
      ? { toCompile: marked, changed: new Set(marked.map((s) => s.path)), fresh: [], keys: undefined, dependencies: [] }
      : await planWithCache(marked, targetOf, options, discovery.base, env, state, styleOf);

  const started = performance.now();
  const progress = progressOn(env.stderr, env.cwd);
  // the compiler writes each companion's imports relative to where it goes (under --out-dir or not)
  const toCompile = plan.toCompile.map((source) => ({ ...source, companionPath: targetOf(source.path) }));
  const compiled = await compileResiliently(toCompile, env, {
    onProgress: (done, total, sourcePath) => progress.update(done, total, sourcePath),
    checkpointLoops: options.checkpointLoops === true,
    runtime: options.importRuntime === true ? 'import' : 'inline',
    formatOptions: (companionPath) => styleOf(companionPath.replace(/\.grad\.([mc]?ts)$/, '.$1')),
  });
  progress.end();
  const compileMs = performance.now() - started;

  const emitted = options.check ? await checkAll(compiled.outputs, targetOf, env) : await writeAll(compiled.outputs, targetOf, env);

  const unmarkedByCompiler = new Set(compiled.unmarked);
  const compiledSources: CompiledSource[] = plan.toCompile.map((source) => {
    const output = compiled.outputs.find((o) => o.sourcePath === source.path);
    const status = output ? (emitted.statusOf.get(output) ?? 'failed') : unmarkedByCompiler.has(source.path) ? 'none' : 'failed';
    return {
      source: source.path,
      target: targetOf(source.path),
      status,
      functions: output?.functions ?? [],
      changed: plan.changed.has(source.path),
    };
  });

  // Companions of sources that no longer mark a function, or whose source is gone.
  const unmarked = new Set([
    ...read.sources.filter((source) => !mentionsMark(source)).map((source) => source.path),
    ...compiledSources.filter((source) => source.status === 'none').map((source) => source.source),
    ...plan.fresh.filter(({ entry }) => entry.companion === null).map(({ source }) => source),
  ]);
  // the temporary files in the folders searched, and those of the companions of files named
  const temporaries = new Set(discovery.temporaries);
  for (const file of discovery.inputFiles) for (const temporary of await temporariesOf(env.fs, targetOf(file))) temporaries.add(temporary);
  const leftBehind = await findLeftBehind(env.fs, env.cwd, {
    targets: new Map(discovery.files.map((file) => [file, targetOf(file)])),
    unmarked,
    companions: discovery.companions,
    temporaries,
    folders: discovery.folders,
    files: discovery.inputFiles,
    outDir: placement.outDir === undefined ? undefined : { base: placement.base, dir: placement.outDir },
  });
  const leftBehindDiagnostics = leftBehind.diagnostics;
  let removed: LeftBehind[] = [];
  if (emitted.counts.mode === 'check') {
    leftBehindDiagnostics.push(...leftBehind.found.map((found) => leftBehindDiagnostic(env.cwd, found)));
    emitted.counts.companions += leftBehind.found.length;
    emitted.counts.stale += leftBehind.found.length;
  } else {
    // and the temporary files of companions a killed run was writing
    await removeAbandonedTemporaries(env.fs, temporaries);
    const removal = await removeLeftBehind(env.fs, env.cwd, leftBehind.found);
    removed = removal.removed;
    leftBehindDiagnostics.push(...removal.diagnostics);
    emitted.counts.removed = removed.length;
  }

  const cacheDiagnostics: Diagnostic[] = [];
  const cachedWarnings: Diagnostic[] = [];
  const cache = plan.keys && state.cache;
  // After a compiler crash, nothing this pass compiled is cached: the next one tries again.
  if (plan.keys && cache && !compiled.crashed) {
    for (const result of compiledSources) {
      const key = plan.keys.get(result.source);
      const output = compiled.outputs.find((o) => o.sourcePath === result.source);
      const cacheable = key !== undefined && (result.status === 'written' || result.status === 'unchanged' || result.status === 'none');
      if (!cacheable) {
        cache.delete(result.source);
        continue;
      }
      cache.set(result.source, {
        key: key.key,
        target: result.target,
        companion: output ? hashText(output.text) : null,
        functions: result.functions,
        warnings: warningsFor(result.source, key.dependencies, compiled.diagnostics),
      });
    }
    if (plan.toCompile.length > 0) {
      const saved = await cache.save(env.fs, cache.file ? displayPath(env.cwd, cache.file) : CACHE_FILE_NAME);
      if (saved) cacheDiagnostics.push(saved);
    }
  }
  if (cache) {
    for (const { entry } of plan.fresh) {
      cachedWarnings.push(...entry.warnings);
      if (entry.companion !== null) {
        emitted.counts.companions++;
        if (emitted.counts.mode === 'generate') {
          emitted.counts.unchanged++;
          emitted.counts.cached++;
        }
      }
    }
  }

  const diagnostics = [
    ...discovery.diagnostics,
    ...(await inputWarnings(options.inputs, env.cwd, env.fs, discovery, marked)),
    ...read.diagnostics,
    ...sortDiagnostics([...compiled.diagnostics, ...cachedWarnings]),
    ...emitted.diagnostics,
    ...leftBehindDiagnostics,
    ...cacheDiagnostics,
  ];
  return {
    exitCode: diagnostics.some((d) => d.category === 'error') ? ExitCode.Failure : ExitCode.Success,
    diagnostics,
    replayed: new Set(cachedWarnings),
    sourceTexts: new Map(read.sources.map((source) => [source.path, source.text])),
    sourceFiles: discovery.files.length,
    counts: emitted.counts,
    compiled: compiledSources,
    compileMs,
    crashed: compiled.crashed,
    dependencies: plan.dependencies,
    removed,
  };
}

interface SourceKey {
  key: string;
  dependencies: Dependencies;
}

interface Plan {
  /** The sources to hand to the compiler, in discovery order. */
  toCompile: Array<{ path: string; text: string }>;
  /** Those of them that are out of date (the others bring derivative rules into the program). */
  changed: Set<string>;
  /** Sources whose companion is known to be up to date, with their cache entries. */
  fresh: Array<{ source: string; entry: CacheEntry }>;
  /** The cache key of every source that may be cached. */
  keys: Map<string, SourceKey> | undefined;
  dependencies: string[];
}

/**
 * Decides which marked sources need compiling. A source is up to date when its cache entry has
 * the same key and target, and the companion on disk still has the recorded hash.
 *
 * Derivative rules are the one way a file can change another's companion without being imported
 * by it: the compiler gathers the rules of every module in the program, so the companion of a.ts
 * can depend on a rule that reaches the program through b.ts. Hence every key includes the texts
 * of all modules holding rules, and a batch that compiles anything also includes the sources
 * through which rules enter the program, so that it sees the program a full run sees.
 */
async function planWithCache(
  marked: Array<{ path: string; text: string }>,
  targetOf: (source: string) => string,
  options: RunOptions,
  base: string,
  env: Environment,
  state: PassState,
  /** The project's Prettier options for a source's companion: part of its key. */
  styleOf: (source: string) => PrettierOptions | undefined,
): Promise<Plan> {
  if (!state.cache) {
    const compiler = await env.compilerVersion();
    const file =
      options.cacheDir !== undefined
        ? path.join(path.resolve(env.cwd, options.cacheDir), CACHE_FILE_NAME)
        : await defaultCacheFile(env.fs, base);
    state.cache = await CompanionCache.load(env.fs, file, compiler);
  }
  const cache = state.cache;

  const scanner = new DependencyScanner((file) => readTextIfExists(env.fs, file).catch(() => undefined));
  for (const source of marked) scanner.know(source.path, source.text);
  const dependencies = new Map<string, Dependencies>();
  for (const source of marked) dependencies.set(source.path, await scanner.dependenciesOf(source.path));

  const ruleModules = new Map<string, string>();
  const noteRules = (file: string, text: string | undefined) => {
    if (text?.includes('@adjointOf')) ruleModules.set(file, scanner.hash(file, text));
  };
  for (const source of marked) {
    noteRules(source.path, source.text);
    for (const module of dependencies.get(source.path)!.modules.keys()) noteRules(module, await scanner.text(module));
  }
  const rulesKey = hashParts([...ruleModules].sort(byFirst).flat());
  const bringsRules = (source: string) =>
    ruleModules.has(source) || [...dependencies.get(source)!.modules.keys()].some((module) => ruleModules.has(module));

  const keys = new Map<string, SourceKey>();
  const fresh: Plan['fresh'] = [];
  const changed = new Set<string>();
  for (const source of marked) {
    const deps = dependencies.get(source.path)!;
    const target = targetOf(source.path);
    if (deps.uncertain) {
      changed.add(source.path);
      continue;
    }
    const key = hashParts([
      'source',
      source.path,
      scanner.hash(source.path, source.text),
      'target',
      target,
      'rules',
      rulesKey,
      'modules',
      ...[...deps.modules].sort(byFirst).flat(),
      'absent',
      ...[...deps.absent].sort(),
      'options',
      options.checkpointLoops === true ? 'checkpoint-loops' : '',
      options.importRuntime === true ? 'import-runtime' : '',
      'style',
      JSON.stringify(styleOf(source.path) ?? null),
    ]);
    keys.set(source.path, { key, dependencies: deps });
    const entry = cache.get(source.path);
    if (entry && entry.key === key && entry.target === target && (await companionMatches(env, target, entry.companion))) {
      fresh.push({ source: source.path, entry });
    } else {
      changed.add(source.path);
    }
  }
  const context = new Set(marked.filter((source) => bringsRules(source.path)).map((source) => source.path));
  const toCompile = changed.size === 0 ? [] : marked.filter((source) => changed.has(source.path) || context.has(source.path));
  const all = new Set<string>();
  for (const deps of dependencies.values()) for (const module of deps.modules.keys()) all.add(module);
  return { toCompile, changed, fresh, keys, dependencies: [...all].sort() };
}

/**
 * Compiles `sources` in one call. The compiler should never throw for bad input; if it does
 * anyway (a bug in Adjoint), the batch is split in halves until the sources that make it throw
 * are found: each gets an internal error (AD9001) naming it, and every other source still gets its
 * companion. (Halves may miss a derivative rule that another half brings; nothing of such a pass
 * is cached, and `--check` compares with a whole compile.)
 */
async function compileResiliently(
  sources: readonly SourceFile[],
  env: Environment,
  options: CompileOptions,
): Promise<CompileResult & { crashed: boolean }> {
  const result: CompileResult & { crashed: boolean } = { outputs: [], diagnostics: [], unmarked: [], crashed: false };
  const attempt = async (batch: readonly SourceFile[]): Promise<void> => {
    try {
      const compiled = await env.compile([...batch], { ...options, host: nodeHost });
      result.outputs.push(...compiled.outputs);
      result.diagnostics.push(...compiled.diagnostics);
      result.unmarked.push(...compiled.unmarked);
    } catch (error) {
      result.crashed = true;
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await attempt(batch.slice(0, half));
        await attempt(batch.slice(half));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      result.diagnostics.push(createDiagnostic('AD9001', { functions: displayPath(env.cwd, batch[0]!.path), error: message }));
      if (env.debug && error instanceof Error && error.stack) env.stderr.write(`${error.stack}\n`);
    }
  };
  if (sources.length > 0) await attempt(sources);
  return result;
}

/** The companion on disk has the recorded hash (or none is expected). */
async function companionMatches(env: Environment, target: string, companion: string | null): Promise<boolean> {
  if (companion === null) return true;
  try {
    const text = await readTextIfExists(env.fs, target);
    return text !== undefined && hashText(text) === companion;
  } catch {
    return false;
  }
}

/**
 * The warnings to print again when `source` is skipped: those located in it, and those located
 * in a module it imports.
 */
function warningsFor(source: string, dependencies: Dependencies, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter(
    (d) =>
      d.category === 'warning' && d.location !== undefined && (d.location.file === source || dependencies.modules.has(d.location.file)),
  );
}

const byFirst = (a: readonly [string, string], b: readonly [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

interface Emitted {
  counts: CompanionCounts;
  diagnostics: Diagnostic[];
  statusOf: Map<CompanionOutput, 'written' | 'unchanged' | 'failed'>;
}

async function writeAll(outputs: readonly CompanionOutput[], targetOf: (source: string) => string, env: Environment): Promise<Emitted> {
  const counts = { mode: 'generate' as const, companions: 0, unchanged: 0, cached: 0, removed: 0 };
  const diagnostics: Diagnostic[] = [];
  const statusOf = new Map<CompanionOutput, 'written' | 'unchanged' | 'failed'>();
  for (const output of outputs) {
    const target = targetOf(output.sourcePath);
    const result = await writeCompanion(env.fs, target, output.text, displayPath(env.cwd, target));
    statusOf.set(output, result.status);
    if (result.status === 'failed') {
      diagnostics.push(result.diagnostic);
      continue;
    }
    counts.companions++;
    if (result.status === 'unchanged') counts.unchanged++;
  }
  return { counts, diagnostics, statusOf };
}

async function checkAll(outputs: readonly CompanionOutput[], targetOf: (source: string) => string, env: Environment): Promise<Emitted> {
  const counts = { mode: 'check' as const, companions: 0, stale: 0 };
  const diagnostics: Diagnostic[] = [];
  const statusOf = new Map<CompanionOutput, 'written' | 'unchanged' | 'failed'>();
  for (const output of outputs) {
    const target = targetOf(output.sourcePath);
    const result = await checkCompanion(env.fs, target, output.text, displayPath(env.cwd, target));
    if (result.status !== 'fresh') diagnostics.push(result.diagnostic);
    statusOf.set(output, result.status === 'fresh' ? 'unchanged' : 'failed');
    if (result.status === 'failed') continue;
    counts.companions++;
    if (result.status === 'stale') counts.stale++;
  }
  return { counts, diagnostics, statusOf };
}
