import { createContext, useContext, useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { fileKind, type MessageView } from '../../../preload/contract'
import { call, describe } from '../api'
import { formatBytes, knownDownload, retryDownload, startDownload, startFetch, useDownload, useReveal, VIEWABLE } from '../files'
import { Dialog } from './Dialog'


/** Whether a message shares a picture the window shows full size. */
export function isPicture(m: MessageView): boolean {
  return m.file !== undefined && m.deleted !== true && VIEWABLE.test(m.file.mime)
}

/**
 * The pictures of the open conversation as loaded, in its order (the viewer's
 * ← and →), which of its messages are deleted, and how a thumbnail opens the
 * viewer (kept by the conversation, not by the message it was opened from,
 * which may be deleted while another picture is shown).
 */
export const RoomPictures = createContext<{ pictures: readonly MessageView[]; deleted: ReadonlySet<string>; view: (m: MessageView) => void }>({ pictures: [], deleted: new Set(), view: () => undefined })

/**
 * A shared picture at full size, in the window, as chat apps open one from
 * its thumbnail; ← and → (or the buttons) go to the conversation's other
 * pictures. Escape, ✕ or a click beside it closes it.
 */
export function ImageViewer({ message: first, onClose }: { message: MessageView; onClose: () => void }) {
  const { pictures, deleted } = useContext(RoomPictures)
  const [id, setId] = useState(first.id)
  const at = pictures.findIndex((m) => m.id === id)
  // Where the picture shown was in the list, for when its author deletes it while it is open.
  const shownAt = useRef(at)
  if (at >= 0) shownAt.current = at
  const gone = deleted.has(id)
  useEffect(() => {
    if (!gone) return
    // Deleted while open: the next picture takes its place (the one before, at the end); with none left the viewer closes.
    const instead = pictures[Math.min(Math.max(shownAt.current, 0), pictures.length - 1)]
    if (instead === undefined) onClose()
    else setId(instead.id)
  }, [gone, pictures, onClose])
  const message = at >= 0 ? pictures[at]! : first
  const prev = at > 0 ? pictures[at - 1] : undefined
  const next = at >= 0 ? pictures[at + 1] : undefined
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
      const to = e.key === 'ArrowLeft' ? prev : e.key === 'ArrowRight' ? next : undefined
      if (to === undefined) return
      e.preventDefault()
      setId(to.id)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [prev, next])
  const name = message.file!.name
  // Out of the message row it was opened from: none of the row's styles (its hover tools are also `.actions`) reach it.
  return createPortal(
    <Dialog title={name} label={`Picture ${name}`} onClose={onClose} className="viewer">
      <Picture key={message.id} message={message} />
      {pictures.length > 1 && at >= 0 && (
        <div className="viewer-nav">
          <button disabled={prev === undefined} onClick={() => prev !== undefined && setId(prev.id)} aria-label="Previous picture" title="Previous picture (←)">←</button>
          <span className="muted small" data-testid="viewer-position">{at + 1} of {pictures.length}</span>
          <button disabled={next === undefined} onClick={() => next !== undefined && setId(next.id)} aria-label="Next picture" title="Next picture (→)">→</button>
        </div>
      )}
    </Dialog>,
    document.body
  )
}

/**
 * One picture: the engine hands over its bytes (never a path); one not here
 * yet is fetched first into LAN Chat's own folder, its thumbnail shown
 * meanwhile. Save, then Show in folder and Open, stay a click away.
 */
function Picture({ message }: { message: MessageView }) {
  const file = message.file!
  const d = useDownload(message)
  const [src, setSrc] = useState<string>()
  const [problem, setProblem] = useState<string>()
  // Handed over but not drawn: damaged, not the kind of picture its name says, or more pixels than the window draws.
  const [undrawable, setUndrawable] = useState(false)
  const { reveal, problem: revealProblem } = useReveal(message.id)
  // A picture fetched before may have been freed since (Settings → Files): it is fetched again, once.
  const refetched = useRef(false)
  // Asked when shown, and again once a fetch or download it waited for is done.
  const ask = src === undefined && (d === undefined || d.state === 'done' || d.state === 'held')
  useEffect(() => {
    if (!ask) return
    let live = true
    call('image', { id: message.id })
      .then((r) => { if (live) setSrc(`data:${r.mime};base64,${r.data}`) })
      .catch((err: unknown) => {
        if (!live) return
        // Not here yet: fetch it (a small image usually is already), and show it once it is in.
        if (d === undefined && !knownDownload(message.id)) void startFetch(message.id)
        else if (d?.state === 'held' && !refetched.current) {
          refetched.current = true
          void startFetch(message.id)
        } else setProblem(describe(err))
      })
    return () => { live = false }
  }, [ask, d, message.id])
  const status = d?.state === 'failed'
    ? d.error
    : problem ?? (undrawable ? `LAN Chat cannot show ${file.name}: it is damaged, is not the kind of picture its name says, or is too large to draw. ${d?.state === 'done' ? 'Open' : 'Save it, then Open,'} to see it with the computer's own app.` : undefined)
  return (
    <>
      <div className="viewer-stage">
        {src !== undefined && !undrawable
          ? <img src={src} alt={file.name} data-testid="image-full" onError={() => setUndrawable(true)} />
          : file.thumbnail !== undefined && <img src={file.thumbnail} alt={`Preview of ${file.name}`} className="viewer-preview" />}
        {src === undefined && status === undefined && (
          // Said once by a screen reader: the percent, which changes as it comes, is beside what it announces.
          <p className="viewer-wait">
            <span role="status">{d?.state === 'downloading' && d.size > 0 ? 'Downloading…' : 'Loading…'}</span>
            {d?.state === 'downloading' && d.size > 0 && ` ${Math.floor((100 * d.done) / d.size)}%`}
          </p>
        )}
      </div>
      {status !== undefined && <p className="error small" role="status">{status}</p>}
      <div className="viewer-actions">
        <span className="muted small" title={file.mime}>{message.name} · {formatBytes(file.size)} · {fileKind(file.mime, file.name).label}</span>
        {d?.state === 'failed' && <button onClick={() => { setProblem(undefined); void retryDownload(message.id) }}>Retry</button>}
        {d?.state === 'held' && <button onClick={() => void startDownload(message.id)} aria-label={`Save ${file.name} to your downloads folder`} title="Save it to your downloads folder">Save</button>}
        {d?.state === 'done' && <button onClick={() => reveal('folder')}>Show in folder</button>}
        {d?.state === 'done' && <button onClick={() => reveal('open')}>Open</button>}
        {revealProblem !== undefined && <span className="error small" role="status">{revealProblem}</span>}
      </div>
    </>
  )
}
