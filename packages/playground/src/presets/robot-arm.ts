/** examples/robot-arm/reach.ts: a three-link arm reaching a target by damped least squares. */
import { dampedStep, type Arm } from '../../../../examples/robot-arm/damped-least-squares.ts';
import { exported, type LoadedModules, type Problem } from './problem.ts';

const LENGTHS = [1.0, 0.8, 0.5];
const TARGET: [number, number] = [0.9, 1.4];
const DAMPING = 0.1;
const start = [0.3, 0.3, 0.3];

export function robotArm(modules: LoadedModules): Problem {
  const arm: Arm = {
    hand: exported<Arm['hand']>(modules, 'source', 'hand'),
    jacobian: exported<Arm['jacobian']>(modules, 'companion', 'jacobian_hand'),
    vjp: exported<Arm['vjp']>(modules, 'companion', 'vjp_hand'),
  };
  const angles = [...start];
  return {
    steps: 10,
    // the distance from the hand to the target before the step
    step: () => dampedStep(arm, angles, LENGTHS, TARGET, DAMPING),
    check: {
      inputs: ['θ₀', 'θ₁', 'θ₂'],
      outputs: ['x', 'y'],
      point: start,
      evaluate: (p) => arm.hand(p, LENGTHS),
      jacobian: (p) => arm.jacobian(p, LENGTHS),
    },
  };
}
