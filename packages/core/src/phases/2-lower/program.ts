/**
 * Lowering a program: the marked functions of a file, and every function they call, transitively
 * (a callee's module may differ from its caller's), each lowered once and checked by TypeScript,
 * and the module-level constants they read.
 */
import { Node } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { SsaFunction } from '../../ir/ssa.js';
import { calledKeys, forEachInstr } from '../../ir/walk.js';
import type { FunctionNode, MarkedFunction, ParsedFile, ParsedProgram } from '../1-parse/index.js';
import { lineAndColumnAt, locationOf } from '../1-parse/location.js';
import { typeErrorsIn } from '../1-parse/type-errors.js';
import { CalleeResolver, type Callee } from './callees.js';
import { lowerFunction, type FunctionToLower, type LoweringOptions } from './index.js';
import { lowerModuleConstants } from './module-constants.js';
import { THIS } from './methods.js';
import { displayName } from '../1-parse/class-members.js';

export interface FunctionEntry {
  /** Unique in the program: `<module path>#<name>` (functionKey). */
  key: string;
  name: string;
  file: ParsedFile;
  /** The line its declaration starts on (the `const` holding it, for an arrow or function expression). */
  line: number;
  /** Undefined when the function could not be lowered (see diagnostics). */
  ssa?: SsaFunction;
  /** Module-level constants of `file` the function reads. */
  globalsRead: Set<string>;
  /** Its errors: Adjoint's, TypeScript's, or those of the module constants it reads. */
  diagnostics: Diagnostic[];
  /** The function as written (for a copy specialised for the functions it is given, the function it copies). */
  node: FunctionNode;
}

/** A function the companion of a file is generated for. */
export interface LoweredRoot {
  marked: MarkedFunction;
  entry: FunctionEntry;
}

export interface LoweredProgram {
  /** The file's marked functions, in source order. */
  roots: LoweredRoot[];
  /** The functions the roots call, directly or not, roots included, in the order first reached. */
  entries: FunctionEntry[];
  /** The callees found, with and without a body. */
  resolver: CalleeResolver;
  /** For each entry, the entries it calls (none when it could not be lowered). */
  calls: ReadonlyMap<string, readonly string[]>;
}

export function functionKey(file: ParsedFile, name: string): string {
  return `${file.path}#${name}`;
}

/**
 * The key of a marked function: its functionKey, or for a method `<module path>#Class.method`,
 * which no function's key can be (a module function named `Linear_loss`, say, is not the method
 * `Linear.loss` whose companion functions are named so).
 */
function markedKey(file: ParsedFile, marked: MarkedFunction): string {
  return Node.isMethodDeclaration(marked.node) ? `${file.path}#${displayName(marked.node, marked.name)}` : functionKey(file, marked.name);
}

/**
 * Lowers the marked functions of `file`, then, breadth first, the functions with a body that they
 * call. `visible` is the set of modules whose derivative rules apply (the file and the modules it
 * imports, directly or not).
 */
export function lowerProgram(
  program: ParsedProgram,
  file: ParsedFile,
  visible: ReadonlySet<import('ts-morph').SourceFile>,
  options: LoweringOptions = {},
): LoweredProgram {
  const resolver = new CalleeResolver(program, visible);
  const roots = file.functions.map((marked) => ({
    marked,
    entry: lowerEntry(markedKey(file, marked), file, { name: marked.name, node: marked.node, marked }, resolver, options),
  }));
  const reached = new Map(roots.map(({ entry }) => [entry.key, entry]));
  const pending = roots.map(({ entry }) => entry);
  for (let entry = pending.shift(); entry; entry = pending.shift()) {
    if (!entry.ssa) continue;
    forEachInstr(entry.ssa.body, (instr) => {
      if (instr.kind !== 'call' || reached.has(instr.callee)) return;
      const callee = resolver.callees.get(instr.callee);
      if (!callee?.node || !callee.file) return;
      const lowered = lowerEntry(
        instr.callee,
        callee.file,
        { name: callee.name, node: callee.node, specialisation: callee.specialisation, thisShape: callee.thisShape },
        resolver,
        options,
      );
      reached.set(lowered.key, lowered);
      pending.push(lowered);
    });
  }
  const entries = [...reached.values()];
  checkModuleConstants(entries, resolver);
  const calls = new Map(
    entries.map((entry) => [entry.key, entry.ssa ? [...new Set(calledKeys(entry.ssa.body))].filter((key) => reached.has(key)) : []]),
  );
  return { roots, entries, resolver, calls };
}

