/** examples/robot-arm/reach.ts: a three-link arm reaching a target by damped least squares. */
import { exported, type LoadedModules, type Problem } from './problem.ts';

type Hand = (angles: number[], lengths: number[]) => [number, number];
type Jacobian = (angles: number[], lengths: number[]) => number[][];
type Vjp = (angles: number[], lengths: number[], adjoint: [number, number]) => { angles: number[] };

const LENGTHS = [1.0, 0.8, 0.5];
const TARGET: [number, number] = [0.9, 1.4];
const DAMPING = 0.1;
const start = [0.3, 0.3, 0.3];

export function robotArm(modules: LoadedModules): Problem {
  const hand = exported<Hand>(modules, 'source', 'hand');
  const jacobian = exported<Jacobian>(modules, 'companion', 'jacobian_hand');
  const vjp = exported<Vjp>(modules, 'companion', 'vjp_hand');
  const angles = [...start];
  return {
    steps: 10,
    /** Δθ = Jᵀ (J Jᵀ + λ² I)⁻¹ e, e = target − hand(θ); returns |e| before the step. */
    step() {
      const [x, y] = hand(angles, LENGTHS);
      const error = [TARGET[0] - x, TARGET[1] - y];
      const J = jacobian(angles, LENGTHS);
      // A = J Jᵀ + λ² I (2×2), solved by Cramer's rule: w = A⁻¹ e
      const a = J[0]!.reduce((s, v) => s + v * v, 0) + DAMPING ** 2;
      const b = J[0]!.reduce((s, v, i) => s + v * J[1]![i]!, 0);
      const d = J[1]!.reduce((s, v) => s + v * v, 0) + DAMPING ** 2;
      const det = a * d - b * b;
      const w: [number, number] = [(d * error[0]! - b * error[1]!) / det, (a * error[1]! - b * error[0]!) / det];
      // Δθ = Jᵀ w, the vector–Jacobian product wᵀJ: one reverse sweep
      const { angles: delta } = vjp(angles, LENGTHS, w);
      for (let i = 0; i < angles.length; i++) angles[i] = angles[i]! + delta[i]!;
      return Math.hypot(error[0]!, error[1]!);
    },
    check: {
      inputs: ['θ₀', 'θ₁', 'θ₂'],
      outputs: ['x', 'y'],
      point: start,
      evaluate: (p) => hand(p, LENGTHS),
      jacobian: (p) => jacobian(p, LENGTHS),
    },
  };
}
