/**
 * A projectile with quadratic air drag, launched from the ground at `angle` (radians above the
 * horizon) and `speed` (m/s). Its equations of motion are
 *
 *   dx/dt = vx                dvx/dt = -k·|v|·vx
 *   dy/dt = vy                dvy/dt = -g - k·|v|·vy
 *
 * where k = ρ·C_d·A / (2m) is the drag per unit mass (1/m): drag opposes the velocity and grows
 * with its square. There is no closed form, so we integrate numerically with explicit Euler.
 */

/** Gravity at the Earth's surface, m/s². */
const G = 9.81;
/** The number of Euler steps the flight is cut into. */
const STEPS = 1000;

/**
 * The squared distance (m²) between where the projectile lands and the target x (m).
 *
 * The time step is the flight time without drag, 2·speed·sin(angle)/g, cut into STEPS: drag only
 * shortens the flight, so the projectile always lands within the STEPS steps. The step on which y
 * drops below 0 ends the flight (`break`), and the landing x is interpolated linearly between the
 * last point above the ground and the first below it, so that it moves smoothly with the launch.
 * @differentiable
 */
export function landingMiss(angle: number, speed: number, drag: number, target: number): number {
  const dt = (2 * speed * Math.sin(angle)) / G / STEPS;
  let x = 0;
  let y = 0;
  let vx = speed * Math.cos(angle);
  let vy = speed * Math.sin(angle);
  let landingX = 0;
  for (let step = 0; step < STEPS; step++) {
    // Explicit Euler: every derivative is taken at the start of the step.
    const v = Math.sqrt(vx * vx + vy * vy);
    const nextX = x + vx * dt;
    const nextY = y + vy * dt;
    vx += -drag * v * vx * dt;
    vy += (-G - drag * v * vy) * dt;
    if (nextY < 0) {
      // Crossed the ground between (x, y) and (nextX, nextY): y reaches 0 at this fraction of the step.
      const fraction = y / (y - nextY);
      landingX = x + fraction * (nextX - x);
      break;
    }
    x = nextX;
    y = nextY;
    landingX = x;
  }
  const miss = landingX - target;
  return miss * miss;
}
