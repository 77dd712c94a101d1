/** `stopGradient` is @adjoint/runtime's; @adjoint/core re-exports it for code that imports it from here. */
export { stopGradient } from '@adjoint/runtime';
