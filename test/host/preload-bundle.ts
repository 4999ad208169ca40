/**
 * Bundles the real preload (preload/index.ts) for the browser, with `electron`
 * aliased to the WebSocket shim, so the page under test gets `window.lanchat`
 * from the same code the Electron app ships.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Rollup } from 'vite'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
let cached: Promise<string> | undefined

async function bundle(): Promise<string> {
  const output = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: { alias: { electron: resolve(root, 'test/host/electron-shim.ts') } },
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: resolve(root, 'preload/index.ts'), formats: ['iife'], name: 'lanchatPreload', fileName: () => 'preload.js' }
    }
  })
  const outputs = (Array.isArray(output) ? output : [output]) as Rollup.RollupOutput[]
  const chunk = outputs.flatMap((o) => o.output).find((o): o is Rollup.OutputChunk => o.type === 'chunk')
  if (chunk === undefined) throw new Error('Bundling the preload produced no code.')
  return chunk.code
}

/** The browser build of the preload; built once per process. */
export function preloadBundle(): Promise<string> {
  cached ??= bundle()
  return cached
}
