/** The disk as the core's CompilerHost, for tests and benchmarks that compile files by path: the one users get. */
export { nodeHost as diskHost } from '@adjoint/core/node';
