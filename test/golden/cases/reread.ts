// A read of an array that nothing writes after it is made again in the reverse sweep instead of
// going on the tape: `table` is filled before the loop that reads it, so the reverse sweep reads
// `table[i]` where it would pop it. `scratch` is written again after its first loop reads it: its
// reads stay on the tape (reading it in the reverse sweep would see the last values written).
// check: reread([0.5, -1.2, 0.3, 0.8], 1.7)

/** @differentiable */
export function reread(x: number[], w: number): number {
  const n = x.length;
  const table = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) table[i] = Math.exp(x[i]! * w);
  const scratch = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) scratch[i] = Math.sin(x[i]!);
  let s = 0;
  for (let i = 0; i < n; i++) s += table[i]! * table[i]! * scratch[i]!;
  for (let i = 0; i < n; i++) scratch[i] = scratch[i]! * w;
  for (let i = 0; i < n; i++) s += scratch[i]! * x[i]!;
  return s;
}
