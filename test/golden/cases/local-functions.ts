// Local functions are lowered in place at each call: `scaled` reads k when it is called (1, then
// 3), `add` updates the caller's s. A local function that recurses is lowered once as a function
// of its own, `power`, taking the x it reads as a parameter.
// check: closures(0.7, -1.2)
// check: recursion(1.3)

/** @differentiable(forward) */
export function closures(x: number, y: number): number {
  let k = 1;
  const scaled = (v: number) => v * k * x;
  let s = scaled(y);
  k = 3;
  const add = (v: number) => {
    s += v;
  };
  add(scaled(y));
  return s;
}

/** @differentiable(forward) */
export function recursion(x: number): number {
  const power = (n: number): number => (n <= 0 ? 1 : x * power(n - 1));
  return power(3);
}
