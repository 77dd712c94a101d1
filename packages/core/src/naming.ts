/**
 * Every name in generated code comes from here, so no generated name can clash with a user's
 * name or with another generated name. A Namer hands out each name once: the preferred spelling
 * when it is free, else the first free `name_2`, `name_3`, …
 */

/** Names generated code reads as globals: never handed out. */
const GLOBALS = ['Math', 'NaN', 'Infinity', 'undefined', 'Object', 'Number', 'Float64Array', 'Array'];

/** The module-level name of the backprop of the function `fn` (see 4-differentiate/module.ts). */
export const backpropName = (fn: string) => `backprop_${fn}`;

/**
 * Module-level names that may be handed out after a function's names were (more backprops of one
 * callee): a name inside a function never starts with one of these, so it cannot hide one.
 */
const MODULE_PREFIXES = [backpropName('')];

export class Namer {
  private readonly taken: Set<string>;

  constructor(
    reserved: Iterable<string> = [],
    private readonly local = false,
  ) {
    this.taken = new Set([...GLOBALS, ...reserved]);
  }

  /** A function's scope in this module: it sees every name taken here, and takes its own apart. */
  child(): Namer {
    return new Namer(this.taken, true);
  }

  /**
   * For each preferred spelling already handed out, the last suffix tried for it: names are never
   * given back, so the first free `name_k` is never below it (without this, the 1,000th `prod`
   * would try 999 taken names first, and a long function would take quadratic time).
   */
  private readonly lastSuffix = new Map<string, number>();

  claim(preferred: string): string {
    if (this.local && MODULE_PREFIXES.some((prefix) => preferred.startsWith(prefix))) preferred = `local_${preferred}`;
    let name = preferred;
    let k = this.lastSuffix.get(preferred) ?? 2;
    if (this.taken.has(name)) {
      for (name = `${preferred}_${k}`; this.taken.has(name); ) name = `${preferred}_${++k}`;
      this.lastSuffix.set(preferred, k);
    }
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

/** The exported names of a marked function's companion (DESIGN.md §1). */
export const exportNames = {
  grad: (fn: string) => `grad_${fn}`,
  valueAndGrad: (fn: string) => `valueAndGrad_${fn}`,
};

/** The adjoint of the value named `primal`: ∂result/∂primal, written d_primal. */
export const adjointName = (primal: string) => `d_${primal}`;
