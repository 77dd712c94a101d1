/**
 * How the generated code refers to each value of the primal: constants inline as literals,
 * module constants by their companion name, everything else by the variable it is bound to.
 * A container's adjoint is its *shadow*, a container of the same shape named d_<name>.
 * Names are handed out in program order, so they read naturally (`y`, `y_2`, `prod`, …).
 */
import { bool, num, ref } from '../../ir/build.js';
import type { Expr } from '../../ir/code.js';
import type { SsaFunction, ValueId } from '../../ir/ssa.js';
import { forEachInstr, results } from '../../ir/walk.js';
import { adjointName, calleeNameOf, temporaryName, type Namer } from '../../naming.js';

export class PrimalNames {
  private readonly names = new Map<ValueId, string>();
  private readonly inline = new Map<ValueId, Expr>();
  private readonly shadows = new Map<ValueId, string>();

  constructor(
    fn: SsaFunction,
    private readonly namer: Namer,
    globalName: (name: string) => string,
  ) {
    const claim = (v: ValueId, fallback: string) => this.names.set(v, namer.claim(fn.values[v]!.hint || fallback));
    for (const param of fn.params) claim(param.value, param.name);
    forEachInstr(fn.body, (instr) => {
      switch (instr.kind) {
        case 'const':
          this.inline.set(instr.result, typeof instr.value === 'boolean' ? bool(instr.value) : num(instr.value));
          return;
        case 'global':
          this.inline.set(instr.result, ref(globalName(instr.name)));
          return;
        case 'loop':
          // The carried variable holds the parameter in the body and the result after the loop.
          for (const c of instr.carried) {
            claim(c.param, 'carried');
            this.names.set(c.result, this.names.get(c.param)!);
          }
          claim(instr.trips, 'trips');
          return;
        case 'prim':
          claim(instr.result, temporaryName(instr.op));
          return;
        case 'call':
          // named after the function: `square` for square(x)
          if (instr.result !== undefined) claim(instr.result, calleeNameOf(instr.callee));
          return;
        default:
          for (const result of results(instr))
            claim(result, instr.kind === 'if' ? 'merged' : instr.kind === 'load' ? 'element' : instr.kind);
      }
    });
  }

  /** True for values written inline (literals and constants), which are never saved. */
  isInline(value: ValueId): boolean {
    return this.inline.has(value);
  }

  /** The number or boolean a value written inline as a literal holds (undefined for any other value). */
  constantOf(value: ValueId): number | boolean | undefined {
    const e = this.inline.get(value);
    return e?.kind === 'num' || e?.kind === 'bool' ? e.value : undefined;
  }

  expr(value: ValueId): Expr {
    return this.inline.get(value) ?? ref(this.name(value));
  }

  name(value: ValueId): string {
    const name = this.names.get(value);
    if (name === undefined) throw new Error(`value ${value} has no name`);
    return name;
  }

  /** The variables named so far: each value's, and each shadow's, with the value it holds or shadows. */
  *variables(): Iterable<{ name: string; value: ValueId; shadow: boolean }> {
    for (const [value, name] of this.names) yield { name, value, shadow: false };
    for (const [value, name] of this.shadows) yield { name, value, shadow: true };
  }

  /** The name of a container's shadow, d_<name>; the versions of a carried container share one. */
  shadowName(value: ValueId): string {
    const primal = this.name(value);
    let shadow = this.shadows.get(value) ?? [...this.shadows.entries()].find(([v]) => this.names.get(v) === primal)?.[1];
    if (shadow === undefined) shadow = this.namer.claim(adjointName(primal));
    this.shadows.set(value, shadow);
    return shadow;
  }
}
