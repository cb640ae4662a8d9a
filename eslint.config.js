// Lint rules that catch real bugs in this codebase; style is prettier's job (.prettierrc.json).
// One type-checked program for the whole tree: tsconfig.test.json covers every .ts file, tests included,
// and resolves the workspace packages to their TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  { ignores: ['**/node_modules/', '**/dist/', 'sdk/contracts/gen/', 'data/', '.cache/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // promises: a dropped or misplaced promise loses its error (an unhandled rejection ends the process)
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test awaits its own test()/describe() calls; subtests (t.test) still have to be awaited
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // types that lie
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[typeAnnotation.typeName.name='Error']",
          message: 'Use errorMessage(err) / errorKind(err) from @edgex-ts/contracts instead of casting to Error.',
        },
        {
          selector: "TSTypeAssertion[typeAnnotation.typeName.name='Error']",
          message: 'Use errorMessage(err) / errorKind(err) from @edgex-ts/contracts instead of casting to Error.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
