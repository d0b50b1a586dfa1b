import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'node_modules/**',
      'coverage/**',
      'storage/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // Nest injects by the types that decorator metadata records: type-only imports would erase them.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'error',
    },
  },
  {
    // Configuration is read in one place: libs/config.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @depot/config.' },
      ],
    },
  },
  {
    // Apps import libs only through their public entry.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*/src/**', '@depot/*/*'], message: 'Import a lib through @depot/<name>.' },
          ],
        },
      ],
    },
  },
  {
    // A lib's unit and integration tests may reach what it does not export by relative path.
    files: ['test/unit/**/*.ts', 'test/integration/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@depot/*/*'], message: 'Import a lib through @depot/<name>.' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'database/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
