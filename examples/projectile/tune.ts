/**
 * Tunes a launch so that a projectile with air drag lands on a target, by gradient descent on the
 * launch angle and speed, with the gradient that Adjoint generated in simulation.grad.ts from the
 * Euler simulation in simulation.ts. Run `pnpm adjoint examples` first to (re)generate it.
 *
 * Many launches hit the target (a flat fast one, a high slow one, ...): gradient descent finds the
 * one nearest to where it starts.
 */
import { landingMiss } from './simulation.ts';
import { valueAndGrad_landingMiss } from './simulation.grad.ts';

/** Where the projectile should land (m) and its drag per unit mass k (1/m), about a baseball's. */
const TARGET = 120;
const DRAG = 0.005;

/**
 * Angle (radians) and speed (m/s) have different units and scales, so the descent runs on
 * (angle, speed / SPEED_SCALE), both of order 1. In those coordinates a step is
 *   angle ← angle - η·∂f/∂angle,   speed ← speed - η·SPEED_SCALE²·∂f/∂speed,
 * since ∂f/∂(speed/S) = S·∂f/∂speed and the speed moves S times its scaled step.
 */
const SPEED_SCALE = 50;
const LEARNING_RATE = 4e-6;
const ITERATIONS = 100;
const REPORT_EVERY = 10;

const degrees = (radians: number) => (radians * 180) / Math.PI;

interface Launch {
  angle: number;
  speed: number;
}

/** One gradient descent step on f = (landing x - target)²; returns the miss distance before it. */
function descend(launch: Launch): number {
  const { value, grad } = valueAndGrad_landingMiss(launch.angle, launch.speed, DRAG, TARGET);
  launch.angle -= LEARNING_RATE * grad.angle;
  launch.speed -= LEARNING_RATE * SPEED_SCALE * SPEED_SCALE * grad.speed;
  return Math.sqrt(value);
}

/** Central finite difference with one Richardson step: (4·D(h/2) - D(h)) / 3, error O(h⁴). */
function finiteDifference(f: (x: number) => number, x: number, h: number): number {
  const central = (step: number) => (f(x + step) - f(x - step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** Compares the generated gradient with finite differences of the simulation itself. */
function checkGradient(launch: Launch): void {
  const { angle, speed } = launch;
  const grad = valueAndGrad_landingMiss(angle, speed, DRAG, TARGET).grad;
  const numeric = {
    angle: finiteDifference((a) => landingMiss(a, speed, DRAG, TARGET), angle, 1e-5),
    speed: finiteDifference((s) => landingMiss(angle, s, DRAG, TARGET), speed, 1e-4),
  };
  console.log(`gradient check at angle ${degrees(angle).toFixed(1)}°, speed ${speed.toFixed(1)} m/s:`);
  for (const key of ['angle', 'speed'] as const) {
    const relative = Math.abs(grad[key] - numeric[key]) / Math.abs(numeric[key]);
    console.log(
      `  ∂f/∂${key.padEnd(5)} adjoint ${grad[key].toPrecision(10).padStart(16)}   finite differences ${numeric[key].toPrecision(10).padStart(16)}   relative difference ${relative.toExponential(1)}`,
    );
  }
}

const start: Launch = { angle: (20 * Math.PI) / 180, speed: 25 };
const launch: Launch = { ...start };
console.log(`Tuning a launch to land ${TARGET} m away, with quadratic drag k = ${DRAG} /m (1000 Euler steps per flight)`);
console.log(`start: angle ${degrees(launch.angle).toFixed(2)}°, speed ${launch.speed.toFixed(2)} m/s`);
for (let iteration = 0; iteration <= ITERATIONS; iteration++) {
  const miss = descend(launch);
  if (iteration % REPORT_EVERY === 0) console.log(`iteration ${String(iteration).padStart(3)}  miss ${miss.toExponential(3)} m`);
}
const finalMiss = Math.sqrt(landingMiss(launch.angle, launch.speed, DRAG, TARGET));
console.log(`found: angle ${degrees(launch.angle).toFixed(2)}°, speed ${launch.speed.toFixed(2)} m/s, lands ${finalMiss.toExponential(2)} m from the target`);
checkGradient(start);
