// A backprop too long for V8 to optimise (over about 4,000 statements and expression nodes) is
// split into parts; the tiny part size here shows how on a short function. Each part runs the
// forward sweep of a stretch, calls the next part, then runs the reverse of its stretch; the
// numbers that cross between parts go through `frame`, the arrays are passed along.
// compile options: {"maxPartSize": 120}

/** @differentiable */
export function chain(a: number, w: number[], out: Float64Array): number {
  const b = a * w[0]!;
  const c = Math.sin(b) + w[1]!;
  out[0] = c * a;
  const d = Math.exp(c) * b;
  const e = d * w[2]! - c;
  out[1] = e;
  const f = Math.tanh(e) + a * d;
  return f * out[0]! + b;
}

// check: chain(0.3, [0.5, -0.2, 1.1], new Float64Array([0.25, -0.5]))

// A function with a vector output: the object it returns is built in the last part, and comes
// back to the first (which returns it) through `objects`, since only numbers fit in `frame`.
/** @differentiable */
export function step(p: number[], dt: number): { x: number; v: number } {
  const a = -Math.sin(p[0]!);
  const v = p[1]! + dt * a;
  const x = p[0]! + dt * v;
  const e = 0.5 * v * v - Math.cos(x);
  return { x: x + dt * e, v };
}

// check: step([0.4, -0.3], 0.1)
