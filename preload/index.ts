/**
 * The sandboxed preload: exposes `window.lanchat`, one function per operation
 * of the contract. `ipcRenderer` itself never reaches the page, and the page
 * can only ever name the channels listed in OPERATIONS.
 *
 * Built as CommonJS (out/preload/index.cjs) because sandboxed preloads cannot
 * be ES modules. The UI test host bundles this same file for the browser with
 * `electron` aliased to a WebSocket shim.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { channelOf, EVENT_CHANNEL, OPERATIONS, type AppEvent, type LanChatApi, type OperationName, type RequestOf, type Result, type StageFileRequest } from './contract.js'

function operation(op: OperationName) {
  const channel = channelOf(op)
  return (request?: unknown): Promise<Result<unknown>> => ipcRenderer.invoke(channel, request)
}

const operations = Object.fromEntries(OPERATIONS.map((op) => [op, operation(op)]))

const api = {
  ...operations,
  /**
   * An attached file kept by its path: read here from the File the user picked or dropped (a pasted
   * one has none: ''), never taken from the page, so a page cannot name a file nobody picked.
   */
  stageFile(request: StageFileRequest): Promise<Result<unknown>> {
    const { room, mime, thumbnail, thumbnailMime } = request
    const path = webUtils.getPathForFile(request.file)
    if (path === '') return Promise.resolve({ ok: false, error: { name: 'NoPathError', message: 'This file has no path on this computer (a pasted one): keep its bytes instead.' } })
    const kept: RequestOf<'stageFile'> = {
      room, path, ...(mime !== undefined ? { mime } : {}), ...(thumbnail !== undefined ? { thumbnail } : {}), ...(thumbnailMime !== undefined ? { thumbnailMime } : {})
    }
    return ipcRenderer.invoke(channelOf('stageFile'), kept)
  },
  onEvent(listener: (event: AppEvent) => void): () => void {
    const handler = (_event: IpcRendererEvent, payload: AppEvent): void => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  }
} as LanChatApi

contextBridge.exposeInMainWorld('lanchat', api)
