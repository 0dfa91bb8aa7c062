import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-bench/**',
      '**/.next/**',
      '**/.nx/**',
      '.run/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
      'e2e/output/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Nest resolves constructor parameters from emitted decorator metadata: they must stay value imports.
    files: ['backend/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // jest matchers (expect.any, expect.stringMatching) and supertest bodies are typed `any`
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // the backend imports its own sources through `#src/...` (package.json imports)
          allowCircularSelfDependency: true,
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:backend', 'scope:shared'] },
            { sourceTag: 'scope:frontend', onlyDependOnLibsWithTags: ['scope:frontend', 'scope:shared'] },
            {
              sourceTag: 'scope:e2e',
              onlyDependOnLibsWithTags: ['scope:e2e', 'scope:shared', 'scope:tools'],
            },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools'] },
          ],
        },
      ],
    },
  },
  prettier,
  {
    // after prettier, which switches curly off: every block braced, so an added line cannot fall outside it
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: { eqeqeq: ['error', 'smart'], curly: ['error', 'all'], 'no-duplicate-imports': 'error' },
  },
  {
    // logs go through the framework's logger; the stack runner, the bench and the migration CLI print
    files: ['backend/src/**/*.ts', 'frontend/src/**/*.{ts,tsx}', 'libs/contracts/src/**/*.ts'],
    // main.ts prints why the process could not boot, before any logger exists
    ignores: ['backend/src/database/migrate.ts', 'backend/src/main.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // only the code that owns a store or the Kafka connection talks to a driver
    files: ['backend/src/**/*.ts'],
    ignores: [
      'backend/src/**/*.repository.ts',
      'backend/src/**/*.module.ts',
      'backend/src/**/*.entity.ts',
      'backend/src/**/*.spec.ts',
      'backend/src/database/**',
      'backend/src/kafka/**',
      'backend/src/cassandra/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['kafkajs', 'cassandra-driver', 'pg', 'typeorm'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'drivers are used from repositories, modules and the kafka/ and cassandra/ seams only',
          })),
        },
      ],
    },
  },
  ...[1, 2, 3].map((depth) => ({
    // a relative import stays inside its feature folder; another feature is reached as #src/<feature>/index.js
    files: [`backend/src/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // backend/test's helpers stay reachable from the unit specs
              regex: `^(\\.\\./){${depth}}(?!\\.\\./test/)`,
              message: 'another feature: import it as #src/<feature>/index.js',
            },
          ],
        },
      ],
    },
  })),
);
