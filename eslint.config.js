import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Each core package has one public face, its index.ts (DESIGN.md, "Architecture"); files directly in
 * core/ are one-file modules and their own face. Front doors, and core packages importing each other,
 * go through the face, so what a package keeps in internal/ can change without touching its users.
 */
const CORE_PACKAGES = [
  'config',
  'data',
  'drift',
  'evaluate',
  'github',
  'gpu',
  'metrics',
  'net',
  'registry',
  'report',
  'retrain',
  'store',
  'train',
];
const FACE_MESSAGE =
  "import a core package through its index.ts, its one public face; the package's other files are its own";
const publicFaces = (regex) => ['error', { patterns: [{ regex, message: FACE_MESSAGE }] }];
/** From a core package's own files: another package's file other than its index.ts. */
const otherPackageFile = (own) =>
  `^(\\.\\.?/)+(${CORE_PACKAGES.filter((name) => name !== own).join('|')})/(?!index\\.ts$)`;

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/.data/', 'examples/**/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['actions/**', 'app/**', 'cli/**', 'runner/**'],
    rules: {
      'no-restricted-imports': publicFaces('^(\\.\\.?/)+core/[^/]+/(?!index\\.ts$)'),
      // no-restricted-imports does not see `import()`, which the CLI uses to load commands lazily.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^(\\.\\.?\\/)+core\\/[a-z0-9-]+\\/(?!index\\.ts$)/]',
          message: FACE_MESSAGE,
        },
      ],
    },
  },
  { files: ['core/*.ts'], rules: { 'no-restricted-imports': publicFaces(otherPackageFile(undefined)) } },
  ...CORE_PACKAGES.map((name) => ({
    files: [`core/${name}/**`],
    rules: { 'no-restricted-imports': publicFaces(otherPackageFile(name)) },
  })),
  // Type-aware rules: a promise nobody awaits loses its rejection (an unhandled rejection ends the
  // process), and one handed where a void callback is expected is never awaited by its caller.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
