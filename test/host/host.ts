/**
 * The UI test host: the real engine and the real IPC handlers (main/app), with
 * a WebSocket bridge where Electron has IPC. As in the app, the engine runs in
 * a child process (the built out/main/engine.js, here a Node child where the
 * app has Electron's utilityProcess) behind the same EngineLink protocol. It
 * serves the built renderer from out/renderer and injects the real preload,
 * bundled with an `electron` shim, so a browser page runs the same UI code
 * path as the Electron window.
 *
 *   const host = await startTestHost({ dataDir })
 *   // open host.url in Chromium, then
 *   await host.close()
 *
 * Like the Electron window it sends the one Content-Security-Policy
 * (main/app/csp.ts), and it only accepts bridge connections from its own page.
 */
import type { RetryTimes } from '../../main/net/overlay.js'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { fork } from 'node:child_process'
import { EVENT_CHANNEL, type AppEvent, type ErrorInfo, type OperationName, type RequestOf, type ResponseOf, type Settings } from '../../preload/contract.js'
import { childChannel, EngineLink, type FromEngine, type ToEngine } from '../../main/app/engine-link.js'
import type { EngineProcessOptions } from '../../main/app/engine-serve.js'
import { dispatchOver } from '../../main/app/handlers.js'
import { hostOperations, isHostOperation } from '../../main/app/links.js'
import { baseHeaders, contentType, rendererFile } from '../../main/app/renderer-files.js'
import { Notifier } from '../../main/app/notifier.js'
import type { BurstNotification } from '../../main/app/notify.js'
import { preloadBundle } from './preload-bundle.js'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
export const RENDERER_DIR = join(root, 'out/renderer')
export interface TestHostOptions {
  dataDir: string
  /** HTTP port of the page; 0 picks a free one. */
  port?: number
  /** Settings for a fresh data dir (e.g. a name, to skip the first-run screen). */
  defaults?: Partial<Settings>
  dial?: string[]
  /** Where downloads go (default: `downloads` in the data dir). */
  downloadsDir?: string
  /** How long a download waits with nobody serving it before it stops, ms (default: the app's 30 s). */
  stallMs?: number
  /**
   * The folder the test's files are picked from: the page's stand-in for Electron's webUtils.getPathForFile
   * (electron-shim.ts) learns a picked file's path here, by its name and size; without it no file has a path.
   */
  pickFolder?: string
  /** The backoff of the engine's redials of a peer that is down (net/overlay.ts); a test lengthens it to minutes. */
  redialRetry?: Partial<RetryTimes>
}

export interface TestHost {
  url: string
  /** Call an operation of the app, as the page would; throws the error it answers. */
  call: <K extends OperationName>(op: K, ...request: RequestOf<K> extends undefined ? [] : [RequestOf<K>]) => Promise<ResponseOf<K>>
  /** Why the app could not open, as the page is told. */
  readonly failure: ErrorInfo | undefined
  /** Badge count last set by the page, as Electron's app.setBadgeCount would get it. */
  badge: () => Promise<number>
  /** "Show in folder" / "Open" requests the page made, as Electron's main would carry them out (here: only recorded). */
  revealed: () => Array<{ action: 'folder' | 'open'; path: string }>
  /** Links the page asked to open in the system browser (only those the schema let through). */
  opened: () => string[]
  /**
   * As if the computer's last input (to any program) was `ms` ago, counting on from now, as Electron's
   * powerMonitor tells; undefined: the host cannot tell (the default here). Only the test host has it.
   */
  setSystemIdle?: (ms: number | undefined) => void
  /** What the system clipboard holds, read by Electron's main (only with the real app: the test host's page is read in Chromium). */
  clipboard?: () => Promise<string>
  /**
   * The desktop notifications the app would have shown, in order, as Electron's main decides them
   * (main/app/notifier.ts) with its window in the background. Only the test host has it.
   */
  notified?: () => BurstNotification[]
  /** Send the page an event as Electron's main does on its own (a click on a notification: `open`). */
  emit: (event: AppEvent) => Promise<void>
  close(): Promise<void>
}

