/**
 * The derivatives Adjoint generated at a point, against central finite differences of the source
 * function with one Richardson step, computed by the test suite's own helper
 * (test/support/finite-difference.ts), with its tolerance.
 */
import { closeTo, partialDerivative } from '../../../test/support/finite-difference.ts';
import type { GradientCheckRow } from './protocol.ts';
import type { DerivativeCheck } from './presets/problem.ts';

export function checkDerivatives(check: DerivativeCheck): GradientCheckRow[] {
  const adjoint = check.jacobian(check.point);
  const columns = check.sample ?? check.inputs.map((_, j) => j);
  return columns.flatMap((j) =>
    check.outputs.map((output, i) => ({
      label: `∂${output}/∂${check.inputs[j]}`,
      adjoint: adjoint[i]![j]!,
      finiteDifference: partialDerivative((...point) => check.evaluate(point)[i]!, check.point, j),
    })),
  );
}

/** Whether Adjoint's derivative and the finite difference agree to the test suite's tolerance (1e-6 relative). */
export function agrees(row: GradientCheckRow): boolean {
  return closeTo(row.adjoint, row.finiteDifference);
}

/** |adjoint − finite difference| relative to the larger of the two, or absolute below 1. */
export function relativeDifference(row: GradientCheckRow): number {
  return Math.abs(row.adjoint - row.finiteDifference) / Math.max(1, Math.abs(row.adjoint), Math.abs(row.finiteDifference));
}
