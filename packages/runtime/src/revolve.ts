/**
 * The binomial checkpointing schedule (Griewank & Walther, "Algorithm 799: revolve", ACM TOMS
 * 26(1), 2000), for a companion whose gradient checkpoints a loop. It is a small
 * state machine written from the paper's definitions, not from its code:
 *
 *   β(s, t) = C(s + t, s)   the most steps that s stored states and t repetitions can reverse;
 *   with the state at `capo` stored and s states available for the steps capo … fine − 1
 *   (m = fine − capo of them), let t be the least with β(s, t) ≥ m. Advancing m̂ steps, storing
 *   the state there and reversing the right part with s − 1 states, then the left part with s,
 *   costs m̂ + T(m̂, s) + T(m − m̂, s − 1) forward steps, where T(m, s) = t·m − β(s + 1, t − 1)
 *   is the optimum (piecewise linear and convex in m, with slope t). The sum is least at
 *     m̂ = β(s, t − 1)            when m ≥ β(s, t − 1) + β(s − 1, t − 1),
 *     m̂ = m − β(s − 1, t − 1)    otherwise
 *   (at both the slope of the left part, one plus its repetitions, meets that of the right part).
 *
 * The driver in the companion asks `next()` what to do: advance the state from `from` to `capo`
 * without taping, store it in slot `slot`, restore it from slot `slot`, or take step `capo` with
 * the tape and reverse it at once (every step is reversed exactly once, last first); `done` ends.
 */

/**
 * The binomial checkpointing schedule of Griewank & Walther's revolve (ACM TOMS 26(1), 2000): it
 * reverses `steps` iterations of a loop while holding at most `slots` stored states of the loop,
 * with the fewest forward steps possible for that many states. `next()` says what to do next.
 */
export class Revolve {
  /** Run iterations `from` … `capo` − 1 without taping. */
  static readonly advance = 1;
  /** Copy the loop's state into slot `slot`. */
  static readonly store = 2;
  /** Copy the loop's state back from slot `slot`. */
  static readonly restore = 3;
  /** Run iteration `capo` with the tape and reverse it. */
  static readonly reverse = 4;
  /** Every iteration has been reversed. */
  static readonly done = 5;

  /** The iteration the loop's state is at (the state before iteration `capo` runs). */
  capo = 0;
  /** Where the last advance started. */
  from = 0;
  /** The slot of the last store or restore. */
  slot = 0;
  /** The most states stored at once. */
  peak = 0;
  /** The numbers of the stored states, `width` per slot. */
  readonly numbers: Float64Array;
  /** The arrays and objects of the stored states, `containers` per slot. */
  readonly containers: unknown[] = [];
  /** Iterations 0 … fine − 1 are still to be reversed. */
  private fine: number;
  /** The iteration of the state in each occupied slot, in increasing order. */
  private readonly stored: number[] = [];
  /** False after a reversed iteration: the state must be restored before going on. */
  private valid = true;

  constructor(
    steps: number,
    readonly slots: number,
    width: number,
  ) {
    this.fine = steps;
    this.numbers = new Float64Array(Math.max(1, slots) * width);
  }

  /** The fewest slots with which `steps` iterations are reversed running none more than `repetitions` extra times: the least s with C(s + r, s) ≥ steps. */
  static slotsFor(steps: number, repetitions: number): number {
    let slots = 1;
    while (Revolve.beta(slots, repetitions) < steps) slots++;
    return slots;
  }

  /** β(s, t) = C(s + t, s): the most iterations s stored states reverse with t repetitions. */
  static beta(s: number, t: number): number {
    if (t < 0 || s < 0) return 0;
    let b = 1;
    for (let i = 1; i <= t; i++) b = (b * (s + i)) / i;
    return Math.round(b);
  }

  next(): number {
    if (this.fine === 0) return Revolve.done;
    const stored = this.stored;
    if (!this.valid) {
      // a stored state at or past `fine` is of no more use: free its slot
      while (stored[stored.length - 1]! >= this.fine) stored.pop();
      this.slot = stored.length - 1;
      this.capo = stored[this.slot]!;
      this.valid = true;
      return Revolve.restore;
    }
    if (this.capo === this.fine - 1) {
      this.fine--;
      this.valid = false;
      return Revolve.reverse;
    }
    if (stored.length === 0 || stored[stored.length - 1] !== this.capo) {
      stored.push(this.capo);
      this.slot = stored.length - 1;
      if (stored.length > this.peak) this.peak = stored.length;
      return Revolve.store;
    }
    // the state at capo is stored; s slots serve the m iterations capo … fine − 1
    const m = this.fine - this.capo;
    const s = this.slots - stored.length + 1;
    // the least t with β(s, t) ≥ m (t ≥ 1, since m ≥ 2), from β(s, t) = β(s, t − 1)·(s + t)/t
    let t = 0;
    let beta = 1;
    while (beta < m) {
      t++;
      beta = Math.round((beta * (s + t)) / t);
    }
    // β(s, t − 1) = β(s, t)·t/(s + t) and β(s − 1, t − 1) = β(s, t − 1)·s/(s + t − 1)
    const left = Math.round((beta * t) / (s + t));
    const right = Math.round((left * s) / (s + t - 1));
    this.from = this.capo;
    this.capo += m >= left + right ? left : m - right;
    return Revolve.advance;
  }
}
