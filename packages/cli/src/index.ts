/** @adjoint/cli: the `adjoint` command, also callable from code. */
export { main } from './main.js';
export { run, type RunOptions } from './run.js';
export { ExitCode } from './exit-code.js';
export type { Environment, Terminal } from './environment.js';
export type { FileSystem } from './file-system.js';
