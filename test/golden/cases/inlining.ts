// Inlining: small helpers of the same file are copied into their callers before differentiation
// (compile option `inline`, on by default), so each value is computed once and the reverse sweep
// reads it from a local or the tape, instead of running the helper's forward sweep again inside
// its backprop; no snapshot of the array arguments is taken. `subtract` writes into its `out`
// argument, `sqnorm` reads it, and `clamp` returns early.
// check: spread([0.3, -1.2, 2, 0.7], [0.1, 0.5, -0.4, 1.1], 0.8)

function subtract(x: number[], y: number[], out: number[]): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - y[i]!;
}

function sqnorm(v: number[]): number {
  let s = 0;
  for (const e of v) s += e * e;
  return s;
}

function clamp(x: number, limit: number): number {
  if (x > limit) return limit;
  return x;
}

/** @differentiable(wrt: xs, center) */
export function spread(xs: number[], center: number[], scale: number): number {
  const d = new Array<number>(xs.length).fill(0);
  subtract(xs, center, d);
  return clamp(scale * sqnorm(d), 10) + sqnorm(center);
}
