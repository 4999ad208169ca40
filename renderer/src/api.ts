/**
 * The renderer's only door to the engine: `window.lanchat` from the preload.
 * Operations answer a Result; `call` turns a failure into a RemoteError that
 * keeps the error's name, so the UI can tell a bad address from a stopped engine.
 */
import type { ErrorInfo, LanChatApi, OperationName, RequestOf, ResponseOf, Result, StagedFile, StageFileRequest } from '../../preload/contract'

export class RemoteError extends Error {
  override readonly name: string
  readonly code: string | undefined

  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = info.name
    this.code = info.code
  }
}

export class NoBridgeError extends Error {
  override readonly name = 'NoBridgeError'
}

export function bridge(): LanChatApi {
  const api = (window as Partial<Window>).lanchat
  if (api === undefined) throw new NoBridgeError('The app API is missing: this page must be opened by LAN Chat, not directly in a browser.')
  return api
}

/** Keep a file attached across a restart by the path of the File itself (the preload reads it; NoPathError: it has none). */
export async function stageFile(request: StageFileRequest): Promise<StagedFile> {
  const result = await bridge().stageFile(request)
  if (!result.ok) throw new RemoteError(result.error)
  return result.value
}

export async function call<K extends Exclude<OperationName, 'stageFile'>>(op: K, ...request: RequestOf<K> extends undefined ? [] : [RequestOf<K>]): Promise<ResponseOf<K>> {
  const fn = bridge()[op] as (req?: unknown) => Promise<Result<ResponseOf<K>>>
  const result = await fn(request[0])
  if (!result.ok) throw new RemoteError(result.error)
  return result.value
}

/** A sentence for the user, whatever was thrown. */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
