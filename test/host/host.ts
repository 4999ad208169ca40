/**
 * The UI test host: the real engine and the real IPC handlers (main/app), with
 * a WebSocket bridge where Electron has IPC. It serves the built renderer from
 * out/renderer and injects the real preload, bundled with an `electron` shim,
 * so a browser page runs the same UI code path as the Electron window.
 *
 *   const host = await startTestHost({ dataDir })
 *   // open host.url in Chromium, then
 *   await host.close()
 *
 * Like the Electron window it sends the one Content-Security-Policy
 * (main/app/csp.ts), and it only accepts bridge connections from its own page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { createChatEngine } from '../../main/chat/index.js'
import { EVENT_CHANNEL, type ErrorInfo, type Settings } from '../../preload/contract.js'
import { createDispatch } from '../../main/app/handlers.js'
import { ChatApp } from '../../main/app/service.js'
import { Startup } from '../../main/app/startup.js'
import { baseHeaders, contentType, rendererFile } from '../../main/app/renderer-files.js'
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
}

export interface TestHost {
  url: string
  /** The open app; throws if it failed to open. */
  readonly app: ChatApp
  /** Why the app could not open, as the page is told. */
  readonly failure: ErrorInfo | undefined
  /** Badge count last set by the page, as Electron's app.setBadgeCount would get it. */
  readonly badge: number
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
  // The same startup path as the Electron window: the page is served first and
  // every call goes through Startup, which reports an app that cannot open.
  const startup = new Startup({
    open: () => ChatApp.open({
      dataDir: options.dataDir,
      createEngine: createChatEngine,
      listenHost: '127.0.0.1',
      // Tests share the machine with other developers: no multicast discovery.
      mdnsAvailable: false,
      defaults: { mdns: false, ...options.defaults },
      dial: options.dial ?? []
    }),
    dispatch: (app) => createDispatch(app, { setUnread: (count) => void (badge = count) }),
    where: options.dataDir
  })

  const server = createServer((req, res) => {
    serve(req, res, preload).catch(() => {
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
    const off = startup.on((event) => ws.send(JSON.stringify({ channel: EVENT_CHANNEL, payload: event })))
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
      void startup.dispatch(channel.slice('lanchat:'.length), payload).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
      })
    })
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Tests get a host whose app has opened or failed to (then `failure` says why).
  await startup.start()

  return {
    url,
    get app(): ChatApp {
      const app = startup.app
      if (app === undefined) throw new Error(`The test host's app is not open: ${startup.failure?.message ?? 'closed'}`)
      return app
    },
    get failure() {
      return startup.failure
    },
    get badge() {
      return badge
    },
    async close() {
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      await startup.close()
    }
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, preload: string): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://host').pathname
  if (path === '/__host/preload.js') {
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': contentType('preload.js') }).end(preload)
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
