/**
 * How the generated code writes a property name that comes from the user's program (a parameter
 * named in a gradient object, a field of an object parameter). Bare where it is an identifier
 * that means only itself, quoted where it is not an identifier (`'a-b'`), and `__proto__` in an
 * object literal always computed: `{ __proto__: d }` would set the new object's prototype instead
 * of making a property, so the gradient would read as Object.prototype.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export const isIdentifierName = (name: string): boolean => IDENTIFIER.test(name);

/** The key of a property in an object literal: `x`, `"a-b"`, `["__proto__"]`. */
export function literalKey(name: string): string {
  if (name === '__proto__') return `[${JSON.stringify(name)}]`;
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

/** The name of a property in a type literal (where `__proto__` is an ordinary property). */
export function typeMemberKey(name: string): string {
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

/** Property access: `.x`, or `["a-b"]` for a name that is not an identifier. */
export function accessSuffix(name: string): string {
  return isIdentifierName(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
