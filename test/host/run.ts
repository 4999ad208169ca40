/**
 * Command line for the UI test host, run by Node 24 directly (type stripping);
 * Vite's module runner loads the TypeScript sources as the tests do.
 *
 *   node test/host/run.ts screenshot [out.png] [light|dark]
 *   node test/host/run.ts views [outDir]              (docs/view-*.png)
 *   node test/host/run.ts files [out.png]            (docs/screenshot-files.png)
 *   node test/host/run.ts private [out.png]          (docs/screenshot-private.png)
 *   node test/host/run.ts serve <dataDir> [port]     (open the printed URL in a browser)
 */
import { resolve } from 'node:path'
import { runnerImport } from 'vite'
import type * as Screenshot from './screenshot.js'
import type * as ViewShots from './view-shots.js'
import type * as FileShot from './file-shot.js'
import type * as PrivateShot from './private-shot.js'
import type * as Host from './host.js'

const here = new URL('.', import.meta.url).pathname
const [command, ...args] = process.argv.slice(2)

if (command === 'screenshot') {
  const { module } = await runnerImport<typeof Screenshot>(resolve(here, 'screenshot.ts'))
  const out = resolve(args[0] ?? 'docs/screenshot.png')
  await module.makeScreenshot(out, args[1] === 'dark' ? 'dark' : 'light')
  console.log(`wrote ${out}`)
  process.exit(0)
} else if (command === 'views') {
  const { module } = await runnerImport<typeof ViewShots>(resolve(here, 'view-shots.ts'))
  for (const file of await module.makeViewShots(resolve(args[0] ?? 'docs'))) console.log(`wrote ${file}`)
  process.exit(0)
} else if (command === 'files') {
  const { module } = await runnerImport<typeof FileShot>(resolve(here, 'file-shot.ts'))
  const out = resolve(args[0] ?? 'docs/screenshot-files.png')
  await module.makeFileShot(out)
  console.log(`wrote ${out}`)
  process.exit(0)
} else if (command === 'private') {
  const { module } = await runnerImport<typeof PrivateShot>(resolve(here, 'private-shot.ts'))
  const out = resolve(args[0] ?? 'docs/screenshot-private.png')
  await module.makePrivateShot(out)
  console.log(`wrote ${out}`)
  process.exit(0)
} else if (command === 'serve' && args[0] !== undefined) {
  const { module } = await runnerImport<typeof Host>(resolve(here, 'host.ts'))
  const host = await module.startTestHost({ dataDir: resolve(args[0]), port: Number(args[1] ?? 0) })
  console.log(`LAN Chat test host: ${host.url}`)
  const stop = (): void => void host.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} else {
  console.error('usage: node test/host/run.ts screenshot [out.png] [light|dark] | views [outDir] | files [out.png] | private [out.png] | serve <dataDir> [port]')
  process.exit(2)
}
