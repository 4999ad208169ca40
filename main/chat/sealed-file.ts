import { MAX_THUMBNAIL_BYTES, validateManifest, type FileManifest } from '../core/file.js'
import { isFileSecret, type FileSecret } from './file-crypt.js'

/**
 * What the sealed part of a private file message says, and only its
 * recipients read: the caption, the file's real name, type, size and
 * thumbnail, and the key its bytes are encrypted with (file-crypt.ts). The
 * message's public manifest describes the ciphertext alone.
 *
 * It is a control text (a NUL, then JSON) as private-rooms.ts uses: people
 * cannot type one, and a peer from before private files takes it for a
 * control it does not know, so it shows nothing rather than a key.
 *
 * @example
 * ```ts
 * const text = encodeSealedFile({ text: '📎 a.pdf', name: 'a.pdf', mime: 'application/pdf', size: 12, ...newFileSecret() })
 * decodeSealedFile(text)?.name // 'a.pdf'
 * ```
 */

const PREFIX = '\u0000{"t":"file",'

export interface SealedFile extends FileSecret {
  /** The message's text (a caption, or "📎 name"). */
  text: string
  name: string
  mime: string
  /** The plaintext's size, bytes. */
  size: number
  thumbnail?: Uint8Array
  thumbnailMime?: string
}

/** The public manifest of an encrypted file: nothing of the plaintext but its encrypted size. */
export const ENCRYPTED_NAME = 'encrypted file'
export const ENCRYPTED_MIME = 'application/octet-stream'

interface Wire { t: 'file', v: 1, text: string, name: string, mime: string, size: number, key: string, nonce: string, thumb?: string, thumbMime?: string }

export function encodeSealedFile (f: SealedFile): string {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
  const wire: Wire = {
    t: 'file', v: 1, text: f.text, name: f.name, mime: f.mime, size: f.size, key: hex(f.key), nonce: hex(f.nonce),
    ...(f.thumbnail !== undefined ? { thumb: Buffer.from(f.thumbnail).toString('base64'), thumbMime: f.thumbnailMime ?? 'image/jpeg' } : {})
  }
  // `t` is the first key, so the text starts with PREFIX.
  return '\u0000' + JSON.stringify(wire)
}

export function isSealedFile (text: string): boolean { return text.startsWith(PREFIX) }

/** The sealed file a text holds, or undefined when it is not one or is malformed (it is then not shown). */
export function decodeSealedFile (text: string): SealedFile | undefined {
  if (!isSealedFile(text)) return undefined
  let w: Partial<Wire>
  try { w = JSON.parse(text.slice(1)) as Partial<Wire> } catch { return undefined }
  if (w.v !== 1 || typeof w.text !== 'string' || typeof w.name !== 'string' || typeof w.mime !== 'string' || typeof w.size !== 'number') return undefined
  if (typeof w.key !== 'string' || typeof w.nonce !== 'string' || !/^[0-9a-f]+$/.test(w.key + w.nonce)) return undefined
  const f: SealedFile = {
    text: w.text, name: w.name, mime: w.mime, size: w.size,
    key: new Uint8Array(Buffer.from(w.key, 'hex')), nonce: new Uint8Array(Buffer.from(w.nonce, 'hex')),
    ...(typeof w.thumb === 'string' ? { thumbnail: new Uint8Array(Buffer.from(w.thumb, 'base64')), thumbnailMime: String(w.thumbMime) } : {})
  }
  if (!isFileSecret(f) || (f.thumbnail !== undefined && f.thumbnail.byteLength > MAX_THUMBNAIL_BYTES)) return undefined
  try {
    // The same structural rules as a public manifest (name, type, size, thumbnail), on what the recipient will see.
    validateManifest({ ...plainManifest(f), sha256: '0'.repeat(64), chunksRoot: '0'.repeat(64), chunkSize: 16 * 1024 })
  } catch { return undefined }
  return f
}

/** What a recipient is shown of the file: its real name, type, size and thumbnail, with the ciphertext's address. */
export function plainManifest (f: SealedFile, cipher?: FileManifest): FileManifest {
  return {
    name: f.name, size: f.size, mime: f.mime,
    sha256: cipher?.sha256 ?? '', chunkSize: cipher?.chunkSize ?? 0, chunksRoot: cipher?.chunksRoot ?? '',
    ...(f.thumbnail !== undefined ? { thumbnail: f.thumbnail, thumbnailMime: f.thumbnailMime ?? 'image/jpeg' } : {})
  }
}
