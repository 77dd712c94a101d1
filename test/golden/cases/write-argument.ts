// Helpers that write into their array argument and return nothing. blend runs a loop: its call is
// reversed apart (forward_blend keeps on the tape the elements it overwrites, reverse_blend reads
// them back). swapScaled is straight-line: the caller's reverse sweep replays it, on a snapshot of
// the array taken before the call, since the array changes afterwards.
// check: smoothed([0.3, -1.2, 2, 0.7], 0.25)
// compile options: {"inline": false} (by default these helpers are inlined: see inlining.ts)

function blend(values: number[], alpha: number): void {
  for (let i = 1; i < values.length; i++) values[i] = alpha * values[i - 1]! + (1 - alpha) * values[i]!;
}

function swapScaled(values: number[], alpha: number): void {
  const first = values[0]!;
  values[0] = alpha * values[1]!;
  values[1] = first;
}

/** @differentiable */
export function smoothed(signal: number[], alpha: number): number {
  const v = signal.slice();
  blend(v, alpha);
  swapScaled(v, alpha);
  blend(v, alpha);
  let s = 0;
  for (const e of v) s += e * e;
  return s;
}
