/**
 * Everything one companion module holds besides its exports: the functions its marked functions
 * call, each emitted once. For a callee g there is
 *
 *   g                a copy of g, for the forward sweeps (a callee need not be exported)
 *   backprop_g       g's forward and reverse sweep for one choice of differentiated parameters:
 *                    given g's arguments, the shadows of its container arguments and the adjoint
 *                    of its result, it adds into the shadows and returns the value and the adjoints
 *                    of its number arguments
 *   backprop_g_part2, …
 *                    the parts of a backprop (or of a copy) too long for V8 to optimise as one
 *                    function (split-plan.ts)
 *
 *   forward_g, reverse_g
 *                    for a g that recurses: the two sweeps of backprop_g, called apart
 *                    (recursive-calls.ts)
 *
 * A call is differentiated by calling backprop_g again in the caller's reverse sweep (the call is
 * replayed from its saved arguments, so only the arguments go on the tape); a call of a function
 * that recurses by forward_g in the forward sweep and reverse_g in the reverse. Marked functions
 * get their backprop too, and their exports wrap it, so a marked function called by another one
 * shares its adjoint code. Functions are generated on request, until no request is left;
 * recursion asks for a function already being generated and gets its name.
 */
import type { FunctionDecl, RawDecl } from '../../ir/code.js';
import { sharedContainersTape, tapeClass, type TapeKind, type TapeNames, type TapeStyle } from './tape.js';
import { revolveClass } from './checkpoint-schedule.js';
import { tripCountFunction } from './trip-count.js';
import { LoopShadows } from './loop-shadows.js';
import { withPattern, type SsaFunction } from '../../ir/ssa.js';
import { backpropName, forwardSweepName, reverseSweepName, type Namer } from '../../naming.js';
import type { Callee } from '../2-lower/callees.js';
import type { Analyses, Analysis, CalleeSummaries } from '../../analysis/index.js';
import { DEFAULT_MAX_PART_SIZE } from './split-plan.js';
import { RecursiveFunctions } from './recursive-functions.js';
import { RUNTIME_PACKAGE, runtimeDeclarationText, type RuntimeHelper, type RuntimeMode } from '../../runtime/helpers.js';
import type { TapeLocalNames } from './tape-in-locals.js';

/** A function of the program the companion can differentiate. */
export interface ProgramFunction {
  ssa: SsaFunction;
  /** The companion's name for a module-level constant the function reads. */
  globalName: (name: string) => string;
  /** `file.ts:12`, for doc comments. */
  sourceLabel: string;
}

/**
 * The code generators of the functions a companion holds (functions.ts), handed to the module so
 * that they can ask it for the functions they call without the module importing them back.
 */
export interface FunctionGenerators {
  /** A copy of g for the forward sweeps. */
  primal(module: CompanionModule, fn: ProgramFunction, name: string): FunctionDecl[];
  /** g's backprop, for the differentiated parameters of `ssa` (g specialised); with g's value or without it (BackpropUse). */
  backprop(
    module: CompanionModule,
    fn: ProgramFunction,
    ssa: SsaFunction,
    analysis: Analysis,
    name: string,
    use: BackpropUse,
  ): FunctionDecl[];
  /** forward_g and reverse_g of a recursive g (recursive-calls.ts). */
  sweepsApart(
    module: CompanionModule,
    fn: ProgramFunction,
    ssa: SsaFunction,
    analysis: Analysis,
    names: { forward: string; reverse: string },
    paramsReadAgain: boolean[],
  ): FunctionDecl[];
}

/**
 * Who calls a backprop: an export, which returns g's value with its gradient, or a caller's reverse
 * sweep, which has the value from its own forward sweep and reads only the adjoints (then the
 * backprop does not return the value, and what it computed only for the value is dropped).
 */
export type BackpropUse = 'export' | 'reverse sweep';

/** An import the companion needs: a user's derivative rule, or a function from a package. */
export interface CompanionImport {
  module: string;
  name: string;
  local: string;
}

