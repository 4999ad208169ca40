import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { contentSecurityPolicy } from './main/app/csp'

/** Writes the one CSP (main/app/csp.ts) into index.html; the app and the test host also send it as a header. */
function cspMeta(): Plugin {
  let dev = false
  return {
    name: 'lanchat-csp-meta',
    configResolved(config) {
      dev = config.command === 'serve'
    },
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(dev ? 'dev' : 'meta') }, injectTo: 'head-prepend' }
    ]
  }
}

// Three builds: the main process (Electron glue, the engine process it starts and
// the headless CLI, which share the engine), the sandboxed preload (must be CommonJS), and the React renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The engine's dependencies (libp2p and its ~90 ES-module packages) are bundled into
      // out/main: nothing is resolved inside app.asar at run time (scripts/pack-check.ts loads the bundle with no node_modules).
      externalizeDeps: false,
      rolldownOptions: {
        // The one exception: libsodium's addon (main/net/noise-crypto.ts) is a native file that cannot be
        // bundled; it ships in app.asar's node_modules as the one runtime dependency.
        external: ['sodium-native'],
        input: {
          index: resolve('main/index.ts'),
          engine: resolve('main/engine.ts'),
          cli: resolve('main/cli.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: 'renderer',
    plugins: [cspMeta(), react()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: { index: resolve('renderer/index.html') }
      }
    }
  }
})