/** The callee a key names (with or without a body), once the program is lowered. */
export function calleeOf(lowered: LoweredProgram, key: string): Callee | undefined {
  return lowered.resolver.callees.get(key);
}

function lowerEntry(key: string, file: ParsedFile, fn: FunctionToLower, resolver: CalleeResolver, options: LoweringOptions): FunctionEntry {
  const declaration = Node.isVariableDeclaration(fn.node.getParent()) ? fn.node.getParentOrThrow() : fn.node;
  const line = lineAndColumnAt(file.sourceFile, declaration.getStart()).line;
  const entry: FunctionEntry = { key, name: fn.name, file, line, globalsRead: new Set(), diagnostics: [], node: fn.node };
  try {
    const result = lowerFunction(file, fn, resolver, options);
    // Adjoint's own errors say more; TypeScript's are checked in a function Adjoint accepts
    const typeErrors = result.ok ? typeErrorsIn(fn.node, file.path) : [];
    if (typeErrors.length > 0) {
      entry.diagnostics = typeErrors;
    } else if (result.ok) {
      entry.ssa = result.lowered.ssa;
      entry.globalsRead = result.lowered.globalsRead;
    } else {
      entry.diagnostics = result.diagnostics;
    }
  } catch (error) {
    entry.diagnostics = [
      createDiagnostic(
        'AD9001',
        { functions: fn.name, error: error instanceof Error ? error.message : String(error) },
        locationOf(fn.node, file.path),
      ),
    ];
  }
  return entry;
}

/**
 * The module-level constants the functions read are lowered too (they are copied into the
 * companion): a function reading one that cannot be copied (AD1006) fails with it. The errors of a
 * module's constants are reported once, with the first function that reads them.
 */
function checkModuleConstants(entries: FunctionEntry[], resolver: CalleeResolver): void {
  const byFile = new Map<ParsedFile, FunctionEntry[]>();
  for (const entry of entries) byFile.get(entry.file)?.push(entry) ?? byFile.set(entry.file, [entry]);
  for (const [file, readers] of byFile) {
    const all = lowerModuleConstants(file, new Set(readers.flatMap((e) => [...e.globalsRead])), resolver);
    if (all.diagnostics.length === 0) continue;
    const failing = readers.filter(
      (e) => e.globalsRead.size > 0 && lowerModuleConstants(file, e.globalsRead, resolver).diagnostics.length > 0,
    );
    failing[0]?.diagnostics.push(...all.diagnostics);
    for (const entry of failing) entry.ssa = undefined;
  }
}

/**
 * The declaration of a function of the program: a function declaration, or a `const` holding an
 * arrow or function; for a local function or a specialised copy, the function it is made from.
 */
export function declarationOf(entry: FunctionEntry) {
  if (Node.isMethodDeclaration(entry.node)) return entry.node;
  return entry.file.sourceFile.getFunction(entry.name) ?? entry.file.sourceFile.getVariableDeclaration(entry.name) ?? entry.node;
}

/**
 * Which parameters of a marked function are differentiated: those that hold numbers, or the `wrt:`
 * ones among them. A method's instance only when `wrt` names it or a field of it (methods.ts).
 */
export function differentiatedPattern(root: LoweredRoot): boolean[] {
  const wrt = root.marked.options.wrt;
  const named = (name: string) =>
    name === THIS ? wrt?.some((w) => w === THIS || w.startsWith(`${THIS}.`)) === true : wrt === undefined || wrt.includes(name);
  return root.entry.ssa!.params.map((p) => p.differentiable && named(p.name));
}

/** The keys of the functions the functions `keys` call, directly or not, those included (the lowered calls). */
export function reachableFrom(lowered: LoweredProgram, keys: Iterable<string>): Set<string> {
  return closure(keys, (key) => lowered.calls.get(key) ?? []);
}

/**
 * The keys of the functions that call one of the functions `keys`, directly or not, those
 * included: one walk of the calls backwards, however many marked functions ask.
 */
export function reaching(lowered: LoweredProgram, keys: Iterable<string>): Set<string> {
  const callers = new Map<string, string[]>();
  for (const [caller, callees] of lowered.calls)
    for (const callee of callees) callers.get(callee)?.push(caller) ?? callers.set(callee, [caller]);
  return closure(keys, (key) => callers.get(key) ?? []);
}

/** The keys `start` and every key `next` leads to from them, transitively. */
function closure(start: Iterable<string>, next: (key: string) => readonly string[]): Set<string> {
  const reached = new Set(start);
  const pending = [...reached];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    for (const found of next(key)) {
      if (reached.has(found)) continue;
      reached.add(found);
      pending.push(found);
    }
  }
  return reached;
}
