/**
 * The SSA intermediate representation that the differentiator works on.
 *
 * A function is a tree of blocks. Every value is defined exactly once, by a parameter or by an
 * instruction, and never changes; a source variable that is reassigned becomes several values
 * (`y`, `y_2`, …). Control flow is structured: a branch or a loop is one instruction that owns
 * its blocks, and names the values flowing out of them (φ results of a branch, carried values of a
 * loop), so the reverse sweep walks the tree backwards without rebuilding a control-flow graph.
 * Lowering has already removed `break`, `continue`, early `return`, `&&`/`||`/`?:`, `switch` and
 * `for`/`while` in favour of these two forms.
 *
 * Arrays and objects are the one kind of value that can change: `store` writes an element in
 * place. The differentiator never reads an array in the reverse sweep (it keeps the values it
 * loaded), so a write cannot invalidate anything it needs.
 */

import type { SourceLocation } from '../api.js';

export type ValueId = number;

/** The shapes of values: numbers and booleans, and containers of numbers, nested. */
export type Type =
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; container: ArrayContainer; element: Type }
  | { kind: 'tuple'; elements: Type[] }
  | { kind: 'object'; fields: Array<{ name: string; type: Type }> };

/**
 * `Array` is a plain `number[]` (or `T[]`); `Float64Array` and `Float32Array` are typed arrays of
 * floats; the integer typed arrays hold indices, say: parameters the gradient is not taken with
 * respect to, a helper's parameters, or arrays a function makes (`new Int32Array(n)`).
 */
export type ArrayContainer = 'Array' | 'Float64Array' | 'Float32Array' | IntegerArray;

/** Typed arrays of integers: they cannot hold adjoints, so they are never differentiated. */
export type IntegerArray = 'Int8Array' | 'Uint8Array' | 'Uint8ClampedArray' | 'Int16Array' | 'Uint16Array' | 'Int32Array' | 'Uint32Array';
export const INTEGER_ARRAYS: readonly IntegerArray[] = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
];

/** True for an integer typed array: it holds integers only, so it never carries an adjoint. */
export const isIntegerArray = (type: Type): boolean =>
  type.kind === 'array' && (INTEGER_ARRAYS as readonly string[]).includes(type.container);

/**
 * True for an array of numbers that reads back exactly the number stored: a plain array or a
 * Float64Array (a Float32Array rounds what it stores, an integer array truncates it).
 */
export const keepsStoredNumbers = (type: Type): boolean =>
  type.kind === 'array' && type.element.kind === 'number' && (type.container === 'Array' || type.container === 'Float64Array');

/** True when the type holds an integer typed array anywhere. */
export function holdsIntegerArray(type: Type): boolean {
  switch (type.kind) {
    case 'array':
      return isIntegerArray(type) || holdsIntegerArray(type.element);
    case 'tuple':
      return type.elements.some(holdsIntegerArray);
    case 'object':
      return type.fields.some((f) => holdsIntegerArray(f.type));
    default:
      return false;
  }
}

export const numberType: Type = { kind: 'number' };
export const booleanType: Type = { kind: 'boolean' };

/** An array, tuple or object: a value that holds others and can change in place. */
export const isContainer = (type: Type): boolean => type.kind === 'array' || type.kind === 'tuple' || type.kind === 'object';

/** A typed array: its length never changes. */
export const isTypedArray = (type: Type): boolean => type.kind === 'array' && type.container !== 'Array';

/** Where an instruction comes from in the source, for comments in the generated code. */
export interface SourceOrigin {
  line: number;
  /** The 1-based column where the expression starts, for diagnostics. */
  column: number;
  /** The source text of the expression, collapsed to one line. */
  text: string;
}

export interface ValueInfo {
  id: ValueId;
  /** The source variable this value is a version of, or '' for a temporary. */
  hint: string;
  type: Type;
}

/** A number or boolean written in the source. */
export interface ConstInstr {
  kind: 'const';
  result: ValueId;
  value: number | boolean;
}

/** A module-level constant, referred to by its source name (`K`, or `Math.PI`). */
export interface GlobalInstr {
  kind: 'global';
  result: ValueId;
  name: string;
}

/** An application of a primitive from the rules table (`*`, `Math.sin`, `<`, `!`, …). */
export interface PrimInstr {
  kind: 'prim';
  result: ValueId;
  op: string;
  args: ValueId[];
  origin: SourceOrigin;
}

/** A φ: the value `result` is `then` when the branch took its then-block, else `else`. */
export interface Phi {
  result: ValueId;
  then: ValueId;
  else: ValueId;
}

/** `if (cond) then else else`, merging the values that differ between the two blocks. */
export interface IfInstr {
  kind: 'if';
  cond: ValueId;
  then: Block;
  else: Block;
  phis: Phi[];
}

/**
 * A value carried around a loop: `param` holds it at the start of each iteration (`init` in the
 * first), the body computes `next` for the following one, and `result` is its value after the loop.
 */
export interface Carried {
  init: ValueId;
  param: ValueId;
  next: ValueId;
  result: ValueId;
}

/**
 * A loop whose body runs at least once and again while `again` (a boolean the body computes) is
 * true. `while`, `for` and `for…of` are lowered to an `if` around one of these.
 * `trips` counts the iterations run: the reverse sweep runs the body's adjoint that many times.
 */
