/**
 * The file operations of a window: it sends a file's bytes in pieces (it
 * never names a path on disk, so a page cannot share a file nobody picked),
 * then shares the upload; it starts, cancels and locates downloads. Showing
 * or opening a download is the desktop host's, on the user's click only.
 */
import type { Engine } from '../chat/engine.js'
import type { MessageView, RequestOf } from '../../preload/contract.js'

export class AppFiles {
  /** `downloadsDir`: the folder Settings name for downloads (undefined: the engine's default). */
  constructor(private readonly running: () => Engine, private readonly downloadsDir: () => string | undefined = () => undefined) {}

  async upload(upload: string | undefined, data: string, size?: number): Promise<{ upload: string; size: number }> {
    return await this.running().upload(upload, Buffer.from(data, 'base64'), size)
  }

  async send(r: RequestOf<'sendFile'>): Promise<MessageView> {
    return await this.running().sendUpload(r.room, r.upload, {
      name: r.name,
      ...(r.mime !== undefined ? { mime: r.mime } : {}),
      ...(r.thumbnail !== undefined ? { thumbnail: Buffer.from(r.thumbnail, 'base64'), thumbnailMime: r.thumbnailMime ?? 'image/jpeg' } : {}),
      ...(r.text !== undefined ? { text: r.text } : {})
    })
  }

  download(id: string): { id: string; name: string; size: number; sha256: string } {
    return this.running().startDownload(id, this.downloadsDir())
  }

  async cancel(id: string): Promise<{ cancelled: boolean }> {
    return { cancelled: await this.running().cancelDownload(id) }
  }

  async image(id: string): Promise<{ name: string; mime: string; data: string }> {
    const { name, mime, bytes } = await this.running().image(id)
    return { name, mime, data: bytes.toString('base64') }
  }

  path(id: string): { path: string } {
    return { path: this.running().downloadedPath(id) }
  }
}
