/**
 * The tape of a companion's backprops: the values a reverse sweep needs from a block that can run
 * more than once, pushed at the end of the block in the forward sweep and popped at the start of
 * its reverse. One stack of doubles for the whole companion; the functions nest their pushes and
 * pops, so nothing is allocated per value.
 */

/** A stack of numbers saved by a forward sweep for its reverse sweep; it doubles when full. */
export class Tape {
  private values = new Float64Array(1024);
  private top = 0;

  push(value: number): void {
    if (this.top === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.top++] = value;
  }

  pop(): number {
    return this.values[--this.top]!;
  }
}
