// The import-cycle check of `pnpm lint` (dpdm): no module of packages/*/src may import itself
// back, through any chain of imports, type-only imports included. A cycle means two modules that
// cannot be read, tested or changed apart: break it by moving what both need into a module of its
// own, or by handing a function in (as 2-lower's context is handed the lowering of expressions and
// function bodies: phases/2-lower/nested-lowering.ts).
export default {
  files: ['packages/*/src/**/*.ts'],
  exclude: 'dist|node_modules',
  tree: false,
  warning: false,
  circular: true,
  progress: false,
  exitCode: 'circular:1',
};
