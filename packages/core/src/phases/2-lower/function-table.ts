/**
 * The functions of a program that companions need, lowered once each: the marked ones, and every
 * function they call, transitively (a callee's module may differ from its caller's).
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { SsaFunction } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';
import type { MarkedFunction, ParsedFile } from '../1-parse/index.js';
import type { Callee, CalleeResolver } from './callees.js';
import { lowerFunction, type LoweringOptions } from './index.js';
import { typeErrorsIn } from '../1-parse/type-errors.js';
import { locationOf } from '../1-parse/location.js';

export interface FunctionEntry {
  key: string;
  name: string;
  file: ParsedFile;
  /** Undefined when the function could not be lowered (see diagnostics). */
  ssa?: SsaFunction;
  /** Module-level constants of `file` the function reads. */
  globalsRead: Set<string>;
  diagnostics: Diagnostic[];
}

export class FunctionTable {
  private readonly entries = new Map<string, FunctionEntry>();

  constructor(
    readonly resolver: CalleeResolver,
    private readonly options: LoweringOptions = {},
  ) {}

  static keyOf(file: ParsedFile, name: string): string {
    return `${file.path}#${name}`;
  }

  /** A marked function, lowered (once). */
  marked(file: ParsedFile, marked: MarkedFunction): FunctionEntry {
    return this.lower(FunctionTable.keyOf(file, marked.name), file, { name: marked.name, node: marked.node, marked });
  }

  /** A callee with a body, lowered (once); undefined for one without (it has a rule instead). */
  callee(key: string): FunctionEntry | undefined {
    const callee = this.resolver.callees.get(key);
    if (!callee?.node || !callee.file) return undefined;
    return this.lower(key, callee.file, { name: callee.name, node: callee.node });
  }

  calleeInfo(key: string): Callee | undefined {
    return this.resolver.callees.get(key);
  }

  /** The entries `roots` call, directly or not, roots included, in the order first reached. */
  closure(roots: FunctionEntry[]): FunctionEntry[] {
    const reached = new Map(roots.map((r) => [r.key, r]));
    const pending = [...roots];
    for (let entry = pending.shift(); entry; entry = pending.shift()) {
      if (!entry.ssa) continue;
      forEachInstr(entry.ssa.body, (instr) => {
        if (instr.kind !== 'call' || reached.has(instr.callee)) return;
        const callee = this.callee(instr.callee);
        if (!callee) return;
        reached.set(callee.key, callee);
        pending.push(callee);
      });
    }
    return [...reached.values()];
  }

  private lower(key: string, file: ParsedFile, fn: Parameters<typeof lowerFunction>[1]): FunctionEntry {
    let entry = this.entries.get(key);
    if (entry) return entry;
    entry = { key, name: fn.name, file, globalsRead: new Set(), diagnostics: [] };
    this.entries.set(key, entry);
    try {
      const result = lowerFunction(file, fn, this.resolver, this.options);
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
      entry.diagnostics = [createDiagnostic('AD9001', [fn.name, error instanceof Error ? error.message : String(error)], locationOf(fn.node, file.path))];
    }
    return entry;
  }
}
