/**
 * How the generated code refers to each SSA value of the primal: constants inline as literals,
 * module constants by their companion name, everything else by the const it is bound to.
 */
import { num, ref } from '../../ir/build.js';
import type { Expr } from '../../ir/code.js';
import type { Instr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { temporaryName, type Namer } from '../../naming.js';

export class PrimalNames {
  private readonly names = new Map<ValueId, string>();
  private readonly inline = new Map<ValueId, Expr>();

  constructor(
    private readonly fn: SsaFunction,
    private readonly namer: Namer,
    globalName: (name: string) => string,
  ) {
    for (const param of fn.params) this.names.set(param.value, namer.claim(param.name));
    for (const instr of fn.body.instrs) {
      if (instr.kind === 'const') this.inline.set(instr.result, num(instr.value));
      if (instr.kind === 'global') this.inline.set(instr.result, ref(globalName(instr.name)));
    }
  }

  /** Names the value an instruction defines; called in program order so names read naturally. */
  define(instr: Instr): string {
    const hint = this.fn.values[instr.result]!.hint;
    const name = this.namer.claim(hint || (instr.kind === 'prim' ? temporaryName(instr.op) : 'value'));
    this.names.set(instr.result, name);
    return name;
  }

  /** True for values that are written inline rather than bound to a const. */
  isInline(value: ValueId): boolean {
    return this.inline.has(value);
  }

  expr(value: ValueId): Expr {
    const inline = this.inline.get(value);
    if (inline) return inline;
    const name = this.names.get(value);
    if (name === undefined) throw new Error(`value ${value} is used before it is named`);
    return ref(name);
  }

  name(value: ValueId): string {
    const name = this.names.get(value);
    if (name === undefined) throw new Error(`value ${value} has no name`);
    return name;
  }
}
