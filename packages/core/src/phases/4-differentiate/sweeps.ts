/**
 * The stages of differentiating a function and what they hand each other. A backprop is built in
 * three stages, each a function of what the one before returned (functions.ts chains them):
 *
 *   1. the reverse sweep (reverse.ts) walks the IR backwards and returns its statements, with
 *      holes where it needs code it can write only once the tape plan is known, and the values it
 *      reads (Need): `ReverseSweepResult`;
 *   2. the tape planner (tape-plan.ts) takes those reads and the blocks the holes restore, and
 *      returns a plan per block: what is pushed on the tape, what is computed again (`TapePlans`);
 *   3. the forward sweep (forward.ts) is written from the plan, and so is the code of the holes.
 *
 * Each instruction kind has its rules for the three sweeps (forward, reverse, and the tangent
 * sweep of forward mode) in one module of instructions/, written against the interfaces below;
 * a loop is differentiated by a loop strategy (loop-strategy.ts).
 */
import type { Expr, Stmt } from '../../ir/code.js';
import type { Block, CallInstr, Instr, LoopInstr, ValueId } from '../../ir/ssa.js';
import type { AroundInnerLoops } from './around-inner-loops.js';
import type { DiffContext, Need } from './context.js';
import type { FunctionFacts } from './facts.js';
import type { TangentContext } from './forward-mode/context.js';

/** An adjoint a block's reverse starts with: d_value += adjoint (a φ's, a carried value's). */
export interface Seed {
  value: ValueId;
  adjoint: Expr;
}

/**
 * Where the reverse sweep leaves room for code it can write only once the tape plan is known. Its
 * statements hold `{ kind: 'hole', id }` there.
 *   restore  the start of a block's reverse: pop what the block's forward sweep pushed, compute
 *            the rest again (`loopBody` when the block is a loop's body: its reverse's counter;
 *            `inScope` when its reverse runs where its forward sweep's values are in scope, as a
 *            fused loop's iteration does: nothing to pop or compute again);
 *   later    code that runs the forward sweep again (a checkpointed loop's schedule driver): it
 *            reads `reads`, and is written from the forward sweep.
 */
export type Hole =
  | { kind: 'restore'; id: number; block: Block; loopBody?: LoopBody; inScope?: boolean }
  | { kind: 'later'; id: number; reads: Need[]; write(forward: ForwardSweep): Stmt[] };

/** What the reverse sweep of a function returns, besides its statements. */
export interface ReverseSweepResult {
  /** In the order they were made: the blocks inside a block come before it. */
  holes: Hole[];
  /** What a loop strategy's reverse left for its forward sweep, by loop. */
  reversals: ReadonlyMap<LoopInstr, unknown>;
  /** The calls reversed by the callee's two sweeps called apart (recursive-calls.ts), with the callee's differentiated parameters. */
  callsApart: ReadonlyMap<CallInstr, boolean[]>;
}

/** The reverse sweep being built, as the rules of the instructions see it. */
export interface ReverseSweep {
  readonly ctx: DiffContext;
  readonly facts: FunctionFacts;
  /**
   * The reverse of a block: its adjoints that start at zero, its seeds, then its instructions
   * backwards, after a restore hole (`inScope`: the reverse runs where the block's values are in
   * scope, and restores none).
   */
  block(block: Block, seeds: Seed[], loopBody?: LoopBody, inScope?: boolean): Stmt[];
  /** Adds to d_v when v is an active number (inactive values and constants take no adjoint). */
  accumulate(value: ValueId, contribution: Expr, comment?: string): Stmt | undefined;
  /** A hole for code written from the forward sweep once the plan is known, which reads `reads`. */
  later(reads: Need[], write: (forward: ForwardSweep) => Stmt[]): Stmt;
  /** Leaves what a loop strategy's forward sweep must know of the loop's reverse. */
  setReversal(loop: LoopInstr, reversal: unknown): void;
  /** Notes that a call is reversed by the callee's reverse sweep, called apart: the forward sweep calls the callee's forward sweep. */
  setCallApart(call: CallInstr, pattern: boolean[]): void;
}

/**
 * The tape plan of a block: of the values its reverse reads, which are pushed on the tape at the
 * end of its forward sweep and which are computed again at the start of its reverse (tape-plan.ts).
 */
