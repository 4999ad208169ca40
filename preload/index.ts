/**
 * The sandboxed preload: exposes `window.lanchat`, one function per operation
 * of the contract. `ipcRenderer` itself never reaches the page, and the page
 * can only ever name the channels listed in OPERATIONS.
 *
 * Built as CommonJS (out/preload/index.cjs) because sandboxed preloads cannot
 * be ES modules. The UI test host bundles this same file for the browser with
 * `electron` aliased to a WebSocket shim.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { channelOf, EVENT_CHANNEL, OPERATIONS, type AppEvent, type LanChatApi, type OperationName, type Result } from './contract.js'

function operation(op: OperationName) {
  const channel = channelOf(op)
  return (request?: unknown): Promise<Result<unknown>> => ipcRenderer.invoke(channel, request)
}

const operations = Object.fromEntries(OPERATIONS.map((op) => [op, operation(op)]))

const api = {
  ...operations,
  onEvent(listener: (event: AppEvent) => void): () => void {
    const handler = (_event: IpcRendererEvent, payload: AppEvent): void => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  }
} as LanChatApi

contextBridge.exposeInMainWorld('lanchat', api)
