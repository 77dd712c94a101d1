/**
 * Every name in generated code comes from here, so no generated name can clash with a user's
 * name or with another generated name. A Namer hands out each name once: the preferred spelling
 * when it is free, else the first free `name_2`, `name_3`, …
 */

/** Names generated code reads as globals: never handed out. */
const GLOBALS = ['Math', 'NaN', 'Infinity', 'undefined', 'Object', 'Number', 'Float64Array', 'Float32Array', 'Array'];

/** The module-level name of the backprop of the function `fn` (see 4-differentiate/module.ts). */
export const backpropName = (fn: string) => `backprop_${fn}`;

/**
 * The module-level name of part `part` (2, 3, …) of a generated function too long for V8 to
 * optimise, which is split into parts (4-differentiate/split-function.ts); part 1 keeps `fn`.
 */
export const partName = (fn: string, part: number) => `${fn}_part${part}`;

/** The module-level name of the tangent function of `fn` (forward mode, see 4-differentiate/forward-mode). */
export const tangentFunctionName = (fn: string) => `tangent_${fn}`;

/**
 * The module-level names of the two halves of a recursive function's backprop, called apart
 * (4-differentiate/recursive-calls.ts): its forward sweep, which leaves on the tape what its
 * reverse sweep reads, and its reverse sweep.
 */
export const forwardSweepName = (fn: string) => `forward_${fn}`;
export const reverseSweepName = (fn: string) => `reverse_${fn}`;

/**
 * Module-level names that may be handed out after a function's names were (more backprops of one
 * callee, the parts of a long function): a name inside a function never starts with one of these
 * prefixes, nor ends like a part's name, so it cannot hide one.
 */
const MODULE_PREFIXES = [backpropName(''), tangentFunctionName(''), forwardSweepName(''), reverseSweepName('')];
const PART_NAME = /_part\d+$/;

export class Namer {
  /** The names handed out here (a function's scope: its own, apart from its module's). */
  private readonly taken = new Set<string>();

  /**
   * @param reserved names never handed out
   * @param parent the module a function's scope belongs to: its names, taken before or after the
   *   function's, are never handed out here (read through, not copied: a module of thousands of
   *   functions would copy its names thousands of times)
   */
  constructor(
    reserved: Iterable<string> = [],
    private readonly parent?: Namer,
  ) {
    if (!parent) GLOBALS.forEach((name) => this.taken.add(name));
    for (const name of reserved) this.taken.add(name);
  }

  /** A function's scope in this module: it sees every name taken here, and takes its own apart. */
  child(): Namer {
    return new Namer([], this);
  }

  /** True when `name` was handed out (or reserved) here or in the module around. */
  isTaken(name: string): boolean {
    return this.taken.has(name) || (this.parent?.isTaken(name) ?? false);
  }

  /** Every name handed out or reserved at this level (not the module's, for a function's scope). */
  names(): ReadonlySet<string> {
    return this.taken;
  }

  /**
   * For each preferred spelling already handed out, the last suffix tried for it: names are never
   * given back, so the first free `name_k` is never below it (without this, the 1,000th `prod`
   * would try 999 taken names first, and a long function would take quadratic time).
   */
  private readonly lastSuffix = new Map<string, number>();

  claim(preferred: string): string {
    // a method's instance, `this` in the source, is a parameter of the companion's functions
    if (preferred === 'this') preferred = 'self';
    if (this.parent && (MODULE_PREFIXES.some((prefix) => preferred.startsWith(prefix)) || PART_NAME.test(preferred)))
      preferred = `local_${preferred}`;
    let name = preferred;
    let k = this.lastSuffix.get(preferred) ?? 2;
    if (this.isTaken(name)) {
      for (name = `${preferred}_${k}`; this.isTaken(name);) name = `${preferred}_${++k}`;
      this.lastSuffix.set(preferred, k);
    }
    this.taken.add(name);
    return name;
  }

