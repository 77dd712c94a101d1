/**
 * Which functions of a companion are reversed apart (recursive-calls.ts): those that recurse, and
 * those that run a loop (themselves or in a function they call); and what the reverse sweep of
 * each may read again of its parameters.
 */
import type { CallInstr, SsaFunction } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';
import type { Analyses, Analysis } from '../../analysis/index.js';

/** The program's functions with a body, by key. */
type ProgramFunctions = (key: string) => { ssa: SsaFunction } | undefined;

/** Which functions of a companion are reversed apart, and what their reverse sweeps may read again. */
export class RecursiveFunctions {
  private readonly recursive = new Map<string, boolean>();
  private readonly looping = new Map<string, boolean>();
  private readAgain?: Map<string, boolean[]>;

  constructor(
    private readonly program: ProgramFunctions,
    private readonly analyses: Analyses,
    /** Every function the companion may generate. */
    private readonly keys: () => string[],
  ) {}

  /** True when g can call itself, directly or through other functions. */
  isRecursive(key: string): boolean {
    let known = this.recursive.get(key);
    if (known === undefined) {
      known = this.calledFrom(key).has(key);
      this.recursive.set(key, known);
    }
    return known;
  }

  /** True when g, or a function it calls, has a loop: replaying a call of g would run a loop again. */
  loops(key: string): boolean {
    let known = this.looping.get(key);
    if (known === undefined) {
      known = [key, ...this.calledFrom(key)].some((k) => hasLoop(this.program(k)?.ssa));
      this.looping.set(key, known);
    }
    return known;
  }

  /** The functions g calls, directly or through other functions. */
  private calledFrom(key: string): Set<string> {
    const seen = new Set<string>();
    const pending = calleesOf(this.program(key)?.ssa);
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...calleesOf(this.program(next)?.ssa));
    }
    return seen;
  }

  /** True when a call of g is reversed apart: g recurses, or runs a loop that a replay would run again. */
  reversedApart(key: string): boolean {
    return this.isRecursive(key) || this.loops(key);
  }

  /**
   * For each parameter of g, whether its contents stay as g left them until g's reverse sweep
   * runs: no caller that calls g apart writes the argument after the call, nor passes a parameter
   * of its own that does not stay so (its callers may write it), nor its own result. Computed for
   * every function reversed apart at once, from "every one stays" down until nothing changes.
   */
  paramsReadAgain(key: string): boolean[] {
    this.readAgain ??= this.computeReadAgain();
    return this.readAgain.get(key) ?? [];
  }

  private computeReadAgain(): Map<string, boolean[]> {
    const sites: Array<{ caller: SsaFunction; callerKey: string; analysis: Analysis; call: CallInstr }> = [];
    for (const callerKey of this.keys()) {
      const caller = this.program(callerKey)?.ssa;
      if (!caller) continue;
      const analysis = this.analyses.of(caller);
      forEachInstr(caller.body, (instr) => {
        if (instr.kind === 'call' && this.program(instr.callee) && this.reversedApart(instr.callee))
          sites.push({ caller, callerKey, analysis, call: instr });
      });
    }
    const readAgain = new Map<string, boolean[]>();
    for (const { call } of sites)
      readAgain.set(
        call.callee,
        this.program(call.callee)!.ssa.params.map(() => true),
      );
    for (let changed = true; changed;) {
      changed = false;
      for (const { caller, callerKey, analysis, call } of sites) {
        const { activity } = analysis;
        const own = readAgain.get(callerKey);
        const stays = (arg: number) => {
          if (!activity.isUnwrittenAfter(arg, call)) return false;
          // a caller called apart: its own callers run on before its reverse
          if (!own) return true;
          if (caller.result !== undefined && !activity.isScalar(caller.result) && activity.mayAlias(caller.result, arg)) return false;
          return caller.params.every((p, k) => activity.isScalar(p.value) || own[k] || !activity.mayAlias(p.value, arg));
        };
        const flags = readAgain.get(call.callee)!;
        call.args.forEach((arg, j) => {
          if (flags[j] && !activity.isScalar(arg) && !stays(arg)) {
            flags[j] = false;
            changed = true;
          }
        });
      }
    }
    return readAgain;
  }
}

function hasLoop(fn: SsaFunction | undefined): boolean {
  let found = false;
  if (fn) forEachInstr(fn.body, (instr) => (found ||= instr.kind === 'loop'));
  return found;
}

function calleesOf(fn: SsaFunction | undefined): string[] {
  const keys: string[] = [];
  if (fn) forEachInstr(fn.body, (instr) => instr.kind === 'call' && keys.push(instr.callee));
  return keys;
}