export class CompanionModule {
  /** The functions generated so far, in order (add). */
  private readonly generated: FunctionDecl[] = [];
  readonly imports: CompanionImport[] = [];
  /** The local names claimed for imports not written yet (reserveImport), by module and name. */
  private readonly reservedImports = new Map<string, string>();
  private readonly primalNames = new Map<string, string>();
  private readonly primalsRequested = new Set<string>();
  private readonly backpropNames = new Map<string, string>();
  private readonly reservedBackprops = new Map<string, string>();
  private readonly pending: Array<() => FunctionDecl[]> = [];
  private readonly sweepsApartNames = new Map<string, { forward: string; reverse: string }>();
  /** Every function the companion may generate (reserve), and which of them recurse. */
  private readonly keys: string[] = [];
  private readonly recursive: RecursiveFunctions;
  /** The module's tapes, shared by its functions: each pops exactly what it pushed, so they nest. */
  private readonly tapeNames: { className: string; numbers: string; containers: string; values: string; top: string } | undefined;
  private readonly tapesUsed = { numbers: false, containers: false };
  /** The checkpointing schedule's class, declared when a checkpointed loop uses it. */
  private readonly scheduleName: string;
  private scheduleUsed = false;
  private tripCountUsed = false;
  private readonly tripCountName: string;
  /** The helper that checks that arguments do not share storage, claimed when first used. */
  private distinctArgumentsName: string | undefined;

  /** Builds the shadows and copies of nested arrays: by loops in a companion with local tapes (differentiated again). */
  readonly nestedArrays: LoopShadows | undefined;

  constructor(
    readonly namer: Namer,
    /** The program's analyses (memoised): summaries of its functions, activity of each. */
    readonly analyses: Analyses,
    private readonly program: {
      function(key: string): ProgramFunction | undefined;
      callee(key: string): Callee | undefined;
      /** How the companion imports a module that the source imports, or declares `path`. */
      importPath(module: { path?: string; packageName?: string }): string;
    },
    private readonly generators: FunctionGenerators,
    /** Shared tapes (fast), or tapes local to each function (the companion can be differentiated again). */
    readonly tapeStyle: TapeStyle = 'shared',
    /** The size above which a generated function is split into parts (split-plan.ts). */
    readonly maxPartSize: number = DEFAULT_MAX_PART_SIZE,
    /** Copy the runtime's helpers into the companion, or import them from @adjoint/runtime. */
    private readonly runtime: RuntimeMode = 'inline',
    /**
     * Whether exports check that their arguments do not share storage (argument-aliasing.ts); not
     * in the second stage of a hessian companion, whose jvp only hvp_f and hessian_f call, after their own check.
     */
    readonly checksArguments = true,
  ) {
    this.tapeNames =
      tapeStyle === 'shared'
        ? {
            className: namer.claim('Tape'),
            numbers: namer.claim('tape'),
            containers: namer.claim('savedArrays'),
            // the locals a function keeps the tape of numbers in (tape-in-locals.ts)
            values: namer.claim('tapeValues'),
            top: namer.claim('tapeTop'),
          }
        : undefined;
    this.recursive = new RecursiveFunctions(
      (key) => this.program.function(key),
      analyses,
      () => this.keys,
    );
    this.scheduleName = namer.claim('Revolve');
    this.tripCountName = namer.claim('tripCount');
    this.nestedArrays = tapeStyle === 'local' ? new LoopShadows(namer, (helper) => this.add([helper])) : undefined;
  }

  /** What each function of the program does to its arguments, by key. */
  get summaries(): CalleeSummaries {
    return this.analyses.summaries;
  }

  /**
   * Whether a call of the named function may be dropped when nothing reads its result
   * (dead-code.ts): the trip-count helper, or the primal copy of a function that is effect-free
   * (CalleeSummary.effectFree).
   */
  readonly effectFree = (callee: string): boolean => {
    if (callee === this.tripCountName) return true;
    for (const [key, name] of this.primalNames) if (name === callee) return this.summaries(key)?.effectFree ?? false;
    return false;
  };

  /** The name of the binomial checkpointing schedule's class (declared once in the companion). */
  checkpointSchedule(): string {
    this.scheduleUsed = true;
    return this.scheduleName;
  }

  /** The shared tapes' names, for a function that saves values of `kind` (declared once in the companion). */
  sharedTapes(kind: TapeKind): TapeNames {
    if (!this.tapeNames) throw new Error('the companion keeps its tapes local to its functions');
    if (kind === 'container') this.tapesUsed.containers = true;
    else this.tapesUsed.numbers = true;
    return { style: 'shared', numbers: this.tapeNames.numbers, containers: this.tapeNames.containers };
  }

  /** The shared tape of numbers and the names of the locals a function keeps it in, once a function used it. */
  tapeLocals(): TapeLocalNames | undefined {
    const tapes = this.tapeNames;
    return tapes && this.tapesUsed.numbers ? { tape: tapes.numbers, values: tapes.values, top: tapes.top } : undefined;
  }

