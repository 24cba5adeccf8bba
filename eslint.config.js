import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'web/src/api/openApiTypes.ts', 'test-results/', 'confbill-data/', 'bench/out/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', URL: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The web admin runs in the browser and talks to confbill through the Billing API only.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', fetch: 'readonly', FormData: 'readonly', XMLHttpRequest: 'readonly', Blob: 'readonly', File: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', AbortController: 'readonly' } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../src/*', '../../../src/*', '../../../../src/*'], message: 'The web admin uses the Billing API (src/api/openApiTypes.ts), never confbill\'s own modules.' }] }],
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
  // The other directions of docs/architecture.md: each layer uses only the layers below it.
  ...[
    { files: ['src/storage/**/*.ts'], forbidden: ['services', 'cli', 'api', 'export'], why: 'src/storage is SQL: it is used by services and uses only the domain (and the types of the records it stores).', typesOf: ['ingest'] },
    { files: ['src/ingest/**/*.ts'], forbidden: ['storage', 'services', 'cli', 'api', 'export'], why: 'src/ingest turns formats into calls and knows nothing of the database or the faces.' },
    { files: ['src/export/**/*.ts'], forbidden: ['storage', 'services', 'cli', 'api', 'ingest'], why: 'src/export renders loaded data: it knows nothing of the database or the faces.' },
    { files: ['src/services/**/*.ts'], forbidden: ['cli', 'api'], why: 'src/services is the application layer of both faces: it never reaches up into one.' },
    { files: ['src/cli/**/*.ts'], forbidden: ['storage'], why: 'src/cli calls the use cases of src/services (src/services/openDatabase.ts opens the database), never storage; `confbill serve` starts src/api.' },
    { files: ['src/api/**/*.ts'], forbidden: ['storage', 'cli'], why: 'src/api calls the use cases of src/services (src/services/openDatabase.ts opens the database), never storage.' },
  ].map(({ files, forbidden, why, typesOf = [] }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: forbidden.flatMap((layer) => [`../${layer}/*`, `../../${layer}/*`]), message: why },
          ...typesOf.map((layer) => ({ group: [`../${layer}/*`, `../../${layer}/*`], allowTypeImports: true, message: why })),
        ],
      }],
    },
  })),
);
