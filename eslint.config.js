import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'net', 'http', 'child_process', 'events', 'stream', 'util', 'buffer', 'url']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'main/net/pb/*.ts', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  {
    // The pure core: logic only, runnable anywhere, tested without sockets.
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'main/core is pure: no Electron.' },
          { group: ['libp2p', '@libp2p/*', '@chainsafe/*', '@multiformats/*'], message: 'main/core is pure: no libp2p.' },
          { group: ['node:*', ...nodeBuiltins], message: 'main/core is pure: no Node built-ins.' }
        ]
      }]
    }
  },
  {
    // The renderer runs sandboxed in a browser: it reaches the engine only through the preload API.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'node:*', '../../main/*', '../main/*'], message: 'The renderer talks to the engine through the preload API only.' }
        ]
      }]
    }
  }
)
