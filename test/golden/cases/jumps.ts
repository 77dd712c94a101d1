// break, continue and return inside loops become flags: later statements run only while no flag
// is set, and the loop goes round again only while neither `broke` nor `returned` is.
// check: firstCrossing(0.5, 0.3)
// check: firstCrossing(0.5, 1.2)
// check: firstCrossing(-1.5, 2)
// check: skipMultiples(1.3)

/** @differentiable */
export function firstCrossing(x: number, y: number): number {
  if (x < 0) return -x * y;
  let t = x;
  for (let i = 0; i < 10; i++) {
    t = t * 0.9 + y;
    if (t > 5) return t * t;
  }
  return t + 1;
}

/** @differentiable */
export function skipMultiples(x: number): number {
  let acc = 0;
  for (let i = 0; i < 20; i++) {
    if (i % 3 === 0) continue;
    acc += x * i;
    if (acc > 40) break;
  }
  return acc;
}
