/**
 * One step of damped least squares (Levenberg–Marquardt) towards a target, for an arm given by its
 * hand position and the Jacobian and vector–Jacobian product Adjoint generated for it:
 *   Δθ = Jᵀ (J Jᵀ + λ² I)⁻¹ e,   e = target − hand(θ).
 * reach.ts runs it on arm.grad.ts; the playground on the companion compiled in the page.
 */
export interface Arm {
  hand(angles: number[], lengths: number[]): [number, number];
  /** Rows x and y, one column per joint angle. */
  jacobian(angles: number[], lengths: number[]): number[][];
  /** wᵀJ, with respect to the angles. */
  vjp(angles: number[], lengths: number[], w: [number, number]): { angles: number[] };
}

/** Turns `angles` (in place) by one damped step; returns the distance from the hand to the target before it. */
export function dampedStep(arm: Arm, angles: number[], lengths: number[], target: [number, number], damping: number): number {
  const [x, y] = arm.hand(angles, lengths);
  const error = [target[0] - x, target[1] - y];
  const J = arm.jacobian(angles, lengths);
  // A = J Jᵀ + λ² I (2×2), solved by Cramer's rule: w = A⁻¹ e
  const a = J[0]!.reduce((s, v) => s + v * v, 0) + damping ** 2;
  const b = J[0]!.reduce((s, v, i) => s + v * J[1]![i]!, 0);
  const d = J[1]!.reduce((s, v) => s + v * v, 0) + damping ** 2;
  const det = a * d - b * b;
  const w: [number, number] = [(d * error[0]! - b * error[1]!) / det, (a * error[1]! - b * error[0]!) / det];
  // Δθ = Jᵀ w, which is also the vector–Jacobian product wᵀJ: one reverse sweep
  const { angles: delta } = arm.vjp(angles, lengths, w);
  for (let i = 0; i < angles.length; i++) angles[i] = angles[i]! + delta[i]!;
  return Math.hypot(error[0]!, error[1]!);
}
