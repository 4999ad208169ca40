/**
 * Stands in for the `electron` module when the real preload (preload/index.ts)
 * is bundled for a plain browser page by the UI test host. `ipcRenderer`
 * travels over a WebSocket to the host, which runs the real IPC handlers;
 * `contextBridge.exposeInMainWorld` puts the API on the page's global object,
 * frozen, as Electron's bridge would hand the page an immutable copy.
 *
 * Runs in the browser: no Node APIs here.
 */

type Listener = (event: IpcRendererEvent, payload: unknown) => void
export interface IpcRendererEvent {
  sender: IpcRenderer
}
interface IpcRenderer {
  invoke(channel: string, payload?: unknown): Promise<unknown>
  on(channel: string, listener: Listener): IpcRenderer
  removeListener(channel: string, listener: Listener): IpcRenderer
}

interface Reply {
  id: number
  result: unknown
}
interface Push {
  channel: string
  payload: unknown
}

const here = (globalThis as unknown as { location: { host: string; protocol: string } }).location
const socket = new WebSocket(`${here.protocol === 'https:' ? 'wss' : 'ws'}://${here.host}/__bridge`)
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve(), { once: true })
  socket.addEventListener('error', () => reject(new Error('The test host bridge is unreachable.')), { once: true })
})
const waiting = new Map<number, (result: unknown) => void>()
const listeners = new Map<string, Set<Listener>>()
let nextId = 1

socket.addEventListener('message', (message) => {
  const data = JSON.parse(String(message.data)) as Reply | Push
  if ('id' in data) {
    waiting.get(data.id)?.(data.result)
    waiting.delete(data.id)
    return
  }
  for (const listener of listeners.get(data.channel) ?? []) listener({ sender: ipcRenderer }, data.payload)
})
socket.addEventListener('close', () => {
  // Like a crashed main process: pending calls answer an error instead of hanging.
  for (const resolve of waiting.values()) {
    resolve({ ok: false, error: { name: 'DisconnectedError', message: 'Lost the connection to the app host.' } })
  }
  waiting.clear()
})

export const ipcRenderer: IpcRenderer = {
  async invoke(channel: string, payload?: unknown): Promise<unknown> {
    await opened
    const id = nextId++
    return new Promise((resolve) => {
      waiting.set(id, resolve)
      socket.send(JSON.stringify({ id, channel, payload: payload ?? null }))
    })
  },
  on(channel: string, listener: Listener): IpcRenderer {
    let set = listeners.get(channel)
    if (set === undefined) listeners.set(channel, (set = new Set()))
    set.add(listener)
    return ipcRenderer
  },
  removeListener(channel: string, listener: Listener): IpcRenderer {
    listeners.get(channel)?.delete(listener)
    return ipcRenderer
  }
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: Record<string, unknown>): void {
    Object.defineProperty(globalThis, key, { value: Object.freeze({ ...api }), writable: false, configurable: false, enumerable: true })
  }
}

/**
 * Electron's webUtils.getPathForFile: the path on disk of a File the user picked or dropped, '' for
 * one with none (pasted, or made by the page). A browser page cannot know it; the test host can: it
 * answers for a file of the folder its test picks files from (TestHostOptions.pickFolder), matched by
 * name and size, as the file chooser would have handed it over. Synchronous, as Electron's is.
 */
export const webUtils = {
  getPathForFile(file: { name: string; size: number }): string {
    if (file.name === '') return ''
    // The page's XMLHttpRequest (this file is type-checked without the DOM's types).
    const Xhr = (globalThis as unknown as { XMLHttpRequest: new () => { open(method: string, url: string, async: boolean): void; send(): void; status: number; responseText: string } }).XMLHttpRequest
    const request = new Xhr()
    request.open('GET', `/__host/path-of?name=${encodeURIComponent(file.name)}&size=${file.size}`, false)
    request.send()
    return request.status === 200 ? request.responseText : ''
  }
}