  /** The name of the function that recomputes a counted loop's trip count (declared once in the companion). */
  tripCount(): string {
    this.tripCountUsed = true;
    return this.tripCountName;
  }

  /**
   * The name of the function that checks that an export's arguments do not share storage
   * (declared once in the companion). Claimed at the first request: ask before naming the locals of
   * the function that calls it.
   */
  distinctArguments(): string {
    this.distinctArgumentsName ??= this.namer.claim('distinctArguments');
    return this.distinctArgumentsName;
  }

  /** The module-level declarations of the tapes and runtime helpers that functions used. */
  declarations(): RawDecl[] {
    const declarations: RawDecl[] = [];
    const tapes = this.tapeNames;
    if (tapes && this.tapesUsed.numbers)
      declarations.push(...this.helper('Tape', tapes.className, tapeClass), {
        kind: 'raw',
        text: `const ${tapes.numbers} = new ${tapes.className}();`,
      });
    if (this.scheduleUsed) declarations.push(...this.helper('Revolve', this.scheduleName, revolveClass));
    if (tapes && this.tapesUsed.containers) declarations.push(sharedContainersTape(tapes.containers));
    if (this.tripCountUsed) declarations.push(...this.helper('tripCount', this.tripCountName, tripCountFunction));
    if (this.distinctArgumentsName)
      declarations.push(...this.helper('distinctArguments', this.distinctArgumentsName, distinctArgumentsDeclaration));
    return declarations;
  }

  /** A runtime helper under the companion's name for it: its copy, or an import (and no declaration). */
  private helper(helper: RuntimeHelper, local: string, copy: (name: string) => RawDecl): RawDecl[] {
    // a companion written to be differentiated again (local tapes) holds its helpers' bodies
    if (this.runtime === 'inline' || this.tapeStyle === 'local') return [copy(local)];
    this.imports.push({ module: RUNTIME_PACKAGE, name: helper, local });
    return [];
  }

  callee(key: string): Callee {
    const callee = this.program.callee(key);
    if (!callee) throw new Error(`no callee '${key}'`);
    return callee;
  }

  /**
   * Claims the module-level names of the functions the companion may generate or import, before
   * any function is generated: a function's local names are then chosen around them.
   */
  reserve(keys: string[]): void {
    this.keys.push(...keys);
    for (const key of keys) {
      const callee = this.program.callee(key);
      const fn = this.program.function(key);
      // (and the loop-built shadows of its values, in a companion differentiated again)
      if (fn && this.nestedArrays) fn.ssa.values.forEach((v) => this.nestedArrays!.reserve(v.type));
      if (fn) {
        if (!this.importsPrimal(key)) this.primalNames.set(key, this.namer.claim(callee?.name ?? fn.ssa.name));
        this.reservedBackprops.set(key, this.namer.claim(backpropName(fn.ssa.name)));
      }
      // (an ambient function keeps its name, which the pipeline claimed before any other)
      if (callee && !fn && !callee.ambient)
        this.importName(this.program.importPath({ packageName: callee.packageName, path: callee.file?.path }), callee.name);
      if (callee?.rule && !callee.rule.wrt) this.ruleName(key);
      // (a rule for some parameters only, and the grad_f it serves, are imported where a call uses them)
      if (callee?.rule?.wrt) {
        this.reserveImport(this.program.importPath({ path: callee.rule.path }), callee.rule.name);
        if (callee.file) this.reserveImport(this.program.importPath({ path: callee.file.path }), callee.name);
      }
    }
  }

  /** The name the forward sweep calls g by: the copy of g, or g itself when it has no body. */
  primalName(key: string): string {
    const fn = this.program.function(key);
    if (!fn || this.importsPrimal(key)) {
      const callee = this.callee(key);
      if (callee.ambient) return callee.name;
      return this.importName(this.program.importPath({ packageName: callee.packageName, path: callee.file?.path }), callee.name);
    }
    // (a marked function no one calls is not a callee: jacobian_f calls its copy)
    const name = this.primalNames.get(key) ?? this.namer.claim(this.program.callee(key)?.name ?? fn.ssa.name);
    this.primalNames.set(key, name);
    if (!this.primalsRequested.has(key)) {
      this.primalsRequested.add(key);
      this.pending.push(() => this.generators.primal(this, fn, name));
    }
    return name;
  }

