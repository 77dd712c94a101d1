// Tuples and objects, nested, with destructuring; local objects whose fields are written and read.
// check: energy({ position: [0.3, 1.2], velocity: { x: -0.4, y: 0.8 } }, 2.5)

interface State {
  position: [number, number];
  velocity: { x: number; y: number };
}

const G = 9.81;

/** @differentiable */
export function energy(state: State, mass: number): number {
  const [, height] = state.position;
  const { x, y } = state.velocity;
  const parts = { kinetic: 0, potential: mass * G * height };
  parts.kinetic = 0.5 * mass * (x * x + y * y);
  return parts.kinetic + parts.potential;
}
