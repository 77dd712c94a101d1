/**
 * Inverse kinematics: turns the joints of a three-link arm until its hand reaches a target, by
 * damped least squares (Levenberg–Marquardt) on the 2×3 Jacobian that Adjoint generated in
 * arm.grad.ts (jacobian_hand: rows x and y, columns the three joint angles), one step at a time
 * (damped-least-squares.ts). Run `pnpm adjoint examples` first to (re)generate it.
 *
 * The arm has more joints than the target has coordinates, so many poses reach it; the damped
 * step picks the smallest change of the angles that moves the hand towards the target:
 *   Δθ = Jᵀ (J Jᵀ + λ² I)⁻¹ e,   e = target − hand(θ).
 */
import { hand } from './arm.ts';
import { jacobian_hand, vjp_hand } from './arm.grad.ts';
import { dampedStep } from './damped-least-squares.ts';

const LENGTHS = [1.0, 0.8, 0.5];
const TARGET: [number, number] = [0.9, 1.4];
const DAMPING = 0.1;
const ITERATIONS = 10;

const degrees = (radians: number) => ((radians * 180) / Math.PI).toFixed(1);

const angles = [0.3, 0.3, 0.3];
console.log(`arm with links ${LENGTHS.join(', ')}, target (${TARGET.join(', ')})`);
console.log(`Jacobian at the start (rows x, y; columns θ₀, θ₁, θ₂):`);
for (const row of jacobian_hand(angles, LENGTHS)) console.log(`  [${row.map((v) => v.toFixed(4).padStart(8)).join(' ')} ]`);
for (let iteration = 0; iteration < ITERATIONS; iteration++) {
  const distance = dampedStep({ hand, jacobian: jacobian_hand, vjp: vjp_hand }, angles, LENGTHS, TARGET, DAMPING);
  console.log(`iteration ${String(iteration).padStart(2)}: distance to target ${distance.toExponential(3)}, angles ${angles.map(degrees).join('°, ')}°`);
}
const [x, y] = hand(angles, LENGTHS);
console.log(`hand at (${x.toFixed(6)}, ${y.toFixed(6)}), ${Math.hypot(TARGET[0] - x, TARGET[1] - y).toExponential(2)} from the target`);
