// A helper that writes into its array argument and returns nothing. The caller's reverse sweep
// replays it on a snapshot of the array taken before the call, since the array changes afterwards.
// check: smoothed([0.3, -1.2, 2, 0.7], 0.25)
// compile options: {"inline": false} (by default these helpers are inlined: see inlining.ts)

function blend(values: number[], alpha: number): void {
  for (let i = 1; i < values.length; i++) values[i] = alpha * values[i - 1]! + (1 - alpha) * values[i]!;
}

/** @differentiable */
export function smoothed(signal: number[], alpha: number): number {
  const v = signal.slice();
  blend(v, alpha);
  blend(v, alpha);
  let s = 0;
  for (const e of v) s += e * e;
  return s;
}