  /**
   * True for grad_f of a companion with second-order exports, which has Adjoint's own rule (a rule
   * for some parameters only, rules.ts): the forward sweeps call the companion's grad_f, with its
   * fast shared tapes, not a copy of the view Adjoint reads it through.
   */
  private importsPrimal(key: string): boolean {
    return this.program.callee(key)?.rule?.wrt !== undefined;
  }

  /** The name of g's backprop for the given differentiated parameters, as `use` calls it. */
  backpropName(key: string, pattern: boolean[], use: BackpropUse): string {
    const id = `${key}(${pattern.map(Number).join('')}) for ${use}`;
    let name = this.backpropNames.get(id);
    if (!name) {
      const fn = this.program.function(key);
      if (!fn) throw new Error(`no body to differentiate for '${key}'`);
      // the first backprop of g takes the name reserved for it, the others a name of their own
      const reserved = this.reservedBackprops.get(key);
      this.reservedBackprops.delete(key);
      const claimed = reserved ?? this.namer.claim(backpropName(fn.ssa.name));
      name = claimed;
      this.backpropNames.set(id, name);
      this.pending.push(() => {
        const specialised = withPattern(fn.ssa, pattern);
        return this.generators.backprop(this, fn, specialised, this.analyses.of(specialised), claimed, use);
      });
    }
    return name;
  }

  /**
   * True when a call of g is reversed by g's two sweeps called apart, without replaying g
   * (recursive-calls.ts): g recurses or runs a loop, has a body and no derivative rule, and the
   * companion's tapes are shared.
   */
  reversesApart(key: string): boolean {
    return (
      this.tapeStyle === 'shared' &&
      this.program.function(key) !== undefined &&
      !this.program.callee(key)?.rule &&
      this.recursive.reversedApart(key)
    );
  }

  /** The names of g's forward and reverse sweeps called apart, for the given differentiated parameters. */
  sweepNames(key: string, pattern: boolean[]): { forward: string; reverse: string } {
    const id = `${key}(${pattern.map(Number).join('')})`;
    let names = this.sweepsApartNames.get(id);
    if (!names) {
      const fn = this.program.function(key)!;
      const claimed = {
        forward: this.namer.claim(forwardSweepName(fn.ssa.name)),
        reverse: this.namer.claim(reverseSweepName(fn.ssa.name)),
      };
      names = claimed;
      this.sweepsApartNames.set(id, claimed);
      this.pending.push(() => {
        const specialised = withPattern(fn.ssa, pattern);
        return this.generators.sweepsApart(
          this,
          fn,
          specialised,
          this.analyses.of(specialised),
          claimed,
          this.recursive.paramsReadAgain(key),
        );
      });
    }
    return names;
  }

  /** The local name of a user's derivative rule for g. */
  ruleName(key: string): string {
    const rule = this.callee(key).rule!;
    return this.importName(this.program.importPath({ path: rule.path }), rule.name);
  }

  /** Generates every requested function, including those requested while generating. */
  generatePending(): void {
    for (let next = this.pending.shift(); next; next = this.pending.shift()) this.add(next());
  }

  /** Adds generated functions to the companion (forward mode's tangent functions, forward-mode/module.ts). */
  add(functions: FunctionDecl[]): void {
    this.generated.push(...functions);
  }

  /** The functions the companion holds besides its exports, in the order they were generated. */
  get functions(): readonly FunctionDecl[] {
    return this.generated;
  }

  private importName(module: string, name: string): string {
    const existing = this.imports.find((i) => i.module === module && i.name === name);
    if (existing) return existing.local;
    const id = `${module}\0${name}`;
    const local = this.reservedImports.get(id) ?? this.namer.claim(name);
    this.reservedImports.delete(id);
    this.imports.push({ module, name, local });
    return local;
  }

  /** Claims the local name of an import that is written only if a call uses it. */
  private reserveImport(module: string, name: string): void {
    const id = `${module}\0${name}`;
    if (!this.reservedImports.has(id) && !this.imports.some((i) => i.module === module && i.name === name))
      this.reservedImports.set(id, this.namer.claim(name));
  }
}

/** The helper that exports call to check their arguments (argument-aliasing.ts), under the module namer's name for it. */
function distinctArgumentsDeclaration(name: string): RawDecl {
  return { kind: 'raw', text: runtimeDeclarationText('distinctArguments', name) };
}
