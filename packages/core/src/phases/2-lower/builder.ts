/** Builds an SSA function: allocates values and appends instructions to the current block. */
import type { Block, Instr, SourceOrigin, SsaParam, ValueId, ValueInfo } from '../../ir/ssa.js';

export class SsaBuilder {
  readonly values: ValueInfo[] = [];
  readonly params: SsaParam[] = [];
  private readonly block: Block = { instrs: [] };

  newValue(hint: string): ValueId {
    const id = this.values.length;
    this.values.push({ id, hint });
    return id;
  }

  addParam(name: string, typeText: string, differentiable: boolean): ValueId {
    const value = this.newValue(name);
    this.params.push({ name, typeText, value, differentiable });
    return value;
  }

  constant(value: number): ValueId {
    return this.push((result) => ({ kind: 'const', result, value }));
  }

  global(name: string): ValueId {
    return this.push((result) => ({ kind: 'global', result, name }));
  }

  prim(op: string, args: ValueId[], origin: SourceOrigin): ValueId {
    return this.push((result) => ({ kind: 'prim', result, op, args, origin }));
  }

  /** Gives a value the name of the source variable it is assigned to (`y = a * b` names `a * b` y). */
  nameAfter(value: ValueId, variable: string): void {
    const info = this.values[value]!;
    if (info.hint === '') info.hint = variable;
  }

  body(): Block {
    return this.block;
  }

  private push(make: (result: ValueId) => Instr): ValueId {
    const instr = make(this.newValue(''));
    this.block.instrs.push(instr);
    return instr.result;
  }
}
