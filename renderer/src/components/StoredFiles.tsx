import { useEffect, useRef, useState } from 'react'
import type { AppFileStorage, StorageFigure } from '../../../preload/contract'
import { call, describe } from '../api'
import { formatBytes } from '../format'

/** While the block is shown, its figures are read again this often: a download or the hosted server's fetch may finish meanwhile. */
const REFRESH_MS = 3000

const count = (f: StorageFigure): string => f.files === 0 ? 'None' : `${f.files} file${f.files === 1 ? '' : 's'}, ${formatBytes(f.bytes)}`

/** What partial downloads hold: those under way, and those stopped waiting for someone who has the file, which Free space gives up. */
function partialText(s: AppFileStorage): string {
  const waiting = s.partialWaiting?.files ?? 0
  if (waiting === 0) return `${count(s.partial)}, downloading now`
  const them = waiting === 1 ? 'it' : 'them'
  const which = waiting === s.partial.files ? (waiting === 1 ? 'waiting' : 'all waiting') : `${waiting} of them waiting`
  return `${count(s.partial)}, ${which} for someone who has the file (Free space gives ${them} up)`
}

/**
 * Settings → Files: what LAN Chat keeps in its own folder to serve others
 * (every file shared from here and every copy downloaded), and a button
 * that frees the copies of others' files. What was saved to the downloads
 * folder is never touched. With a server hosted in the app, what it keeps
 * too (the files shared through it, within its limit), which freeing leaves.
 */
export function StoredFiles() {
  const [storage, setStorage] = useState<AppFileStorage>()
  const [said, setSaid] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  // Free space, pressed itself, lets go of the keyboard as it is disabled (and stays so with nothing left
  // to free): the line saying what was freed, or why not, takes it, else it falls to the page behind.
  const told = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    const now = document.activeElement
    if ((said !== undefined || error !== undefined) && (now === null || now === document.body)) told.current?.focus()
  }, [said, error])
  // Bumped when a free starts and ends: a reading begun before it would show what was there before.
  const generation = useRef(0)
  const loaded = useRef(false)

  useEffect(() => {
    let live = true
    const read = (): void => {
      const at = generation.current
      // A later reading that fails (the engine restarting, say) keeps the figures shown; only the first one's failure is told.
      call('fileStorage').then((s) => {
        if (!live || at !== generation.current) return
        loaded.current = true
        setStorage(s)
      }, (err: unknown) => { if (live && !loaded.current) setError(describe(err)) })
    }
    read()
    const timer = window.setInterval(read, REFRESH_MS)
    return () => {
      live = false
      window.clearInterval(timer)
    }
  }, [])

  async function free(): Promise<void> {
    setBusy(true)
    setError(undefined)
    generation.current++
    try {
      const { freed, storage: now } = await call('freeFileStorage')
      generation.current++
      setStorage(now)
      setSaid(freed.files === 0 ? 'Nothing could be freed: the files left are in use.' : `Freed ${count(freed)}. What you saved to your downloads folder stays.`)
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="stored-files" data-testid="stored-files">
      <p className="stored-title" id="stored-files-title">Kept by LAN Chat to pass on</p>
      {storage === undefined
        ? <p className="hint">{error ?? 'Counting…'}</p>
        : (
          <>
            <dl aria-labelledby="stored-files-title">
              <dt>Files you shared</dt>
              <dd data-testid="stored-shared">{count(storage.shared)}</dd>
              <dt>Copies of others&apos; files</dt>
              <dd data-testid="stored-others">{count(storage.others)}</dd>
              {storage.hub !== undefined && (
                <>
                  <dt>Kept by the server hosted here</dt>
                  <dd data-testid="stored-hub">{count(storage.hub)}{storage.hub.keepBytes !== undefined ? ` (at most ${formatBytes(storage.hub.keepBytes)})` : ' (no limit)'}</dd>
                </>
              )}
              {storage.partial.files > 0 && (
                <>
                  <dt>Partly downloaded</dt>
                  <dd data-testid="stored-partial">{partialText(storage)}</dd>
                </>
              )}
              {storage.keepBytes !== undefined && (
                <>
                  {/* The limit above counts the copies and what partial downloads hold, together. */}
                  <dt>Counted against the limit</dt>
                  <dd data-testid="stored-limit">{formatBytes(storage.others.bytes + storage.partial.bytes)} of {formatBytes(storage.keepBytes)}</dd>
                </>
              )}
            </dl>
            <p className="hint">
              Others download a file from everyone who has it, so LAN Chat keeps a copy of each file you share, download or look at.
              Freeing removes the copies of others&apos; files (whoever shared them still has them) and partial downloads not under way; the files you shared stay.
              {storage.hub !== undefined && ' The server hosted here keeps the files shared through it for its clients to fetch, within its own limit (under Architecture): freeing leaves those.'}
            </p>

            <div>
              <button type="button" disabled={busy || storage.others.files + storage.partial.files === 0} onClick={() => void free()}>
                {busy ? 'Freeing…' : 'Free space'}
              </button>
            </div>
            {said !== undefined && <p className="hint" role="status" tabIndex={-1} ref={error === undefined ? told : undefined}>{said}</p>}
            {error !== undefined && <p className="error" role="alert" tabIndex={-1} ref={told}>{error}</p>}
          </>
          )}
    </div>
  )
}
