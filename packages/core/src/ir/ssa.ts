/**
 * The SSA intermediate representation that the differentiator works on.
 *
 * A function is a tree of blocks. Every value is defined exactly once, by a parameter or by an
 * instruction, and never changes; a source variable that is reassigned becomes several values
 * (`y`, `y_2`, …). Control flow is structured: an instruction that owns blocks (a branch, a loop)
 * will carry them as its children and name the values they yield, so the reverse sweep can walk
 * the tree backwards without rebuilding a control-flow graph. Straight-line code is one block.
 */

export type ValueId = number;

/** Where an instruction comes from in the source, for comments in the generated code. */
export interface SourceOrigin {
  line: number;
  /** The source text of the expression, collapsed to one line. */
  text: string;
}

export interface ValueInfo {
  id: ValueId;
  /** The source variable this value is a version of, or '' for a temporary. */
  hint: string;
}

/** A number written in the source. */
export interface ConstInstr {
  kind: 'const';
  result: ValueId;
  value: number;
}

/** A module-level constant, referred to by its source name (`K`, or `Math.PI`). */
export interface GlobalInstr {
  kind: 'global';
  result: ValueId;
  name: string;
}

/** An application of a primitive from the rules table (`*`, `Math.sin`, …). */
export interface PrimInstr {
  kind: 'prim';
  result: ValueId;
  op: string;
  args: ValueId[];
  origin: SourceOrigin;
}

export type Instr = ConstInstr | GlobalInstr | PrimInstr;

export interface Block {
  instrs: Instr[];
}

export interface SsaParam {
  name: string;
  /** The parameter's type as written in the source, for the generated signature. */
  typeText: string;
  value: ValueId;
  /** Whether the gradient is taken with respect to this parameter. */
  differentiable: boolean;
}

export interface SsaFunction {
  name: string;
  params: SsaParam[];
  body: Block;
  result: ValueId;
  /** Indexed by ValueId. */
  values: ValueInfo[];
}
