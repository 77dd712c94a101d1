/**
 * What differentiating one function writes as it goes: the names of its values and their
 * shadows, the adjoints accumulated so far, the namer that hands out every other local name, and
 * the names of its tapes. Everything else the stages hand each other as data (sweeps.ts).
 */
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import { forEachExprInStatements } from '../../ir/code-walk.js';
import type { Block, SsaFunction, ValueId } from '../../ir/ssa.js';
import type { Namer } from '../../naming.js';
import type { Analysis } from '../../analysis/index.js';
import { Adjoints } from './adjoints.js';
import { PrimalNames } from './names.js';
import { LocalTapes, type TapeKind, type TapeNames } from './tape.js';
import type { CompanionModule } from './module.js';

/** A value (or a container's shadow) that the reverse sweep reads. */
export interface Need {
  value: ValueId;
  shadow: boolean;
}

/** What statements of the reverse sweep read of the forward sweep: the values they refer to through DiffContext.primal and shadow, in order. */
export function needsOf(statements: Stmt[]): Need[] {
  const needs: Need[] = [];
  forEachExprInStatements(statements, (e) => {
    if (e.kind === 'ref' && e.source) needs.push(e.source);
  });
  return needs;
}

export class DiffContext {
  readonly names: PrimalNames;
  readonly adjoints: Adjoints;
  /**
   * The local tapes, when the companion keeps them local: the function's own, and one set for
   * each fused loop's iteration (keyed by the loop's body), which nothing outside it reads.
   */
  private readonly localTapes: Map<Block, LocalTapes> | undefined;

  constructor(
    private readonly fn: SsaFunction,
    analysis: Analysis,
    readonly namer: Namer,
    globalName: (name: string) => string,
    /** The companion being built, whose shared tapes a function uses unless it keeps its own. */
    private readonly module: CompanionModule,
  ) {
    this.names = new PrimalNames(fn, namer, globalName);
    this.adjoints = new Adjoints(namer, analysis.contributions.count, (v) => this.names.name(v));
    this.localTapes = module.tapeStyle === 'local' ? new Map() : undefined;
  }

  /** A primal value as the reverse sweep reads it: tagged with its value, so the tape planner sees it read. */
  primal(value: ValueId): Expr {
    const expr = this.names.expr(value);
    // literals and module constants are written inline: there is nothing to save
    return expr.kind === 'ref' && !this.names.isInline(value) ? { ...expr, source: { value, shadow: false } } : expr;
  }

  /** A container's shadow as the reverse sweep reads it (tagged alike). */
  shadow(value: ValueId): AssignTarget {
    return { kind: 'ref', name: this.names.shadowName(value), source: { value, shadow: true } };
  }

  /**
   * The tape for saving values of `kind` (containers of the TypeScript type `typeText`) in the
   * reverse whose outermost block is `root` (FunctionFacts.reverseRootOf: the function's body, or a
   * fused loop's body, whose iterations keep local tapes of their own).
   */
  tapes(kind: TapeKind, typeText: string, root: Block = this.fn.body): TapeNames {
    return this.localTapes ? this.localTapesOf(root).get(kind, typeText) : this.module.sharedTapes(kind);
  }

  /** `const tape: number[] = [];` for each local tape of the reverse rooted at `root`, at the start of its forward sweep. */
  tapeDeclarations(root: Block = this.fn.body) {
    return this.localTapes ? this.localTapesOf(root).declarations() : [];
  }

  /** `let tapeTop = tape.length;` for each local tape of the reverse rooted at `root`, at the start of that reverse. */
  tapeCounters(root: Block = this.fn.body) {
    return this.localTapes ? this.localTapesOf(root).counters() : [];
  }

  private localTapesOf(root: Block): LocalTapes {
    let tapes = this.localTapes!.get(root);
    if (!tapes) {
      tapes = new LocalTapes((name) => this.namer.claim(name));
      this.localTapes!.set(root, tapes);
    }
    return tapes;
  }
}
