/** `adjoint()` for webpack: serves `foo.grad` companions generated in memory. */
import { adjoint } from './index.js';

export type { AdjointPluginOptions } from './index.js';
export default adjoint.webpack;
