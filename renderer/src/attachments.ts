/**
 * The files attached to the message being written, each conversation its own. In a public room the
 * host also keeps them across a restart, as the room's typed draft is (files.ts keepAttached: a
 * picked or dropped file by its path, a pasted one's bytes in the data directory): a window that
 * opens again shows them on their box, with their previews, and Send sends them as they were
 * attached; one moved, deleted or changed since says so on its chip and is not sent. A DM's or an
 * invite-only room's stay in this page only, as their drafts do.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { MessageView, StagedFile } from '../../preload/contract'
import { call, describe } from './api'
import { keepAttached, PRIVATE_UNKEPT, sendFiles, thumbnailOf, tooLarge } from './files'
import { isDmRoom } from './store'

export interface Attachment {
  /** Its chip's key. */
  key: string
  /** What its chip calls it ("pasted image" for a pasted picture). */
  label: string
  size: number
  /** The page's own copy (attached in this run); one kept from the last run has none: the host sends it. */
  file?: File
  /** The id the host keeps it under across a restart. */
  kept?: string
  /** Its preview, a data: URL (pictures). */
  thumbnail?: string
  /** Why it cannot be sent as it was attached (moved, deleted, changed): it stays on the box, unsent, until taken off. */
  gone?: string
  /** Why the host does not keep it across a restart (a DM's or an invite-only room's, too large, no room left): attached in this window only. */
  unkept?: string
}

/** No files attached (one array, so the composer is not handed a new one each render). */
const NO_FILES: readonly Attachment[] = []
let nextKey = 0

/** A file kept from the last run, as its chip shows it. */
function restored(k: StagedFile): Attachment {
  return {
    key: `kept-${k.id}`,
    label: k.pasted === true && /^pasted-image\.[a-z0-9.+-]+$/i.test(k.name) ? 'pasted image' : k.name,
    size: k.size,
    kept: k.id,
    ...(k.thumbnail !== undefined ? { thumbnail: `data:${k.thumbnailMime ?? 'image/jpeg'};base64,${k.thumbnail}` } : {}),
    ...(k.gone !== undefined ? { gone: k.gone } : {})
  }
}

export function useAttachments(active: string, toast: (title: string, message: string) => void): {
  attached: readonly Attachment[]
  attach: (files: File[]) => void
  detach: (index: number) => void
  /** Send this conversation's files (those still there as attached), `caption` the first one's text. */
  sendAttached: (caption: string, shown: (message: MessageView) => void) => void
} {
  const [all, setAll] = useState<ReadonlyMap<string, readonly Attachment[]>>(() => new Map())
  /** Taken off or sent: one whose keeping ends after that is let go at once, not left to come back after a restart. */
  const dropped = useRef(new Set<string>())
  const keptOf = useRef(new Map<string, string>())

  const update = useCallback((key: string, change: (a: Attachment) => Attachment) => setAll((m) => {
    const next = new Map<string, readonly Attachment[]>()
    for (const [room, list] of m) next.set(room, list.map((a) => (a.key === key ? change(a) : a)))
    return next
  }), [])

  /** No longer attached: the host stops keeping it (a keeping still on its way is let go when it ends). */
  const forget = useCallback((a: Attachment) => {
    dropped.current.add(a.key)
    const id = a.kept ?? keptOf.current.get(a.key)
    if (id !== undefined) call('unstage', { id }).catch(() => undefined)
  }, [])

  // What was attached when the window last closed comes back on its conversation's box.
  useEffect(() => {
    let live = true
    call('stagedFiles').then((kept) => {
      if (!live || kept.length === 0) return
      setAll((m) => {
        const next = new Map(m)
        for (const k of kept) {
          const list = next.get(k.room) ?? []
          if (!list.some((a) => a.kept === k.id)) next.set(k.room, [...list, restored(k)])
        }
        return next
      })
    }, () => undefined)
    return () => { live = false }
  }, [])

  const prepare = useCallback(async (room: string, a: Attachment & { file: File }) => {
    const thumb = await thumbnailOf(a.file)
    if (thumb !== undefined) update(a.key, (x) => ({ ...x, thumbnail: `data:${thumb.mime};base64,${thumb.data}` }))
    // A private conversation's files are never written to disk unsealed, their names included.
    if (isDmRoom(room) || dropped.current.has(a.key)) return
    const keeping = await keepAttached(room, a.file, thumb)
    if ('unkept' in keeping) {
      // Too large to keep, or no room left: its chip says a restart takes it off.
      update(a.key, (x) => ({ ...x, unkept: keeping.unkept }))
      return
    }
    const { id } = keeping
    if (dropped.current.has(a.key)) {
      call('unstage', { id }).catch(() => undefined)
      return
    }
    keptOf.current.set(a.key, id)
    update(a.key, (x) => ({ ...x, kept: id }))
  }, [update])

  const attach = useCallback((files: File[]) => {
    // One over the largest file (Settings', or the server's when smaller) is refused now, before anything is read; the others stay attached.
    const refused = tooLarge(files)
    if (refused !== undefined) toast('Could not send the file', refused.message)
    const fit = refused === undefined ? files : files.filter((f) => tooLarge([f]) === undefined)
    if (fit.length === 0) return
    const room = active
    // A DM's or an invite-only room's are never kept across a restart: their chips say so from the start.
    const unkept = isDmRoom(room) ? { unkept: PRIVATE_UNKEPT } : {}
    const added = fit.map((file) => ({ key: `a${++nextKey}`, label: file.name || 'pasted image', size: file.size, file, ...unkept }))
    setAll((m) => new Map(m).set(room, [...(m.get(room) ?? []), ...added]))
    for (const a of added) void prepare(room, a)
  }, [active, toast, prepare])

  const detach = useCallback((index: number) => {
    const gone = (all.get(active) ?? [])[index]
    if (gone === undefined) return
    forget(gone)
    setAll((m) => {
      const left = (m.get(active) ?? []).filter((a) => a.key !== gone.key)
      const next = new Map(m)
      if (left.length === 0) next.delete(active)
      else next.set(active, left)
      return next
    })
  }, [active, all, forget])

  const sendAttached = useCallback((caption: string, shown: (message: MessageView) => void) => {
    const room = active
    const list = all.get(room) ?? []
    const going = list.filter((a) => a.gone === undefined)
    const staying = list.filter((a) => a.gone !== undefined)
    setAll((m) => {
      const next = new Map(m)
      if (staying.length === 0) next.delete(room)
      else next.set(room, staying)
      return next
    })
    let sent = -1
    sendFiles(room, going.map((a) => a.file ?? { kept: a.kept!, name: a.label, size: a.size }), caption, (message, index) => {
      sent = index
      shown(message)
    }).catch((err: unknown) => {
      toast('Could not send the file', describe(err))
      // Kept from the last run and not sent: back on the box; the one not there as it was attached says so.
      const back = going.flatMap((a, i) => {
        if (i <= sent || a.file !== undefined) return []
        return [i === sent + 1 && (err as Error).name === 'StagedFileGoneError' ? { ...a, gone: describe(err) } : a]
      })
      if (back.length > 0) setAll((m) => new Map(m).set(room, [...back, ...(m.get(room) ?? [])]))
    }).finally(() => {
      // Sent from this page's own copy (or failed with the chip gone, as before): the host keeps it no longer.
      for (const a of going) if (a.file !== undefined) forget(a)
    })
  }, [active, all, toast, forget])

  return { attached: all.get(active) ?? NO_FILES, attach, detach, sendAttached }
}
