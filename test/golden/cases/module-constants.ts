// Module-level numeric constants are copied into the companion, with the constants they read.
// One is named like a generated export and is renamed in the companion.
// check: oscillator(0.4, 2.5)
// check: oscillator(1.7, 0.3)

const TAU = 2 * Math.PI;
const FREQUENCY = 1.5;
const OMEGA = TAU * FREQUENCY;
const grad_oscillator = 0.25;

/** @differentiable */
export function oscillator(t: number, amplitude: number): number {
  return amplitude * Math.cos(OMEGA * t) * Math.exp(-grad_oscillator * t);
}
