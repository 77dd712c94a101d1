/** Methods of a source's classes, called as the companion's functions are: the instance first. */
import type { Argument } from './finite-difference.js';
import type { ModuleExports } from './load.js';

type Method = (...args: Argument[]) => number;

/**
 * `Class.method` of the source as a function of the instance and the method's arguments. The
 * instance may be a plain object of the fields (finite differences perturb structured clones,
 * which lose their class): it is given the class's prototype before the call, so that the method
 * finds the methods it calls through `this`. A static method is called on the class.
 */
export function methodAsFunction(source: ModuleExports, className: string, method: string, { isStatic = false } = {}): Method {
  const cls = source[className] as ({ prototype: Record<string, Method> } & Record<string, Method>) | undefined;
  if (!cls) throw new Error(`the source has no class '${className}'`);
  if (isStatic) return (...args) => cls[method]!(...args);
  return (self, ...args) => cls.prototype[method]!.apply(Object.setPrototypeOf(self, cls.prototype), args);
}
