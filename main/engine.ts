/**
 * The engine process: Electron's main process starts it as a utilityProcess,
 * the UI test host as a Node child process; either way it serves the host
 * over the protocol of main/app/engine-link.ts.
 *
 *   out/main/engine.js --options '{"dataDir":"…"}'
 */
import type { Channel, FromEngine, ToEngine } from './app/engine-link.js'
import { serveEngine, type EngineProcessOptions } from './app/engine-serve.js'
import { tuneHeapForEngine } from './app/heap.js'

interface ParentPort {
  on: (event: 'message', listener: (e: { data: unknown }) => void) => void
  postMessage: (message: unknown) => void
}

function parentChannel(): Channel<FromEngine, ToEngine> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (port !== undefined) {
    // Electron's utilityProcess: messages wait in the port until this handler is on.
    return { send: (m) => { port.postMessage(m) }, onMessage: (l) => { port.on('message', (e) => { l(e.data as ToEngine) }) }, onGone: () => {} }
  }
  if (process.send === undefined) throw new Error('out/main/engine.js runs as a child of LAN Chat (no message channel to a parent)')
  return {
    // A parent gone before a message left (it exited, or failed to start) is told by 'disconnect', not by an EPIPE thrown here.
    send: (m) => { if (process.connected) process.send?.(m, undefined, undefined, () => {}) },
    onMessage: (l) => { process.on('message', (m) => { l(m as ToEngine) }) },
    onGone: (l) => { process.on('disconnect', () => { l(null) }) }
  }
}

function options(): EngineProcessOptions {
  const i = process.argv.indexOf('--options')
  const raw = i < 0 ? undefined : process.argv[i + 1]
  if (raw === undefined) throw new Error('out/main/engine.js needs --options JSON')
  const parsed = JSON.parse(raw) as EngineProcessOptions
  if (typeof parsed.dataDir !== 'string') throw new Error('--options needs a "dataDir"')
  return parsed
}

tuneHeapForEngine()
const channel = parentChannel()
// The host is gone (a Node parent that exited): stop here, as Electron does with its utility processes.
channel.onGone(() => { process.exit(0) })
serveEngine(channel, options(), (code) => { process.exit(code) })
