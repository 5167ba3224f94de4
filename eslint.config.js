// ESLint: a small, strict set of rules that the compiler does not check, run by `npm run lint`
// (and by .ci/run). Type-aware: each file is checked with the types of its tsconfig.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/dist.tmp-*/**', '.cache/**', '.data/**', 'map-client/public/**', 'migrations/src/**/*.js', '**/*.tmp.ts'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      '@typescript-eslint': tseslint.plugin,
      'import-x': importX,
    },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits or catches loses its error (an unhandled rejection ends the process).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // A promise returned from inside try/finally settles after `finally` has run: a browser context or
      // a database transaction closed there is gone before the work it held finished. Await it there.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // A promise where a plain value is expected (`if (promise)`, a spread): always a mistake.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // No unused code: variables, imports, parameters after the last used one, private members.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-unused-private-class-members': 'error',
      // Types imported as types, so that imports of values say what runs.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // No import cycles: a module graph that can be read from the bottom up.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
