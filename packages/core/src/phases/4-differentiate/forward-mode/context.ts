/**
 * What the tangent sweep of one function shares: the primal names (the same as reverse mode's),
 * the names of tangents, and the activity facts. A value carries a tangent exactly when it is
 * active (varied × useful, analysis/): a value that does not vary has tangent 0, and one the
 * result does not need is not computed at all.
 *
 * The tangent of a number is a number, ẋ = dx/dε along the direction the caller chose; the tangent
 * of a container is a container of the same shape (a Float64Array for a Float32Array) holding the
 * tangents of its numbers, updated in place as the primal is, so rows and arguments share storage
 * exactly as their primals do.
 */
import { ref } from '../../../ir/build.js';
import type { Expr } from '../../../ir/code.js';
import type { SsaFunction, Type, ValueId } from '../../../ir/ssa.js';
import { tangentName, type Namer } from '../../../naming.js';
import type { Activity } from '../../../analysis/index.js';
import { PrimalNames } from '../names.js';
import type { TangentModule } from './module.js';
import { LoopShapes } from '../natural-loop.js';

export class TangentContext {
  readonly names: PrimalNames;
  private readonly tangentNames = new Map<string, string>();
  private shapes?: LoopShapes;

  constructor(
    readonly fn: SsaFunction,
    readonly activity: Activity,
    readonly namer: Namer,
    globalName: (name: string) => string,
    /** Where the tangent functions of callees come from. */
    readonly module: TangentModule,
    /** The key of the function in the program's function table (for diagnostics). */
    readonly key: string,
  ) {
    this.names = new PrimalNames(fn, namer, globalName);
  }

  /** Which loops the tangent sweep writes as natural `for` loops (../natural-loop.ts). */
  get loopShapes(): LoopShapes {
    return (this.shapes ??= new LoopShapes({
      fn: this.fn,
      activity: this.activity,
      constantOf: (v) => this.names.constantOf(v),
      summaries: this.module.summaries,
    }));
  }

  typeOf(value: ValueId): Type {
    return this.fn.values[value]!.type;
  }

  /** True when the value carries a tangent variable (literals and module constants never do). */
  hasTangent(value: ValueId): boolean {
    return this.activity.isActive(value) && !this.names.isInline(value);
  }

  /**
   * The name of a value's tangent, dot_<name>. The versions of a carried value share one primal
   * name (the loop's variable), and so share one tangent.
   */
  tangentName(value: ValueId): string {
    const primal = this.names.name(value);
    let name = this.tangentNames.get(primal);
    if (name === undefined) {
      name = this.namer.claim(tangentName(primal));
      this.tangentNames.set(primal, name);
    }
    return name;
  }

  /** The tangent variables named so far, with the name of the primal variable each is the tangent of. */
  *tangentVariables(): Iterable<{ name: string; primal: string }> {
    for (const [primal, name] of this.tangentNames) yield { name, primal };
  }

  /** A number's tangent, or undefined when it is 0 (the value does not vary, or is not needed). */
  tangent(value: ValueId): Expr | undefined {
    return this.hasTangent(value) ? ref(this.tangentName(value)) : undefined;
  }
}
