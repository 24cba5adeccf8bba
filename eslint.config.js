import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'confbill-data/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', URL: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The dependency rule of docs/architecture.md: the domain core is pure. It imports nothing of
    // ours outside src/domain and no I/O, clock, environment or framework.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../*', '!./*'], message: 'src/domain imports only from src/domain.' },
          { group: ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'stream', 'pg', 'pg-*', '@electric-sql/*', 'commander', 'cli-progress', 'csv-parse', 'yaml'],
            message: 'src/domain does no I/O: pass data in as arguments.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'src/domain reads no environment.' },
        { name: 'fetch', message: 'src/domain does no I/O.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/domain reads no clock: take "now" as an argument.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'src/domain reads no clock: take "now" as an argument.' },
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money never passes through floats.' },
        { selector: 'FunctionDeclaration[async=true]', message: 'src/domain is synchronous.' },
      ],
    },
  },
);
