/**
 * A planar robot arm: links of the given lengths joined end to end, each turned by its joint
 * angle relative to the link before it. `hand` is where the last link ends: a vector output (two
 * numbers), so its companion arm.grad.ts has jacobian_hand and vjp_hand instead of a gradient.
 */

/**
 * The position of the hand, with the first joint at the origin: link j points at the angle
 * φⱼ = θ₀ + … + θⱼ, so x = Σⱼ lⱼ·cos φⱼ and y = Σⱼ lⱼ·sin φⱼ.
 */
/** @differentiable(wrt: angles) */
export function hand(angles: number[], lengths: number[]): [number, number] {
  let heading = 0;
  let x = 0;
  let y = 0;
  for (let j = 0; j < angles.length; j++) {
    heading += angles[j]!;
    x += lengths[j]! * Math.cos(heading);
    y += lengths[j]! * Math.sin(heading);
  }
  return [x, y];
}
