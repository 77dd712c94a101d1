/** A gradient is shaped like the argument it belongs to: each array as long as the argument's. */
import { expect } from 'vitest';

/** Every array in `adjoint` (and in its fields and rows) has the length of the same array in `argument`. */
export function expectShapedLike(adjoint: unknown, argument: unknown, where: string): void {
  const isArray = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || ArrayBuffer.isView(v);
  if (isArray(adjoint) && isArray(argument)) {
    expect(adjoint.length, `${where}: the gradient has ${adjoint.length} entries, the argument ${argument.length}`).toBe(argument.length);
    for (let i = 0; i < adjoint.length; i++) expectShapedLike(adjoint[i], argument[i], `${where}[${i}]`);
  } else if (typeof adjoint === 'object' && adjoint !== null && typeof argument === 'object' && argument !== null) {
    for (const [key, value] of Object.entries(adjoint)) expectShapedLike(value, (argument as Record<string, unknown>)[key], `${where}.${key}`);
  }
}
