import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@adjoint/core/node': `${root}packages/core/src/node-host.ts`,
      '@adjoint/core': `${root}packages/core/src/index.ts`,
      '@adjoint/runtime': `${root}packages/runtime/src/index.ts`,
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // the compiler checks the IR after lowering and after every optimisation pass (ir/verify.ts)
    env: { ADJOINT_VERIFY_IR: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
