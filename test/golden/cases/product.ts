// The smallest interesting case: a product and a sine. d/dx = y + cos(x), d/dy = x.
// check: f(1.3, -0.4)
// check: f(-2, 3.5)

/** @differentiable */
export function f(x: number, y: number): number {
  return x * y + Math.sin(x);
}
