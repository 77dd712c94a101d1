// The lint of the project's own code (`pnpm lint`): ESLint's and typescript-eslint's recommended
// rules, without those that Prettier's formatting settles (eslint-config-prettier). It covers
// the packages' sources and the scripts; tests and their inputs are left out (golden cases keep
// unused variables on purpose, and tests read companions through `any`).
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.grad.ts'] },
  {
    files: ['packages/*/src/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.{js,ts}'],
    extends: [eslint.configs.recommended, tseslint.configs.recommended, prettier],
    rules: {
      // a name that starts with _ is left unused on purpose (a parameter an interface requires,
      // fields taken out of an object before the rest is passed on)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `map.get(k)?.push(v) ?? map.set(k, [v])`: the code's idiom for grouping
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  // scripts run on Node
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: globals.node } },
);
