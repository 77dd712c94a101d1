/** What the lowering of one function carries along: the builder, scopes, jump flags and errors. */
import type { Expression, Node, Statement, SyntaxKind } from 'ts-morph';
import { unsupportedConstruct, unsupportedOperator } from './constructs.js';
import type { Diagnostic, DiagnosticNote } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { DiagnosticArgs, DiagnosticCode } from '../../diagnostics/catalogue.js';
import { booleanType, type SourceOrigin, type Type, type ValueId } from '../../ir/ssa.js';
import { lineAndColumnAt, locationOf } from '../1-parse/location.js';
import type { ParsedFile } from '../1-parse/index.js';
import { SsaBuilder } from './builder.js';
import type { CalleeResolver } from './callees.js';
import { Environment, Scope, type Binding } from './scope.js';
import type { ThisShape } from './this-shape.js';

/**
 * A statement that `break` or `continue` can leave. Lowering turns jumps into flags: `break`
 * sets `broke`, and every later statement of the loop runs only while no flag is set. A
 * 'function' target marks the body of a local function lowered in place (local-functions.ts):
 * no jump crosses it.
 */
export interface JumpTarget {
  kind: 'loop' | 'switch' | 'function';
  node: Node;
  broke?: Binding;
  continued?: Binding;
}

/**
 * The lowering of what constructs are made of: expressions (expressions.ts), and the bodies of
 * local functions called in place (statements.ts). The context is handed them (nested-lowering.ts),
 * and a module that lowers a construct lowers its parts through the context
 * (`ctx.lowerExpression(e)`): it cannot import expressions.ts or statements.ts, which import it.
 */
export interface NestedLowering {
  expression(ctx: LoweringContext, node: Expression): ValueId;
  functionBody(ctx: LoweringContext, statements: Statement[], functionNode: Node, resultType: Type | undefined): ValueId | undefined;
}

export class LoweringContext {
  readonly builder = new SsaBuilder();
  env = new Environment();
  readonly diagnostics: Diagnostic[] = [];
  /** Module-level constants the function reads, by source name. */
  readonly globalsRead = new Set<string>();
  /** The innermost scope at the current point; statements that open a block replace it. */
  scope = new Scope();
  /** Loops and switches around the current point, innermost last. */
  readonly jumpTargets: JumpTarget[] = [];
  /** The value the function returns, assigned by every `return` (a local function lowered in place has its own). */
  returnValue: Binding = { name: 'result', mutable: true };
  /** Set by a `return` that is not the function's last statement; undefined when there is none. */
  returned?: Binding;
  private readonly failed = new Set<ValueId>();
  /** The local functions whose calls are being lowered in place, innermost last (local-functions.ts). */
  readonly localCalls: Node[] = [];
  /** In a method: the fields of `this` it reads, and the class whose methods `this.m` denotes (methods.ts). */
  thisShape?: ThisShape;

  constructor(
    readonly file: ParsedFile,
    readonly functionName: string,
    /** Finds the functions this one calls (shared by every function of the program). */
    readonly callees: CalleeResolver,
    private readonly nested: NestedLowering,
    /** Checkpoint every loop that is not inside another loop (the compile option `checkpointLoops`). */
    readonly checkpointLoops = false,
    /** The file is a companion Adjoint wrote: the marks only Adjoint writes are honoured (skip-marks.ts). */
    readonly companionMarks = false,
  ) {}

  /** Lowers an expression inside the construct being lowered. */
  lowerExpression(node: Expression): ValueId {
    return this.nested.expression(this, node);
  }

  /** Lowers the body of a local function called in place; returns the value it returns (statements.ts). */
  lowerFunctionBody(statements: Statement[], functionNode: Node, resultType: Type | undefined): ValueId | undefined {
    return this.nested.functionBody(this, statements, functionNode, resultType);
  }

  /**
   * Records a user error at `node` and returns a placeholder value, so lowering goes on and one
   * run reports every error in the function.
   */
  error<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>, node: Node, notes?: DiagnosticNote[]): ValueId {
    this.diagnostics.push(createDiagnostic(code, args, locationOf(node, this.file.path), notes));
    return this.failedValue();
  }

  /**
   * A placeholder for a value an error already accounts for. Reading a field of it reports
   * nothing more: `const p = { ...o }` is one error, not one more for every `p.a` after it.
   */
  failedValue(): ValueId {
    const placeholder = this.builder.constant(Number.NaN);
    this.failed.add(placeholder);
    return placeholder;
  }

  hasFailed(value: ValueId): boolean {
    return this.failed.has(value);
  }

  /** Reports a construct a differentiable function may not contain, with its own code. */
  unsupported(node: Node): ValueId {
    const { code, args } = unsupportedConstruct(node);
    return this.error(code, args, node);
  }

  /** The same for an operator (reported at its token). */
  unsupportedOperator(operator: SyntaxKind, node: Node): ValueId {
    const { code, args } = unsupportedOperator(operator);
    return this.error(code, args, node);
  }

  /** Binds a variable to a new value, naming the value after it when it has no name yet. */
  assign(binding: Binding, value: ValueId): void {
    this.env.set(binding, value);
    this.builder.nameAfter(value, binding.name);
  }

  /** A flag of the lowering (`broke`, `returned`, …), false where it is declared. */
  declareFlag(name: string): Binding {
    const flag: Binding = { name, mutable: true };
    this.env.set(flag, this.builder.constant(false));
    return flag;
  }

  setFlag(flag: Binding): void {
    this.env.set(flag, this.builder.constant(true));
  }

  /**
   * The flags a jump in the current statement list can have set: the function's `returned`, and
   * those of the loops and switches up to the innermost loop. Flags still false on every path
   * (a constant false here) are left out.
   */
  liveJumpFlags(): ValueId[] {
    const flags: Binding[] = this.returned ? [this.returned] : [];
    for (let i = this.jumpTargets.length - 1; i >= 0; i--) {
      const target = this.jumpTargets[i]!;
      if (target.broke) flags.push(target.broke);
      if (target.continued) flags.push(target.continued);
      if (target.kind === 'loop' || target.kind === 'function') break;
    }
    return flags.map((f) => this.env.get(f)!).filter((v) => !this.isConstant(v, false));
  }

  /** `!(f₁ || f₂ || …)`: true when none of the flags is set; undefined when there are none. */
  noneSet(flags: ValueId[], origin: SourceOrigin): ValueId | undefined {
    if (flags.length === 0) return undefined;
    const any = flags.reduce((a, b) => this.builder.prim('or', [a, b], origin, booleanType));
    return this.builder.prim('!', [any], origin, booleanType);
  }

  isConstant(value: ValueId, constant: number | boolean): boolean {
    return this.builder.constantValue(value) === constant;
  }

  origin(node: Node): SourceOrigin {
    const text = sourceTextStart(node).replace(/\s+/g, ' ');
    return {
      ...lineAndColumnAt(node.getSourceFile(), node.getStart()),
      text: text.length > 60 ? `${text.slice(0, 57)}...` : text,
    };
  }
}

/**
 * Enough of a node's text for its origin (60 characters once whitespace runs are collapsed): the
 * whole text only when its first 240 characters collapse to fewer than 61, since reading the whole
 * text of every node of a 1,000-term sum would take quadratic time.
 */
function sourceTextStart(node: Node): string {
  const start = node.getStart();
  const end = node.getEnd();
  const limit = 240;
  if (end - start <= limit) return node.getText();
  const prefix = node
    .getSourceFile()
    .getFullText()
    .slice(start, start + limit);
  return prefix.replace(/\s+/g, ' ').length > 60 ? prefix : node.getText();
}
