// The layout of the project's own code (`pnpm format` writes it, `pnpm lint` checks it).
// Companions (*.grad.ts) keep Adjoint's own style (5-emit: single quotes, 100 columns): the CLI
// formats the examples' companions with the configuration it finds here.
export default {
  singleQuote: true,
  printWidth: 140,
  overrides: [{ files: '*.grad.ts', options: { printWidth: 100 } }],
};
