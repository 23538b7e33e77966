// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** I/O libraries that src/domain and src/engine must never import (DESIGN §4: dependencies point inward). */
const IO_MODULES = [
  'pg',
  'pg-*',
  'better-sqlite3',
  'kysely',
  'kysely/*',
  'fastify',
  'fastify/*',
  '@fastify/*',
  'undici',
  'ioredis',
  '@octokit/*',
  'octokit',
  'pino',
  'commander',
  'node:child_process',
  'child_process',
  'node:fs',
  'fs',
  'node:fs/promises',
  'fs/promises',
  'node:net',
  'net',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:dgram',
  'node:worker_threads',
  'node:cluster',
  'node:os',
  'os',
];
const OUTER_LAYERS = [
  '**/store/**',
  '**/runners/**',
  '**/cli/**',
  '**/main/**',
  '**/api/**',
  '**/config/**',
  '**/agents/**',
  '**/forges/**',
  '**/actions/**',
  // src/domain/agents (role catalog, runtime → provider) is domain, not the src/agents adapters
  '!**/domain/agents/**',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.baton/**',
      'dist/**',
      'coverage/**',
      'web/**',
      'examples/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    // The core: no I/O libraries, no outer layers (VS Code `code-layering`, trigger.dev residency rules).
    files: ['src/domain/**/*.ts', 'src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: IO_MODULES,
              message:
                'src/domain and src/engine must stay free of I/O: declare a port in src/engine/ports and implement it outside.',
            },
            {
              group: OUTER_LAYERS,
              message: 'Dependencies point inward: domain/engine may not import outer layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IO_MODULES, message: 'src/domain must stay free of I/O.' },
            {
              group: [...OUTER_LAYERS, '**/engine/**'],
              message: 'src/domain is the innermost layer: it imports nothing from other layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
