import { hash } from 'node:crypto'
import { cleanName, type ChatMessage } from '../core/message.js'
import { visibleFileName, type FileManifest } from '../core/file.js'
import type { FileView, MessageView } from './types.js'
import { shownMime } from './mime.js'

const fingerprints = new Map<string, string>()

/**
 * A short fingerprint of a peer id for people to compare ("3f9a·c21e"): the
 * first 32 bits of its SHA-256, so a look-alike needs a new key searched for
 * those bits, not a name typed alike. Shown next to a name on hover and in
 * the peer list; two peers with one name differ here.
 */
export function fingerprint (peerId: string): string {
  let f = fingerprints.get(peerId)
  if (f === undefined) {
    const h = hash('sha256', peerId, 'hex')
    f = `${h.slice(0, 4)}·${h.slice(4, 8)}`
    if (fingerprints.size >= 10_000) fingerprints.clear()
    fingerprints.set(peerId, f)
  }
  return f
}

/** What hosts see of a message: no signature, the hub's number when it has one, a clean name and the author's fingerprint. */
export function messageView (m: ChatMessage, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: m.id, room: m.room, author: m.author, name: cleanName(m.name), fingerprint: fingerprint(m.author), text: fileText(m.text, m.file?.name), lamport: m.lamport,
    sentAt: m.sentAt, authorSeq: m.seq, deps: m.prev === '' ? m.deps : [m.prev, ...m.deps],
    ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
    ...(m.to !== undefined ? { to: m.to } : {}),
    ...(m.sealed !== undefined ? { sealed: m.sealed } : {}),
    ...(m.file !== undefined ? { file: fileView(m.file) } : {}),
    ...(m.action !== undefined ? { action: m.action } : {}),
    ...(m.redacted === true ? { deleted: true } : {}),
    ...extra
  }
}

/** A file message's text: the "📎 name" a file without a caption is sent with reads as its name is shown. */
export function fileText (text: string, name: string | undefined): string {
  return name !== undefined && text === `📎 ${name}` ? `📎 ${visibleFileName(name)}` : text
}

/** What hosts see of a shared file: its name without direction changes (an "exe" never reads as "pdf"). */
export function fileView (f: FileManifest): FileView {
  // Typed by its name, as the system that opens it will (mime.ts): a picture's thumbnail only on a picture.
  const mime = shownMime(f.mime, f.name)
  return {
    name: visibleFileName(f.name), size: f.size, mime, sha256: f.sha256,
    ...(f.thumbnail !== undefined && mime.startsWith('image/') ? { thumbnail: `data:${f.thumbnailMime ?? 'image/jpeg'};base64,${Buffer.from(f.thumbnail).toString('base64')}` } : {})
  }
}