export interface TapePlan {
  /** Pushed at the end of the block's forward sweep, popped (in reverse order) at the start of its reverse. */
  saved: Need[];
  /** Loop counters, recomputed from the reverse's own counter. */
  counters: Array<{ value: ValueId; expr: Expr }>;
  /** Computed again after the pops, in program order: the value, and (for a row of a matrix) its shadow. */
  recomputed: Array<{ instr: Instr; primal: boolean; shadow: boolean }>;
  /**
   * Trip counts of counted loops, computed after the recomputed values (trip-count.ts): `expr` is
   * the call of tripCount, or the variable an enclosing block computed it into (around-inner-loops.ts).
   */
  tripCounts: Array<{ value: ValueId; expr: Expr; key: string }>;
  /**
   * Running values, computed last: `after` holds the value after the iteration being reversed (at
   * first the value after the loop); the iteration's own is `after − advance`.
   */
  running: Array<{ value: ValueId; after: string; advance: Expr }>;
  /** Values the body makes from a running value (or from a carried value restored otherwise), computed after them: `base + advance`. */
  madeFromRunning: Array<{ value: ValueId; base: ValueId; advance: Expr }>;
  /**
   * Shadows made again, of zeros, after the pops: those of objects of numbers that calls return
   * and that only field reads use (the forward sweep's start at zero, and nothing there touches them).
   */
  freshShadows: ValueId[];
}

/** The loop whose body a block is, and the name of its reverse's counter (trips … 1). */
export interface LoopBody {
  loop: LoopInstr;
  counter: string;
}

/** The plans of the blocks of one function (tape-plan.ts), and what they found the reverse sweep reads. */
export interface TapePlans {
  /** A block's plan (planned now if it was not among the restored blocks: nothing to restore then). */
  of(block: Block): TapePlan;
  /** Every primal value the reverse sweep reads, wherever it is defined. */
  readonly read: ReadonlySet<ValueId>;
  /** Trip counts and running values the reverse of a block computes for the loops inside it. */
  readonly aroundInnerLoops: AroundInnerLoops;
}

/** The forward sweep, written from the tape plan. */
export interface ForwardSweep {
  readonly ctx: DiffContext;
  readonly facts: FunctionFacts;
  readonly plans: TapePlans;
  /** False in code that runs without the tape (a checkpointed loop's recomputation): no pushes, no shadows. */
  readonly taping: boolean;
  block(block: Block): Stmt[];
  /** A block instruction by instruction: steps[i] computes block.instrs[i]. */
  steps(block: Block): Stmt[][];
  instr(instr: Instr): Stmt[];
  /** The end of a block's forward sweep: push what its reverse reads and cannot compute again. */
  save(block: Block): Stmt[];
  /** True when the forward sweep builds a shadow beside the container: an active container, while taping. */
  hasShadow(value: ValueId): boolean;
  /** What the loop strategy's reverse left for the loop's forward sweep. */
  reversal(loop: LoopInstr): unknown;
  /** The differentiated parameters of a call reversed apart, while taping (recursive-calls.ts). */
  callApart(call: CallInstr): boolean[] | undefined;
  /** The same sweep without the tape. */
  untaped(): ForwardSweep;
}

/** The tangent sweep of forward mode (forward-mode/sweep.ts). */
export interface TangentSweep {
  readonly ctx: TangentContext;
  block(block: Block): Stmt[];
  /** A block instruction by instruction: steps[i] computes block.instrs[i] and its tangent. */
  steps(block: Block): Stmt[][];
}

/** What an instruction of one kind does in each sweep. */
export interface InstrRules<I extends Instr> {
  /** The primal computation, with the shadows of active containers while taping. */
  forward(sweep: ForwardSweep, instr: I): Stmt[];
  /** The chain rule backwards: d_operand += d_result · ∂result/∂operand. */
  reverse(sweep: ReverseSweep, instr: I): Stmt[];
  /** The primal computation and, beside it, its tangent: ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ. */
  tangent(sweep: TangentSweep, instr: I): Stmt[];
}

/** One entry per instruction kind: a kind without rules does not compile. */
export type RulesByKind = { [K in Instr['kind']]: InstrRules<Extract<Instr, { kind: K }>> };

/** How a loop is differentiated: taped, checkpointed, fused (loop-strategy.ts picks one per loop). */
export interface LoopStrategy {
  /** The loop's reverse where the reverse sweep reaches it, and what its forward sweep must know of it. */
  reverse(sweep: ReverseSweep, loop: LoopInstr): { statements: Stmt[]; reversal?: unknown };
  /** The loop's forward sweep, given what its reverse left (undefined when the loop has no reverse). */
  forward(sweep: ForwardSweep, loop: LoopInstr, reversal: unknown): Stmt[];
}
