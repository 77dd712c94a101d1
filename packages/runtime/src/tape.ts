/**
 * The tape of a companion's backprops: the values a reverse sweep needs from a block that can run
 * more than once, pushed at the end of the block in the forward sweep and popped at the start of
 * its reverse. One stack of doubles for the whole companion; the functions nest their pushes and
 * pops, so nothing is allocated per value.
 *
 * A generated function that pushes or pops reads `values` and `top` into locals when it starts,
 * which V8 keeps in registers, and writes `top` back before it calls a function that uses the
 * tape and before it returns (phases/4-differentiate/tape-in-locals.ts in @adjoint/core).
 */

/** A stack of numbers saved by a forward sweep for its reverse sweep; it doubles when full. */
export class Tape {
  /** The saved numbers are values[0 … top − 1]. */
  values: Float64Array = new Float64Array(1024);
  top = 0;

  push(value: number): void {
    if (this.top === this.values.length) this.grow(this.top + 1);
    this.values[this.top++] = value;
  }

  pop(): number {
    return this.values[--this.top]!;
  }

  /** Doubles the buffer until it holds `size` numbers, keeping what it holds, and returns it. */
  grow(size: number): Float64Array {
    let length = this.values.length * 2;
    while (length < size) length *= 2;
    const grown = new Float64Array(length);
    grown.set(this.values);
    this.values = grown;
    return grown;
  }
}
