// Binomial checkpointing (// @checkpoint): the forward sweep runs the loop once without the tape,
// counting its iterations; the reverse sweep starts again from the loop's initial state and, by the
// revolve schedule, stores a few states (Revolve's slots), recomputes from them, and tapes only the
// iteration it is reversing.
// check: trajectory(new Float64Array([2, 0.1, 0.5, 0]), 50, 0.05)
// check: trajectory(new Float64Array([2, 0.1, 0.5, 0]), 0, 0.05)
// check: trajectory(new Float64Array([40, 0, 0.5, 30]), 30, 0.05)
// check: smooth([0.2, 1, 0.4, 0.9], 0.3, 20)

/** A damped pendulum, stopped early when it swings too far: the trip count is known only at run time. */
/** @differentiable(wrt: params) */
export function trajectory(params: Float64Array, steps: number, h: number): number {
  const k = params[0]!;
  const c = params[1]!;
  let x = params[2]!;
  let v = params[3]!;
  // @checkpoint(snapshots: 4)
  for (let i = 0; i < steps; i++) {
    v -= h * (k * Math.sin(x) + c * v);
    x += h * v;
    if (Math.abs(x) > 10) break;
  }
  return x * x + v * v;
}

/** Smooths a signal in place: the array made before the loop is part of the stored state. */
/** @differentiable(wrt: signal, rate) */
export function smooth(signal: number[], rate: number, sweeps: number): number {
  const u = signal.slice();
  let sweep = 0;
  // @checkpoint
  while (sweep < sweeps) {
    for (let i = 1; i < u.length - 1; i++) u[i] = u[i]! + rate * (u[i - 1]! - 2 * u[i]! + u[i + 1]!);
    sweep++;
  }
  let energy = 0;
  for (const value of u) energy += value * value;
  return energy;
}