export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  try {
    await stat(join(RENDERER_DIR, 'index.html'))
  } catch {
    throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npm run build\` first.`)
  }
  const preload = await preloadBundle()
  let badge = 0
  // The engine in its own process, started as the Electron app starts it (main/index.ts).
  const engineOptions: EngineProcessOptions = {
    dataDir: options.dataDir,
    listenHost: '127.0.0.1',
    // Tests share the machine with other developers: no multicast discovery.
    mdnsAvailable: false,
    defaults: { mdns: false, ...options.defaults },
    dial: options.dial ?? [],
    downloadsDir: options.downloadsDir ?? join(options.dataDir, 'downloads'),
    ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
    ...(options.redialRetry !== undefined ? { redialRetry: options.redialRetry } : {})
  }
  const child = fork(join(root, 'out/main/engine.js'), ['--options', JSON.stringify(engineOptions)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const link = new EngineLink(childChannel<ToEngine, FromEngine>(child))
  // The badge is the host's own (Electron's app.setBadgeCount), through the same schema as everything else.
  // So is the system browser: the test host records what it would open (main/app/links.ts).
  const opened: string[] = []
  let lastInput: number | undefined
  const hostOnly = dispatchOver(hostOperations({
    setUnread: (count) => { badge = count },
    openLink: (url) => { opened.push(url) },
    // No time (NaN) answers null, as a host that cannot tell.
    systemIdle: () => (lastInput === undefined ? NaN : Date.now() - lastInput)
  }))
  const revealed: Array<{ action: 'folder' | 'open'; path: string }> = []
  // What main would notify, its window in the background: recorded, not shown.
  const notified: BurstNotification[] = []
  const onScreen = new Set<string>()
  const notifier = new Notifier({
    screen: { show: (n) => { notified.push(n); onScreen.add(n.room) }, close: (room) => onScreen.delete(room), showing: (room) => onScreen.has(room) },
    clock: Date.now,
    background: () => true
  })
  link.on((event) => notifier.event(event))
  const dispatch = async (op: string, payload: unknown): ReturnType<EngineLink['dispatch']> => {
    if (isHostOperation(op)) return await hostOnly(op, payload)
    const result = await link.dispatch(op, payload)
    // Electron's main shows or opens the file here (main/index.ts); the test host records it.
    if (op === 'reveal' && result.ok) revealed.push({ action: (payload as RequestOf<'reveal'>).action, path: (result.value as ResponseOf<'reveal'>).path })
    return result
  }

  const server = createServer((req, res) => {
    serve(req, res, preload, options.pickFolder).catch(() => {
      res.writeHead(500).end()
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const origin = `http://${req.headers.host ?? ''}`
    // The bridge is the IPC: only our own page may use it (like the sender-frame check in Electron).
    if (req.url !== '/__bridge' || req.headers.origin !== origin || origin !== url) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws))
  })

  function bridge(ws: WebSocket): void {
    const off = link.on((event) => ws.send(JSON.stringify({ channel: EVENT_CHANNEL, payload: event })))
    ws.on('close', off)
    ws.on('message', (data) => {
      let request: { id?: unknown; channel?: unknown; payload?: unknown }
      try {
        request = JSON.parse(String(data)) as typeof request
      } catch {
        ws.close(1003, 'not JSON')
        return
      }
      const { id, channel, payload } = request
      if (typeof id !== 'number' || typeof channel !== 'string' || !channel.startsWith('lanchat:')) {
        ws.close(1003, 'not an IPC request')
        return
      }
      void dispatch(channel.slice('lanchat:'.length), payload).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
      })
    })
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Tests get a host whose app has opened or failed to (then `failure` says why).
  await link.started()
  // As main does once the engine has opened: what notifies, from its snapshot; its events follow.
  const snapshot = await link.dispatch('snapshot', undefined)
  if (snapshot.ok) {
    const { settings, peers, status } = snapshot.value as ResponseOf<'snapshot'>
    notifier.settings(settings)
    notifier.peers(peers)
    notifier.event({ type: 'status', status })
  }

  return {
    url,
    async call(op, ...request) {
      const result = await dispatch(op, request[0])
      if (!result.ok) throw Object.assign(new Error(result.error.message), { name: result.error.name })
      return result.value as never
    },
    get failure() {
      return link.failure
    },
    async badge() {
      return badge
    },
    revealed: () => [...revealed],
    opened: () => [...opened],
    notified: () => [...notified],
    setSystemIdle: (ms) => { lastInput = ms === undefined ? undefined : Date.now() - ms },
    async emit(event) {
      for (const client of wss.clients) client.send(JSON.stringify({ channel: EVENT_CHANNEL, payload: event }))
    },
    async close() {
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      await link.close()
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, preload: string, pickFolder: string | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://host')
  const path = url.pathname
  if (path === '/__host/preload.js') {
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': contentType('preload.js') }).end(preload)
    return
  }
  if (path === '/__host/path-of') {
    // A picked file's path, as Electron knows it for a File from its file chooser (electron-shim.ts).
    const name = basename(url.searchParams.get('name') ?? '')
    const file = pickFolder !== undefined && name !== '' ? join(pickFolder, name) : undefined
    const found = file !== undefined ? await stat(file).then((s) => s.isFile() && s.size === Number(url.searchParams.get('size')), () => false) : false
    res.writeHead(found ? 200 : 404, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }).end(found ? file : '')
    return
  }
  // The same files, types, CSP and refusals as the app:// handler of the Electron app.
  const file = await rendererFile(RENDERER_DIR, path)
  let body = file.body
  if (file.status === 200 && file.headers['Content-Type']?.startsWith('text/html') === true) {
    // The preload runs before the page's scripts, as in Electron.
    body = Buffer.from(String(body).replace('<head>', '<head>\n    <script src="/__host/preload.js"></script>'))
  }
  res.writeHead(file.status, file.headers).end(body)
}
