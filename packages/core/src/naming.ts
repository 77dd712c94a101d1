/**
 * Every name in generated code comes from here, so no generated name can clash with a user's
 * name or with another generated name. A Namer hands out each name once: the preferred spelling
 * when it is free, else the first free `name_2`, `name_3`, …
 */

/** Names generated code reads as globals: never handed out. */
const GLOBALS = ['Math', 'NaN', 'Infinity', 'undefined', 'Object', 'Number', 'Float64Array', 'Array'];

export class Namer {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set([...GLOBALS, ...reserved]);
  }

  /** A scope nested in this one: it sees every name taken here, and takes its own apart. */
  child(): Namer {
    return new Namer(this.taken);
  }

  claim(preferred: string): string {
    let name = preferred;
    for (let k = 2; this.taken.has(name); k++) name = `${preferred}_${k}`;
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
