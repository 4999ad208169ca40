import { useContext, useEffect, useRef, useState } from 'react'
import { fileKind, type MessageView } from '../../../preload/contract'
import { cancelDownload, fetchesOnItsOwn, formatBytes, knownDownload, paceOf, retryDownload, startDownload, startFetch, useDownload, useReveal, VIEWABLE } from '../files'
import { RoomPictures } from './ImageViewer'
import { FileKindIcon } from './icons'

/**
 * A shared file in a message: the sender's thumbnail for an image, name, size
 * and type; Download, then a progress bar with speed, time left and Cancel
 * (also once it stopped waiting for someone who has the file: given up, it
 * is offered for Download again);
 * once saved, Show in folder and Open — which only ask the main process, on
 * this click, to do it (nothing is ever run by the page). One's own file
 * offers Save, as a file already here does. Someone else's
 * image within the size Settings allow is fetched on its own when shown,
 * into LAN Chat's own folder (Save puts it in the downloads folder); a
 * click on a picture's thumbnail shows it full size in the window.
 */
export function FileCard({ message, own }: { message: MessageView; own: boolean }) {
  const file = message.file!
  // One's own file is here already (it is served from LAN Chat's folder): Save puts a copy in the downloads folder, then Open.
  const fetched = useDownload(message)
  const d = fetched ?? (own ? { state: 'held' as const, size: file.size } : undefined)
  const { reveal, problem } = useReveal(message.id)
  const { view } = useContext(RoomPictures)
  const viewable = VIEWABLE.test(file.mime)
  const kind = fileKind(file.mime, file.name)
  const thumbAction = viewable ? `View ${file.name}` : d?.state === 'done' ? `Open ${file.name}` : `Download ${file.name} to open it`
  const auto = fetchesOnItsOwn(message, own)
  useEffect(() => {
    // Once per page: a cancelled or failed one waits for Retry.
    if (auto && !knownDownload(message.id)) void startFetch(message.id)
  }, [auto, message.id])
  // Download, Save, Cancel or Retry goes once pressed, the card showing what comes next: the keyboard,
  // on it, would fall to the page (Tab then starting over at the sidebar). It goes to the card's next button.
  const card = useRef<HTMLDivElement>(null)
  const had = useRef<Element | null>(null)
  useEffect(() => {
    const gone = had.current
    if (gone === null || gone.isConnected || (document.activeElement !== null && document.activeElement !== document.body)) return
    had.current = null
    // In this order, not the card's: a picture's thumbnail, a button too, comes first in it.
    const next = ['.file-progress button', '.file-actions button', 'button:not(.thumb):not(.icon-view)', 'button']
      .map((s) => card.current?.querySelector<HTMLElement>(s)).find((b) => b != null)
    next?.focus({ preventScroll: true })
  }, [d?.state])
  // A download or save the user asked for here is said once it is done: the keyboard, gone on to Show in
  // folder, says that button's name, not that the file was saved (a picture fetched on its own says nothing).
  const asked = useRef(false)
  const [said, setSaid] = useState('')
  useEffect(() => {
    if (!asked.current || d?.state === 'downloading') return
    asked.current = false
    if (d?.state === 'done') setSaid(`Saved ${file.name} to your downloads folder`)
  }, [d?.state, file.name])
  const asking = (go: (id: string) => Promise<unknown>): void => {
    asked.current = true
    setSaid('')
    void go(message.id)
  }
  return (
    <div
      className="file-card"
      data-testid="file-card"
      data-state={d?.state ?? 'none'}
      ref={card}
      onFocus={(e) => { had.current = e.target }}
      onBlur={(e) => { if (e.relatedTarget !== null) had.current = null }}
    >
      {file.thumbnail !== undefined && (
        <button
          className="thumb"
          title={thumbAction}
          aria-label={thumbAction}
          onClick={() => (viewable ? view(message) : d?.state === 'done' ? reveal('open') : void startDownload(message.id))}
        >
          <img src={file.thumbnail} alt={`Preview of ${file.name}`} data-testid="file-thumbnail" />
        </button>
      )}
      {/* A picture with no thumbnail (shared from a terminal, or one the sender's window could not read) still opens in the viewer. */}
      {file.thumbnail === undefined && (viewable
        ? <button className="icon-view" title={thumbAction} aria-label={thumbAction} onClick={() => view(message)}><FileKindIcon kind={kind.kind} /></button>
        : <FileKindIcon kind={kind.kind} />)}
      <div className="file-info">
        <span className="file-name" data-testid="file-name">{file.name}</span>
        <span className="muted small" data-testid="file-type" title={file.mime}>{formatBytes(file.size)} · {kind.label}</span>
      </div>
      {d === undefined && !own && (
        <button onClick={() => asking(startDownload)} aria-label={`Download ${file.name}`}>Download</button>
      )}
      {d?.state === 'downloading' && (
        <div className="file-progress">
          <progress max={file.size} value={d.done} aria-label={`Downloading ${file.name}`} data-testid="file-progress" />
          <span className="muted small" data-testid="file-speed">
            {formatBytes(d.done)} of {formatBytes(file.size)} · {paceOf(d)}
          </span>
          <button onClick={() => void cancelDownload(message.id)} aria-label={`Cancel download of ${file.name}`}>Cancel</button>
        </div>
      )}
      {d?.state === 'held' && (
        <div className="file-actions">
          <button onClick={() => asking(startDownload)} aria-label={`Save ${file.name} to your downloads folder`} title="Save it to your downloads folder">Save</button>
        </div>
      )}
      {d?.state === 'done' && (
        <div className="file-actions">
          <span className="muted small" data-testid="file-saved">Saved</span>
          {/* Named with the file, as the other buttons are: a screen reader's list of buttons says which file each opens. */}
          <button onClick={() => reveal('folder')} aria-label={`Show in folder: ${file.name}`}>Show in folder</button>
          <button onClick={() => reveal('open')} aria-label={`Open ${file.name}`}>Open</button>
          {problem !== undefined && <span className="error small" role="status">{problem}</span>}
        </div>
      )}
      <span className="visually-hidden" aria-live="polite" data-testid="file-said">{said}</span>
      {/* Every button's name starts with the word it shows: one says "click Retry" to speech control. */}
      {d?.state === 'failed' && (
        <div className="file-actions">
          <span className="error small" role="status">{d.code === 'CancelledError' ? 'Cancelled' : d.error}</span>
          {/* Kept from before this page opened: Retry goes on with the download (to the downloads folder) from what is here. */}
          <button onClick={() => asking(d.kept === true ? startDownload : retryDownload)} aria-label={`Retry downloading ${file.name}`}>Retry</button>
          {/* Nobody had it: the download waits, with what came, to go on at the next start; Cancel gives it up. */}
          {d.code === 'NoHolderError' && (
            <button onClick={() => void cancelDownload(message.id)} aria-label={`Cancel download of ${file.name}`}>Cancel</button>
          )}
        </div>
      )}
    </div>
  )
}
