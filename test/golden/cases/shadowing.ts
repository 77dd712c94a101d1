// Nested blocks: an inner `let x` shadows the parameter only inside its block.
// check: shadow(0.6, 1.3)

/** @differentiable */
export function shadow(x: number, y: number): number {
  let total = 0;
  {
    const x = y * 2;
    total += x;
    {
      let y = x + 1;
      y *= y;
      total += y;
    }
  }
  total += x * y;
  return total;
}
