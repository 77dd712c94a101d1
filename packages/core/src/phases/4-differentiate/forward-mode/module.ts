/**
 * The forward-mode functions of a companion module. For a function g (a marked function or one it
 * calls, transitively) and a choice of differentiated parameters there is one
 *
 *   tangent_g(args, tangents of the differentiated parameters)   → { value, tangent }
 *
 * g's tangent sweep (sweep.ts): g's value and its directional derivative, in one pass. It writes
 * the tangents of what g writes into its container arguments into those arguments' tangents.
 * A marked function's jvp_f wraps its tangent function. Like the backprops (../module.ts), the
 * functions are generated on request until none is left; recursion asks for a function being
 * generated and gets its name.
 */
import type { FunctionDecl } from '../../../ir/code.js';
import { tangentFunctionName } from '../../../naming.js';
import type { CalleeSummaries } from '../../../analysis/index.js';
import type { Callee } from '../../2-lower/callees.js';
import { withPattern, type SsaFunction } from '../../../ir/ssa.js';
import type { CompanionModule, ProgramFunction } from '../module.js';

/** The generator of tangent functions (functions.ts), handed to the module so that it need not import it back. */
export type TangentFunctionGenerator = (
  module: TangentModule,
  key: string,
  fn: ProgramFunction,
  ssa: SsaFunction,
  name: string,
) => FunctionDecl[];

export class TangentModule {
  private readonly names = new Map<string, string>();
  private readonly pending: Array<() => FunctionDecl[]> = [];

  constructor(
    /** The companion the functions go into: its names, primal copies and summaries. */
    readonly companion: CompanionModule,
    private readonly program: { function(key: string): ProgramFunction | undefined },
    private readonly tangentFunction: TangentFunctionGenerator,
  ) {}

  get namer() {
    return this.companion.namer;
  }

  summaries: CalleeSummaries = (key) => this.companion.summaries(key);

  callee(key: string): Callee {
    return this.companion.callee(key);
  }

  /** The name a call of g without any varied argument uses: g's primal copy. */
  primalName(key: string): string {
    return this.companion.primalName(key);
  }

  /** The local name of a user's derivative rule for g. */
  ruleName(key: string): string {
    return this.companion.ruleName(key);
  }

  /** The name of g's tangent function with the parameters of `pattern` differentiated. */
  tangentName(key: string, pattern: boolean[]): string {
    const id = `${key}(${pattern.map(Number).join('')})`;
    let name = this.names.get(id);
    if (!name) {
      const fn = this.program.function(key);
      if (!fn) throw new Error(`no body to differentiate for '${key}'`);
      const claimed = this.companion.namer.claim(tangentFunctionName(fn.ssa.name));
      name = claimed;
      this.names.set(id, name);
      this.pending.push(() => this.tangentFunction(this, key, fn, withPattern(fn.ssa, pattern), claimed));
    }
    return name;
  }

  /** Generates every requested function (primal copies and tangent functions), including those requested meanwhile. */
  generatePending(): void {
    for (;;) {
      this.companion.generatePending();
      const next = this.pending.shift();
      if (!next) return;
      this.companion.add(next());
    }
  }
}
