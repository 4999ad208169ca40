import { useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { onlyUnspaced, personKey, previewText, roomsNamed, revealOverrides, snippetParts, writtenAt, UNSPACED_SCAN_ROWS, type SearchHit } from '../../../preload/contract'
import { call } from '../api'
import { useLive } from '../live'
import { Dialog } from './Dialog'
import { Blocked } from './People'
import { LockIcon } from './icons'
import { dayAndTime, fullTime, shortId } from '../format'
import { scopeOf, uncutSnippet } from '../search'


/**
 * The engine marks matched words (`marked`, with characters no one types): shown as <mark>, and a
 * text's own brackets as brackets. The snippet reads as the message does, formatting markers gone
 * (a code span, bold or a fence the snippet cut in two included).
 */
function Snippet({ hit }: { hit: SearchHit }) {
  const parts = snippetParts(previewText(uncutSnippet(hit.marked ?? hit.snippet)))
  return <>{parts.map((part, i) => (part.matched ? <mark key={i}>{revealOverrides(part.text)}</mark> : revealOverrides(part.text)))}</>
}

/**
 * Search every room's history (Ctrl/Cmd+F), or one room's ("Search in", or "in:#room"
 * among the words): hits come from the engine, newest first (public rooms from its full-text
 * index, direct messages and private rooms opened in memory, their text sealed on disk);
 * choosing one opens its conversation at that message.
 */
export function SearchDialog({ rooms, conversations = [], onClose, onOpen }: {
  rooms: readonly string[]
  /** Direct messages and private rooms, to search one of: their room and how it is named (@Alice, Board); hits are named the same, after a lock. */
  conversations?: ReadonlyArray<{ room: string; label: string; kind: 'dm' | 'private' }>
  onClose: () => void
  onOpen: (hit: SearchHit) => void
}) {
  const blocked = useContext(Blocked)
  const box = useRef<HTMLInputElement>(null)
  const list = useRef<HTMLUListElement>(null)
  const [q, setQ] = useState('')
  const [within, setWithin] = useState('')
  const typed = scopeOf(q)
  // in:#q3-planning names an invite-only room of ours by its name (as the engine reads it): "Search in" shows that room, not a public #q3-planning.
  // in:@bob names the direct messages with Bob (the engine reads it so): "Search in" shows that conversation.
  const typedPerson = typed.room?.startsWith('@') === true ? typed.room.slice(1) : undefined
  const typedDm = typedPerson === undefined ? undefined : conversations.find((c) => c.kind === 'dm' && personKey(c.label.slice(1)) === personKey(typedPerson))?.room
  const typedPrivate = typed.room === undefined || typedPerson !== undefined || rooms.includes(typed.room) ? undefined : roomsNamed(typed.room, conversations.filter((c) => c.kind === 'private').map((c) => ({ room: c.room, name: c.label })))[0]
  const typedShown = typedDm ?? typedPrivate ?? typed.room
  const room = typed.room ?? (within === '' ? undefined : within)
  // Typing fast asks once, for what was typed last.
  const [asked, setAsked] = useState<{ words: string; room?: string }>({ words: '' })
  useEffect(() => {
    const timer = setTimeout(() => setAsked(room === undefined ? { words: typed.words } : { words: typed.words, room }), 120)
    return () => clearTimeout(timer)
  }, [typed.words, room])
  // While the dialog is open, a message that arrives, or is edited or deleted, is found (or dropped) without typing again.
  // Each answer says which words it is for: the list keeps the last one's hits while the next words are asked.
  const keyOf = (a: { words: string; room?: string }): string => `${a.room ?? ''}\n${a.words}`
  const { data: answer, error } = useLive(
    () => {
      const key = keyOf(asked)
      return asked.words === '' ? Promise.resolve(undefined) : call('search', asked.room === undefined ? { q: asked.words } : { q: asked.words, room: asked.room }).then((hits) => ({ key, hits }))
    },
    ['message', 'message:updated'],
    null,
    keyOf(asked)
  )
  const hits = answer?.hits
  // The words the hits shown are for, said with their count: other words with as many hits change what a screen reader hears.
  const answered = `\u201c${answer?.key.slice(answer.key.indexOf('\n') + 1) ?? ''}\u201d`
  // Words refused (a bad date) show what is wrong, not the hits of the words before them.
  const shown = typed.words === '' || error !== undefined ? undefined : hits
  // Enter opens the first (newest) hit of the words typed: at once when their answer is here, else as it comes
  // (typed fast, Enter comes before the words are asked). Typing on forgets it; words with no hit open nothing.
  const typedKey = keyOf(room === undefined ? { words: typed.words } : { words: typed.words, room })
  const [openFirst, setOpenFirst] = useState<string | null>(null)
  useEffect(() => {
    if (openFirst === null || answer?.key !== openFirst || error !== undefined) return
    setOpenFirst(null)
    const first = answer.hits[0]
    if (first !== undefined) onOpen(first)
  }, [openFirst, answer, error, onOpen])
  // A closed direct conversation is not listed: its hit says with whom.
  const labelOf = (h: SearchHit): string => conversations.find((c) => c.room === h.room)?.label ?? (h.dm !== undefined ? `@${h.dm.name || shortId(h.dm.peerId)}` : `#${h.room}`)
  const sealed = (h: SearchHit): boolean => h.dm !== undefined || conversations.some((c) => c.room === h.room)
  // In a list of options only text can go: the private ones are grouped under words instead of a lock.
  const group = (kind: 'dm' | 'private', label: string) => {
    const of = conversations.filter((c) => c.kind === kind)
    return of.length === 0 ? null : <optgroup label={label}>{of.map((c) => <option key={c.room} value={c.room}>{c.label}</option>)}</optgroup>
  }

  // The keyboard goes from the words down into the hits and along them with the arrow keys (Home, End: the first, the last), and from the first hit back up to the words.
  const hitButtons = (): HTMLButtonElement[] => [...(list.current?.querySelectorAll<HTMLButtonElement>('button.search-hit') ?? [])]
  const fromBox = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault()
      if (typed.words !== '') setOpenFirst(typedKey)
      return
    }
    if (e.key !== 'ArrowDown') return
    const first = hitButtons()[0]
    if (first === undefined) return
    e.preventDefault()
    first.focus()
  }
  const alongHits = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return
    const all = hitButtons()
    const at = all.indexOf(e.target as HTMLButtonElement)
    if (at < 0) return
    e.preventDefault()
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1)
    if (to < 0) box.current?.focus()
    else all[Math.min(to, all.length - 1)]?.focus()
  }

  return (
    <Dialog title="Search messages" label="Search messages" onClose={onClose}>
      <div className="stack">
        <label htmlFor="search-q">Words to find</label>
        {/* A plain text field: in a search field the first Escape only clears it, and Escape should close the dialog. */}
        {/* Words the engine refused (a bad date, an unknown has:) mark the field, which is described by what is wrong first, as in Settings. */}
        <input ref={box} id="search-q" type="text" enterKeyHint="search" autoFocus maxLength={500} value={q} aria-invalid={error !== undefined ? true : undefined} aria-describedby={error !== undefined ? 'search-error search-scope' : 'search-scope'} onChange={(e) => { setQ(e.target.value); setOpenFirst(null) }} onKeyDown={fromBox} />
        <label htmlFor="search-in">Search in</label>
        <select id="search-in" value={typedShown ?? within} disabled={typed.room !== undefined} onChange={(e) => setWithin(e.target.value)}>
          <option value="">every room</option>
          {[...new Set([...rooms, ...(typed.room !== undefined && typedPrivate === undefined && typedDm === undefined ? [typed.room] : [])])].map((r) => <option key={r} value={r}>{r.startsWith('@') ? r : `#${r}`}</option>)}
          {group('dm', 'Direct messages')}
          {group('private', 'Private rooms')}
        </select>
        <p className="hint" id="search-scope">Type in:#room among the words to search one room, in:@name your direct messages with someone, from:@name (or from:me) for what someone wrote, has:image (file, link, reply), before:, after: or on:2026-12-01, a OR b, -word. Enter opens the newest hit, ↓ goes down the list. Direct messages and private rooms are searched here, on this computer: their text stays sealed on disk.</p>
        {error !== undefined && <p className="error" id="search-error" role="alert">{error}</p>}
        {/* A live region is heard when what is in it changes: it is there from the start, and the answer comes into it. */}
        <div role="status" aria-live="polite" data-testid="search-status">
          {shown !== undefined && shown.length === 0 && (
            <p className="hint" data-testid="no-hits">
              No message matches {answered}.
              {/* Such words alone are read row by row, so only so far back: another word brings in the index. */}
              {onlyUnspaced(q) && ` Emoji and words written without spaces (Chinese, Japanese, Thai…) are looked for in the newest ${UNSPACED_SCAN_ROWS.toLocaleString('en-US')} messages; add a word written with spaces to search all of them.`}
            </p>
          )}
          {shown !== undefined && shown.length > 0 && <span className="visually-hidden">{shown.length === 1 ? `1 message found for ${answered}` : `${shown.length} messages found for ${answered}`}</span>}
        </div>
        {shown !== undefined && shown.length > 0 && (
          <ul ref={list} className="search-hits" aria-label="Search results" onKeyDown={alongHits}>
            {shown.map((h) => (
              <li key={`${h.room}/${h.id}`}>
                <button type="button" className="search-hit" data-testid="search-hit" onClick={() => onOpen(h)}>
                  <span className="muted">
                    {sealed(h) && <span className="lock" role="img" aria-label="Private"><LockIcon /></span>}
                    {labelOf(h)}
                  </span>{' '}
                  <strong><bdi>{h.name}</bdi></strong>{' '}
                  <time className="muted small" dateTime={new Date(writtenAt(h)).toISOString()} title={fullTime(writtenAt(h))}>{dayAndTime(writtenAt(h))}</time>: {blocked.has(h.author) ? <em className="muted">a message from someone you blocked</em> : <bdi><Snippet hit={h} /></bdi>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  )
}