  /**
   * Claims a name the contract fixes (an export's, DESIGN.md §1): it must still be free, since
   * code elsewhere writes it without asking; a clash is a bug in Adjoint, never a renamed export.
   */
  claimExact(name: string): string {
    if (this.isTaken(name)) throw new Error(`the generated name '${name}' is taken twice`);
    this.taken.add(name);
    return name;
  }
}

const operationNames: Record<string, string> = {
  '+': 'sum',
  '-': 'diff',
  '*': 'prod',
  '/': 'quot',
  '%': 'rem',
  '**': 'pow',
  neg: 'neg',
  '!': 'not',
  nullish: 'missing',
};

/**
 * The preferred name of an intermediate value that no source variable names, after the operation
 * that computes it: `prod` for a product, `exp` for Math.exp(…).
 */
export function temporaryName(op: string): string {
  const name = operationNames[op] ?? op.replace(/^Math\./, '');
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'test';
}

/** The exported names of a marked function's companion (docs/design.md, the contract, 1). */
export const exportNames = {
  grad: (fn: string) => `grad_${fn}`,
  valueAndGrad: (fn: string) => `valueAndGrad_${fn}`,
  jvp: (fn: string) => `jvp_${fn}`,
  /** For a function marked `hessian`. */
  hvp: (fn: string) => `hvp_${fn}`,
  hessian: (fn: string) => `hessian_${fn}`,
  /** f's value, its gradient (uᵀ·J for a vector output) and H·v from one forward-over-reverse pass. */
  valueGradAndHvp: (fn: string) => `valueGradAndHvp_${fn}`,
  /** The derivative rule (`@adjointOf`) of grad_f: a call of grad_f in a reverse sweep takes H·ȳ from it. */
  adjointOfGrad: (fn: string) => `adjointOfGrad_${fn}`,
  /** Not exported: a Hessian-vector product flattened into a row of the Hessian. */
  hessianRow: (fn: string) => `hessianRow_${fn}`,
  /** For a function with a vector output (numbers in an array or object), instead of the two above. */
  vjp: (fn: string) => `vjp_${fn}`,
  valueAndVjp: (fn: string) => `valueAndVjp_${fn}`,
  jacobian: (fn: string) => `jacobian_${fn}`,
  /** Not exported: a vjp's gradient flattened into a row of the Jacobian. */
  jacobianRow: (fn: string) => `jacobianRow_${fn}`,
  /** Not exported: a jvp's tangent flattened into a column of the Jacobian (with forward mode). */
  jacobianColumn: (fn: string) => `jacobianColumn_${fn}`,
};

/** The marked function among `functions` that an export of its companion belongs to (`grad_f` → `f`). */
export function markedFunctionOfExport(exportName: string, functions: readonly string[]): string | undefined {
  return functions.find((fn) => Object.values(exportNames).some((name) => name(fn) === exportName));
}

/** The module-level names a marked function's exports take. */
export function exportNamesOf(fn: string, vectorOutput: boolean, forward = false): string[] {
  if (!vectorOutput) return [exportNames.valueAndGrad(fn), exportNames.grad(fn)];
  const names = [exportNames.valueAndVjp(fn), exportNames.vjp(fn), exportNames.jacobian(fn), exportNames.jacobianRow(fn)];
  return forward ? [...names, exportNames.jacobianColumn(fn)] : names;
}

/**
 * The name of the function a program key denotes: `f` for `path/to/m.ts#f`, and for a copy of f
 * specialised for the functions it is given (2-lower/specialise.ts), `f_g` for `…#f_g~1a2b3c4d`.
 */
export const calleeNameOf = (key: string) => key.slice(key.lastIndexOf('#') + 1).replace(/~.*$/, '');

/** The adjoint of the value named `primal`: ∂result/∂primal, written d_primal. */
export const adjointName = (primal: string) => `d_${primal}`;

/** The tangent of the value named `primal` (forward mode): its directional derivative, written dot_primal (ẋ). */
export const tangentName = (primal: string) => `dot_${primal}`;