export interface LoopInstr {
  kind: 'loop';
  carried: Carried[];
  body: Block;
  again: ValueId;
  trips: ValueId;
  /** Set for a loop whose gradient stores checkpoints of its state instead of taping every iteration. */
  checkpoint?: Checkpoint;
  /**
   * In a companion differentiated again: the adjoints (values from before the loop) that this loop,
   * the reverse of a loop of the first stage, is linear in, and reads no other. With all of them
   * and their tangents zero it changes nothing, and forward mode skips it (zero-adjoints.ts).
   */
  skippedWhenZero?: ValueId[];
}

/**
 * Binomial checkpointing of a loop (`// @checkpoint`): the reverse sweep recomputes iterations
 * from at most `snapshots` stored states of the loop, or with the fewest states for which no
 * iteration runs more than `repetitions` extra times (the default, 3, when neither is given).
 */
export interface Checkpoint {
  snapshots?: number;
  repetitions?: number;
  /** Where the loop is, for diagnostics. */
  location: SourceLocation;
}

/** `array[index]`, or an object's field (`index` is then the field's name). */
export interface LoadInstr {
  kind: 'load';
  result: ValueId;
  container: ValueId;
  index: ValueId | string;
  origin: SourceOrigin;
}

/** `array[index] = value` (or `object.field = value`), in place. */
export interface StoreInstr {
  kind: 'store';
  container: ValueId;
  index: ValueId | string;
  value: ValueId;
  origin: SourceOrigin;
  /**
   * Set on a store of an array or object into a parameter's storage (3-optimize/parameter-layout.ts):
   * what the slot held before, which the reverse sweep puts back into the shadow. Read by the
   * differentiator only: it makes nothing useful.
   */
  previous?: ValueId;
  /**
   * Set on a store of a number into a parameter's plain array by a computed index
   * (3-optimize/parameter-layout.ts): the array's length just before, which the reverse sweep gives
   * back to the shadow when the store may have grown it (a store past the end). Read by the
   * differentiator only.
   */
  lengthBefore?: ValueId;
}

/** `array.length`. */
export interface LengthInstr {
  kind: 'length';
  result: ValueId;
  container: ValueId;
}

/**
 * A new container: `[a, b]`, `{ x: a }`, `new Float64Array(n)`, `new Array(n).fill(v)`.
 * `elements` holds the initial elements (by position, or by field for objects); an array made
 * from a length has `length` and `fill` instead.
 */
export interface AllocInstr {
  kind: 'alloc';
  result: ValueId;
  elements: ValueId[];
  length?: ValueId;
  fill?: ValueId;
  origin: SourceOrigin;
}

/**
 * `array.slice(start, end)`, `Array.from(array)`, `new Float64Array(array)`: a new array holding a
 * copy. `offset` is where the copy starts in the source (start with negative values resolved).
 */
export interface SliceInstr {
  kind: 'slice';
  result: ValueId;
  container: ValueId;
  start?: ValueId;
  end?: ValueId;
  offset: ValueId;
  /** The copy's length when it is made (pushes may grow it later). */
  copied: ValueId;
  origin: SourceOrigin;
}

/** `array.push(value)`: appends in place, at `index` (the length before the push). */
export interface PushInstr {
  kind: 'push';
  container: ValueId;
  value: ValueId;
  index: ValueId;
  origin: SourceOrigin;
  /** Set on a push onto a parameter's storage: the reverse sweep gives the shadow back its length `index`. */
  restoresLength?: boolean;
}

/**
 * A call of a user function. Its derivative comes from the callee's own adjoint (or a user's
 * rule), so the reverse sweep replays the call: `snapshots[i]` is a copy of container argument i
 * taken just before the call (undefined for numbers), for when the container changes later.
 */
export interface CallInstr {
  kind: 'call';
  /** Undefined for a function that returns nothing. */
  result?: ValueId;
  /** The callee's key in the program's function table. */
  callee: string;
  args: ValueId[];
  snapshots: Array<ValueId | undefined>;
  origin: SourceOrigin;
}

/** A deep copy of a container, taken for the reverse sweep. */
export interface CopyInstr {
  kind: 'copy';
  result: ValueId;
  container: ValueId;
}

export type Instr =
  | CallInstr
  | CopyInstr
  | ConstInstr
  | GlobalInstr
  | PrimInstr
  | IfInstr
  | LoopInstr
  | LoadInstr
  | StoreInstr
  | LengthInstr
  | AllocInstr
  | SliceInstr
  | PushInstr;

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

/** Adds a new value to a function that is already built (by a pass after lowering). */
export function addValue(fn: SsaFunction, hint: string, type: Type): ValueId {
  const id = fn.values.length;
  fn.values.push({ id, hint, type });
  return id;
}

/** The function with exactly the parameters of `pattern` differentiated. */
export function withPattern(fn: SsaFunction, pattern: boolean[]): SsaFunction {
  return { ...fn, params: fn.params.map((p, i) => ({ ...p, differentiable: pattern[i] ?? false })) };
}

export interface SsaFunction {
  name: string;
  params: SsaParam[];
  body: Block;
  /** Undefined for a function that returns nothing (a helper that writes into an array). */
  result?: ValueId;
  /**
   * The result's type as the signature gives it, which may differ from the returned value's in
   * the order of object fields (`{ b, a }` returned as `{ a: number; b: number }`) and in tuples
   * (`[x, y]` returned as `[number, number]`).
   */
  declaredResult?: Type;
  /** Indexed by ValueId. */
  values: ValueInfo[];
}
