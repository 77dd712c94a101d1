import { defineConfig } from 'vite';
import { nodeBuiltinsForTheBrowser } from './build/node-builtins.ts';

export default defineConfig({
  // relative asset paths: dist/ can be hosted in any folder of any static server
  base: './',
  plugins: [nodeBuiltinsForTheBrowser()],
  worker: { format: 'es', plugins: () => [nodeBuiltinsForTheBrowser()] },
  // the dev server pre-bundles ts-morph and prettier: with the same browser modules for Node's
  optimizeDeps: { rolldownOptions: { plugins: [nodeBuiltinsForTheBrowser()] } },
  build: { target: 'es2022' },
});
