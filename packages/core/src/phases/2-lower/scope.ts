/**
 * Lexical scopes during lowering. A binding is one declared variable, or a name that denotes a
 * function (a FunctionValue); the environment maps each variable's binding to the SSA value it
 * currently holds, so reassignment makes a new value, not a mutation.
 * Where control flow splits, the environment is copied; where it joins, the bindings whose values
 * differ become φs (branches) or carried values (loops).
 */
import type { ArrowFunction, FunctionDeclaration, FunctionExpression } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import type { Callee } from './callees.js';

export interface Binding {
  name: string;
  mutable: boolean;
  /**
   * For a name bound to a function (`const f = (x) => …`, a nested `function f`), the function:
   * it holds no value in the environment, and every call through the name is resolved here.
   */
  fn?: FunctionValue;
}

/** An arrow, a function expression or a nested function declaration of the function being lowered (local-functions.ts). */
export type LocalFunctionNode = ArrowFunction | FunctionExpression | FunctionDeclaration;

/** The function a name or a callback denotes, known while lowering (function-values.ts). */
export type FunctionValue =
  | { kind: 'local'; node: LocalFunctionNode; scope: Scope; name: string }
  | { kind: 'callee'; callee: Callee }
  | { kind: 'math'; op: string; arity: number | 'variadic' }
  /** A local function lowered as a function of its own (specialise.ts): called with its captures after its arguments. */
  | { kind: 'lifted'; callee: Callee; captures: Binding[] };

export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  declare(name: string, mutable: boolean, fn?: FunctionValue): Binding {
    const binding: Binding = fn ? { name, mutable, fn } : { name, mutable };
    this.bindings.set(name, binding);
    return binding;
  }

  /** Makes `name` denote an existing binding (a copy's capture, specialise.ts). */
  alias(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  child(): Scope {
    return new Scope(this);
  }

  /** The bindings declared in this scope itself. */
  own(): Binding[] {
    return [...this.bindings.values()];
  }
}

/** The SSA value each binding holds at the current point of the program. */
export class Environment {
  constructor(private readonly current = new Map<Binding, ValueId | undefined>()) {}

  set(binding: Binding, value: ValueId | undefined): void {
    this.current.set(binding, value);
  }

  get(binding: Binding): ValueId | undefined {
    return this.current.get(binding);
  }

  /** The mutable bindings, in declaration order: the ones a branch or a loop may change. */
  mutableBindings(): Binding[] {
    return [...this.current.keys()].filter((b) => b.mutable);
  }

  /** Drops bindings that went out of scope, so later branches and loops do not consider them. */
  forget(bindings: Iterable<Binding>): void {
    for (const binding of bindings) this.current.delete(binding);
  }

  copy(): Environment {
    return new Environment(new Map(this.current));
  }
}
