import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import { builtinModules } from 'node:module'

// Every Node built-in, bare, with node: and with subpaths (zlib, dgram, fs/promises…), not a hand-kept list.
const nodeBuiltin = `^(node:)?(${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'main/net/pb/*.ts', 'bench/results/**',
    // electron-vite bundles its config to a temporary file beside it while it builds; CI lints and builds
    // side by side, and ESLint failed on one that was listed and gone before it was read.
    '*.config.ts.*.mjs', '*.config.ts.timestamp-*.mjs'] },
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
          { regex: nodeBuiltin, message: 'main/core is pure: no Node built-ins.' },
          // Only relative imports inside main/core: no package at all (the allowlist is empty), no other layer.
          { regex: '^(?!\\./)', message: 'main/core is pure: it imports only its own modules (no packages, no Electron, no libp2p).' }
        ]
      }]
    }
  },
  {
    // The engine (chat, net, store, server; core has its stricter rule above) is driven by hosts and knows none of them.
    files: ['main/{chat,net,store,server}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/app/*', '**/app', '../index.js', '../cli.js', 'electron', 'electron/*'], message: 'The engine may not import from main/app, a host or Electron: hosts import the engine, not the other way.' }
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
          { regex: nodeBuiltin, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
          { group: ['electron', 'node:*', '**/main/*', '**/main/**'], message: 'The renderer talks to the engine through the preload API only.' }
        ]
      }]
    }
  }
)
