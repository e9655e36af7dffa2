import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const serverOnlyPatterns = [
  {
    group: ['**/db/*', '**/db/**', '**/server/*', '**/server/**'],
    allowTypeImports: true,
    message:
      'Browser code must not import db/ or server/: the classic compiler swaps them for empty modules without an error. Import them from a *.server.ts file.',
  },
]

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'build',
      'public/build',
      'public/styles',
      '.data',
      'test-results',
      'playwright-report',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'off', // Remix guards throw Responses on purpose.
      // Express and Node take callbacks that may return promises; the handlers catch their own errors.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      // Y.Text's toString is its content.
      '@typescript-eslint/no-base-to-string': [
        'error',
        { ignoredTypeNames: ['YText', 'Text', 'Error', 'RegExp', 'URL', 'URLSearchParams'] },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.server.{ts,tsx}', 'app/**/*.test.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: serverOnlyPatterns }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'react', 'react-dom', 'drizzle-orm', 'drizzle-orm/*', 'postgres'],
              message: 'shared/ is pure: no Node, React or database.',
            },
            {
              group: ['**/db/**', '**/server/**', '**/app/**', '**/test/**', '~/*', '**/bench/**'],
              message: 'shared/ imports nothing of ours but shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)
