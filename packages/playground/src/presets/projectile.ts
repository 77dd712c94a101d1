/** examples/projectile/tune.ts: a launch through air drag tuned to land on a target. */
import { exported, type LoadedModules, type Problem } from './problem.ts';

type LandingMiss = (angle: number, speed: number, drag: number, target: number) => number;
type ValueAndGrad = (...args: Parameters<LandingMiss>) => { value: number; grad: { angle: number; speed: number } };

const TARGET = 120;
const DRAG = 0.005;
/** The descent runs on (angle, speed / SPEED_SCALE), both of order 1 (see tune.ts). */
const SPEED_SCALE = 50;
const LEARNING_RATE = 4e-6;
const start = [(20 * Math.PI) / 180, 25];

export function projectile(modules: LoadedModules): Problem {
  const landingMiss = exported<LandingMiss>(modules, 'source', 'landingMiss');
  const valueAndGrad = exported<ValueAndGrad>(modules, 'companion', 'valueAndGrad_landingMiss');
  const launch = { angle: start[0]!, speed: start[1]! };
  return {
    steps: 101,
    step() {
      const { value, grad } = valueAndGrad(launch.angle, launch.speed, DRAG, TARGET);
      launch.angle -= LEARNING_RATE * grad.angle;
      launch.speed -= LEARNING_RATE * SPEED_SCALE * SPEED_SCALE * grad.speed;
      // the miss distance, in metres
      return Math.sqrt(value);
    },
    check: {
      inputs: ['angle', 'speed'],
      outputs: ['landingMiss'],
      point: start,
      evaluate: ([angle, speed]) => [landingMiss(angle!, speed!, DRAG, TARGET)],
      jacobian: ([angle, speed]) => {
        const { grad } = valueAndGrad(angle!, speed!, DRAG, TARGET);
        return [[grad.angle, grad.speed]];
      },
    },
  };
}
