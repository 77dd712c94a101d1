// Reassigned locals and parameters, every compound assignment, ++ and -- in both positions.
// check: update(0.7, 1.9)
// check: update(-1.2, 0.6)

/** @differentiable */
export function update(a: number, b: number): number {
  let s = a * b;
  s += a;
  s -= b / 2;
  s *= a;
  s /= b;
  s **= 2;
  s %= 7;
  b = b * b;
  b++;
  const before = a--;
  const after = ++a;
  return s + b * before - after;
}
