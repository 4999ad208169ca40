import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso'
import { MAX_LIVE_ROWS, PAGE, type Entry } from '../store'
import { Message, NoteLine } from './Message'
import { dayAndTime, dayLabel, dayOf, shortId, writtenAt } from '../format'
import { previewText } from '../../../preload/contract'
import { Blocked } from './People'
import { Today } from '../today'
import { deliveredCount, readersAt, type Readers } from '../delivery'

export interface DeliveryInfo {
  receipts: Record<string, string[]>
  /** Known peers (not blocked): the n of "delivered to k of n" in a public room. */
  peers: number
  client: boolean
  /** Who alone can read this conversation (a DM, a private room): only they count. */
  readers?: Readers
}

/** Where the list's window of the room is: its first row's index, and whether there is more on either side. */
export interface WindowInfo {
  /** A new window (not a page added to this one): the list starts anew, its ends not yet reached. */
  generation: number
  /** Times the oldest rows of this window were let go while following the newest: the list is laid out anew at its bottom. */
  trims: number
  first: number
  older: boolean
  newer: boolean
}

const GROUP_MS = 5 * 60_000
/** About as many rows as the list shows at once (fewer new ones than this are in view at the bottom). */
const ROWS_ON_SCREEN = 8
/** Pixels below the view a list may be left at its bottom (rounding): more can hide the newest row's last line. */
const BOTTOM_SLACK = 1
/** Scrolled up by hand more rows than this above the newest (about two screens), the list offers the way back down. */
const FAR_FROM_NEWEST_ROWS = 20
/** How near its end the list counts as at the bottom (the list's atBottomThreshold), px. */
const AT_BOTTOM_PX = 120
/** How long after rows land at the end the list checks that it ends at them (rows measure within a frame or two). */
const SETTLE_MS = 150
/** A bottom-leaving scroll this soon after a wheel, key or pointer gesture is the user's doing. */
const GESTURE_MS = 1000

/**
 * The virtualized message list: only visible rows are in the DOM, so a room
 * of 100k messages scrolls as smoothly as one of ten. New messages follow the
 * bottom unless the user scrolled up; then a "N new messages" pill jumps down.
 *
 * "Scrolled up" is decided by the user's gestures, not by the position alone:
 * a burst of arrivals (catch-up after a reconnect) can push the bottom away
 * for a moment, and the list must keep following it then.
 *
 * The list holds a window of the room, never all of it: reaching the top asks
 * for the page before (put in front without moving the view: `firstItemIndex`
 * goes down by as many rows), and in a search hit's context reaching the
 * bottom asks for the page after; "Jump to newest" goes back to the newest.
 * While it follows the newest it holds MAX_LIVE_ROWS rows at most: past
 * that it asks (`onTrim`) to let the oldest go, keeping a "New messages" line
 * that is near, and is laid out anew at its bottom (rows taken off the top
 * of a list on screen would move it).
 */
export function MessageList({ room, label, empty, entries, delivery, reveal = null, divider = null, dividerOnOpen = true, window: win, onOlder, onNewer, onNewest, onTrim }: {
  room: string
  /** The list's name to a screen reader, with the conversation's shown name (never its internal id). */
  label: string
  /** What an empty conversation says (by default for a public room: `#room`). */
  empty?: string
  entries: Entry[]
  delivery: DeliveryInfo
  reveal?: string | null
  /** The first message since the user was last here: a "New messages" line goes above it. */
  divider?: string | null
  /** Whether the divider was there when the room opened: only then may the list start at it (one put above what came while the room was on screen moves nothing). */
  dividerOnOpen?: boolean
  window: WindowInfo
  onOlder: () => void
  onNewer: () => void
  onNewest: () => void
  /** Let the rows before this one (its key) go: the list follows the newest and holds too many. */
  onTrim?: (from: string) => void
}) {
  // Drawn again when the day turns: a list left open past midnight says Yesterday above the day before.
  useContext(Today)
  const ref = useRef<VirtuosoHandle>(null)
  const stick = useRef(true)
  const gesture = useRef(0)
  const length = useRef(entries.length)
  length.current = entries.length
  // The rows and the "New messages" line as of the last render, for a jump that must find the line again.
  const rowsNow = useRef(entries)
  rowsNow.current = entries
  const dividerNow = useRef(divider)
  dividerNow.current = divider
  const lastKey = useRef<string | undefined>(undefined)
  lastKey.current = entries[entries.length - 1]?.key
  const [away, setAway] = useState(false)
  // The window ends before the newest (a search hit's context): its bottom is a page's end, not the room's.
  const beforeNewest = useRef(win.newer)
  beforeNewest.current = win.newer
  // A hit's context read downwards, until its reader reaches the room's real bottom (see readingDown below).
  const readingNow = useRef(false)
  // The last row when the user left the bottom (by key: older pages may be put in front meanwhile).
  const [seen, setSeen] = useState<string | undefined>(undefined)
  // A list opened away from the bottom on purpose (at a search hit, or at the "New messages"
  // line) is held there until the user scrolls: what the list reports about the bottom while
  // its rows settle (at first it may think it is there) moves nothing. Held: the list's key.
  const listKey = `${room}/${win.generation}`
  // A search hit to show and not shown yet in this list: the list is meant to be away from the bottom.
  // Per list: a page that comes after the hit was shown (the room's newest, asked for as it opened
  // with the hit among its live rows) starts a new list, which is held at the hit again.
  const revealed = useRef<string | null>(null)
  const revealing = useRef(false)
  const revealKey = reveal === null ? null : `${listKey}\n${reveal}`
  // Shown, then left (Jump to newest, another room): the same hit found again is shown again.
  if (reveal === null) revealed.current = null
  revealing.current = revealKey !== null && revealed.current !== revealKey
  const currentList = useRef(listKey)
  currentList.current = listKey
  const heldFor = useRef<string | null>(null)

  // The list's scrolling element: how far its real bottom is (the list's own "at the bottom" allows atBottomThreshold).
  const scroller = useRef<HTMLElement | null>(null)
  const setScroller = useCallback((el: HTMLElement | Window | null) => { scroller.current = el instanceof HTMLElement ? el : null }, [])

  const onBottomChange = useCallback((bottom: boolean) => {
    if (heldFor.current === currentList.current) return
    if (bottom) {
      // At the end of a hit's context the reader reads on as the next page comes below: that is not
      // following the newest (following, the list went to each page's end and on to the newest at once).
      // The list says "at the bottom" as a page is put below, before it has the page's height: only
      // the scroller's real bottom ends the reading.
      if (readingNow.current) {
        const el = scroller.current
        if (beforeNewest.current || el === null || el.scrollHeight - el.clientHeight - el.scrollTop > AT_BOTTOM_PX) return
        setReadingDown(null)
      }
      stick.current = !beforeNewest.current
      setAway(false)
    } else if (Date.now() - gesture.current < GESTURE_MS) {
      stick.current = false
      setAway(true)
      setSeen(lastKey.current)
    } else if (stick.current && !revealing.current) {
      // Left the bottom without the user doing anything: rows of a burst measured taller
      // than estimated after the last follow. Go back down, or the newest stay out of view.
      ref.current?.scrollToIndex({ index: length.current - 1, align: 'end', behavior: 'auto' })
    }
  }, [])
  // A row measured after the list followed the newest can leave it short of its real bottom and say
  // nothing: short by less than atBottomThreshold it still counts as at the bottom, and short by
  // more after a jump back down it is still "not at the bottom". Once a burst ends no new row would
  // move it, and the newest would stay below the view, unrendered, with no button to reach it. So
  // every change of the list's height while it should be following sends it to its real bottom.
  const toRealBottom = useCallback(() => {
    if (!stick.current || beforeNewest.current || readingNow.current || revealing.current || heldFor.current === currentList.current) return
    if (Date.now() - gesture.current < GESTURE_MS) return
    const el = scroller.current
    if (el === null || el.scrollHeight - el.clientHeight - el.scrollTop <= BOTTOM_SLACK) return
    // The scroller's own end, not the newest row's: aligning the row's end stopped a few pixels short
    // (its padding), which the list then counted as the bottom while the row's last line was under the edge.
    el.scrollTop = el.scrollHeight
  }, [])
  // The list reports a new height from its own state, which can be before the scroller has it (the
  // padding that stands for unrendered rows is set on the list's next render): a look then finds the
  // old bottom and does nothing, and nothing calls again. So look once more after the next frame.
  const onHeightChange = useCallback(() => {
    toRealBottom()
    requestAnimationFrame(() => { requestAnimationFrame(toRealBottom) })
  }, [toRealBottom])
  const markGesture = useCallback(() => {
    gesture.current = Date.now()
    heldFor.current = null
  }, [])

  // A search hit: scroll to it once it is loaded, and stop following the bottom so it stays in view.
  const revealAt = reveal === null ? -1 : entries.findIndex((e) => e.message.id === reveal)
  // What a screen reader hears of it: the keyboard stays where it was (the message box), so the row it
  // was brought to would go unsaid (a search hit, a pin, a notification, a reply's quote).
  const blocked = useContext(Blocked)
  const [shownSaid, setShownSaid] = useState({ n: 0, text: '' })
  useEffect(() => {
    if (revealAt < 0 || revealKey === null || revealed.current === revealKey) return
    revealed.current = revealKey
    const m = entries[revealAt]!.message
    // A new node each time: the same message shown again is said again.
    setShownSaid((was) => ({ n: was.n + 1, text: `Shown: ${revealWords(m, blocked.has(m.author) && !entries[revealAt]!.own)}` }))
    stick.current = false
    heldFor.current = listKey
    ref.current?.scrollToIndex({ index: revealAt, align: 'center' })
  // Once per hit: the rows and the blocked list as they are then.
  }, [revealKey, revealAt, listKey])

  // A room opened with more new messages than fit on screen: start at the "New messages" line, not at the bottom.
  const dividerAt = divider === null ? -1 : entries.findIndex((e) => e.message.id === divider)
  const startAtDivider = dividerOnOpen && dividerAt >= 0 && entries.length - dividerAt > ROWS_ON_SCREEN
  const shownDivider = useRef<string | null>(null)
  useEffect(() => {
    // Once per list: the room's newest page coming in anew starts a new one (at the bottom).
    const key = `${room}/${win.generation}/${divider ?? ''}`
    if (dividerAt < 0 || shownDivider.current === key || revealing.current) return
    shownDivider.current = key
    if (!startAtDivider) return
    stick.current = false
    heldFor.current = listKey
    ref.current?.scrollToIndex({ index: dividerAt, align: 'start' })
  }, [room, win.generation, divider, dividerAt, startAtDivider, listKey])

  // The rows in view (as indexes into entries): the "New messages" line may be above them.
  const [inView, setInView] = useState({ top: 0, end: 0 })
  const firstIndex = useRef(win.first)
  firstIndex.current = win.first
  const onRange = useCallback(({ startIndex, endIndex }: { startIndex: number; endIndex: number }) => {
    setInView({ top: startIndex - firstIndex.current, end: endIndex - firstIndex.current })
  }, [])
  // The line was read: in view while the list was not following the bottom (it started there, or
  // the user scrolled to it). Passing by in a burst the list follows does not count.
  const dividerKey = `${listKey}/${divider ?? ''}`
  const [dividerRead, setDividerRead] = useState<string | null>(null)
  useEffect(() => {
    if (dividerAt >= 0 && inView.top <= dividerAt && dividerAt <= inView.end && !stick.current) setDividerRead(dividerKey)
  }, [dividerAt, inView, dividerKey])
  // Many new messages came in while the room was on screen (catch-up after a restart or a cut):
  // the list followed them to the bottom and the line above the first is far up. Say so, and go there.
  const newSince = dividerAt >= 0 && inView.top > dividerAt && dividerRead !== dividerKey ? entries.slice(dividerAt).filter((e) => !e.own && e.message.note === undefined).length : 0

  // Back to following the newest, in one instant jump (a smooth scroll over rows of unknown height can
  // stop short of the last one), then to the scroller's own end: the row's end leaves its padding below.
  const toNewest = (): void => {
    stick.current = true
    // A click on the way down ends the wheel's gesture: the list follows from here.
    gesture.current = 0
    ref.current?.scrollToIndex({ index: entries.length - 1, align: 'end', behavior: 'auto' })
    requestAnimationFrame(() => { requestAnimationFrame(toRealBottom) })
  }

  const seenAt = away ? entries.findIndex((e) => e.key === seen) : -1
  const unseen = seenAt >= 0 ? entries.slice(seenAt + 1).filter((e) => !e.own && e.message.note === undefined).length : 0
  const last = entries[entries.length - 1]
  // In a private room, who read each message then: a member removed since, or gone, counts for what came before.
  const then = useMemo(() => readersAt(entries, delivery.readers), [entries, delivery.readers])
  // The last row when the list last followed the output: it changes only when rows are added at the end.
  const tail = useRef<string | undefined>(last?.key)

  // Rows added at the end while following: once they are laid out, the list ends at them, whether or
  // not the list's own follow of the output took (a burst landing while it is still placing its
  // first rows, on a busy machine, once left it at the top of the room with the newest out of reach).
  // Not in a search hit's context (the window is not the newest rows): a page put below there is read, not followed.
  const lastKeyNow = last?.key
  const following = !win.newer
  useEffect(() => {
    if (lastKeyNow === undefined || !following) return
    const timer = setTimeout(toRealBottom, SETTLE_MS)
    return () => clearTimeout(timer)
  }, [lastKeyNow, following, toRealBottom])
  // Reading down a hit's context: from its first page after until the reader, scrolling, reaches the
  // room's real bottom, the list follows nothing (not the page that reaches the newest either).
  const [readingDown, setReadingDown] = useState<string | null>(null)
  useEffect(() => { if (win.newer) setReadingDown(listKey) }, [win.newer, listKey])
  readingNow.current = readingDown === listKey
  // One's own message sent while reading there (the newest are in the window by then) ends the reading: it comes into view.
  const justSent = last?.state === 'sending'
  useEffect(() => {
    if (!readingNow.current || !following || !justSent) return
    setReadingDown(null)
    stick.current = true
    ref.current?.scrollToIndex({ index: length.current - 1, align: 'end', behavior: 'auto' })
  }, [lastKeyNow, justSent, following])

  // Following the newest with more rows than it keeps: the oldest go (they load again on scrolling
  // up), all but a "New messages" line within half the limit (with the rows since, for its "↑ N new" button).
  useEffect(() => {
    const count = entries.length
    if (onTrim === undefined || count <= MAX_LIVE_ROWS || !following || !stick.current || readingNow.current || revealing.current) return
    if (heldFor.current === currentList.current || Date.now() - gesture.current < GESTURE_MS) return
    const keep = dividerAt >= 0 && count - dividerAt <= MAX_LIVE_ROWS / 2 ? Math.min(dividerAt, count - PAGE) : count - PAGE
    const from = entries[keep]?.key
    if (keep > 0 && from !== undefined) onTrim(from)
  }, [entries, following, dividerAt, onTrim])

  if (entries.length === 0) {
    return <div className="messages empty-room"><p className="muted">{empty ?? `No messages in #${room} yet. Say hello!`}</p></div>
  }

  return (
    <div className="messages" onWheel={markGesture} onTouchMove={markGesture} onKeyDown={markGesture} onPointerDown={markGesture}>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="shown-said">{shownSaid.text !== '' && <p key={shownSaid.n}>{shownSaid.text}</p>}</div>
      <Virtuoso
        key={`${room}/${win.generation}/${win.trims}`}
        ref={ref}
        data={entries}
        firstItemIndex={win.first}
        startReached={() => { if (win.older) onOlder() }}
        endReached={() => { if (win.newer) onNewer() }}
        className="virtuoso"
        // Focusable, so the keyboard can scroll the history (and the focus ring shows where it is).
        tabIndex={0}
        // A named region: an aria-label on a plain div is not allowed (axe's aria-prohibited-attr).
        role="region"
        aria-label={label}
        // Laid out anew after a trim, it was following the newest: at its bottom again (the hit and the line were shown in this window before).
        initialTopMostItemIndex={win.trims > 0 ? entries.length - 1 : revealAt >= 0 ? { index: revealAt, align: 'center' } : startAtDivider ? { index: dividerAt, align: 'start' } : entries.length - 1}
        alignToBottom
        atBottomThreshold={AT_BOTTOM_PX}
        atBottomStateChange={onBottomChange}
        totalListHeightChanged={onHeightChange}
        scrollerRef={setScroller}
        rangeChanged={onRange}
        // Own messages always scroll into view; others unless the user scrolled up (or reads a hit's context).
        // 'auto' (instant) keeps up with bursts, where a smooth scroll falls behind.
        // Only for rows added at the end: an older page put in front must not pull the view down.
        // A page put below a hit's context is read from its top: not followed. (The list is given no
        // function then: with one, it goes to the bottom on its own whenever its height grows right
        // after new rows, whatever the function answers.)
        followOutput={win.newer || readingNow.current ? false : () => {
          const before = tail.current
          tail.current = last?.key
          if (last?.key === before) return false
          if (stick.current) return 'auto'
          // One's own message just sent comes into view (not a page that happens to end with one's own),
          // and the list follows the room from there: sending is the user's own act of coming back down.
          // (Left to the list's report of the bottom, a row measured taller within a second of the
          // scroll that went up read as the user leaving again, and the next messages stayed below.)
          if (last?.state !== 'sending') return false
          stick.current = true
          gesture.current = 0
          return 'auto'
        }}
        computeItemKey={(_, entry) => entry.key}
        itemContent={(index, entry) => {
          // The list counts from firstItemIndex: the row above is at data index (index - first - 1).
          const at = index - win.first
          const prev = at > 0 ? entries[at - 1] : undefined
          const first = entry.message.id === divider
          // A day's first message (by the author's clock, never later than it came, in this window's time zone) gets the day above it.
          const newDay = prev === undefined || dayOf(writtenAt(prev.message)) !== dayOf(writtenAt(entry.message))
          // After a note (a join, a removal…) the author is named again.
          const compact = !first && !newDay && prev !== undefined && prev.message.note === undefined && prev.message.author === entry.message.author && prev.message.name === entry.message.name && writtenAt(entry.message) - writtenAt(prev.message) < GROUP_MS
          const row = entry.message.note !== undefined ? <NoteLine entry={entry} /> : <Message entry={entry} compact={compact} revealed={entry.message.id === reveal} delivery={entry.own ? { ...deliveredCount(delivery.receipts[entry.message.id] ?? [], delivery.peers, then.get(entry.message.id) ?? delivery.readers), client: delivery.client, readers: delivery.readers } : undefined} />
          const label = newDay ? dayLabel(writtenAt(entry.message)) : ''
          const day = newDay ? <div className="day-divider" role="separator" aria-label={label} data-testid="day-divider"><span>{label}</span></div> : null
          return first ? <>{day}<div className="new-divider" role="separator" aria-label="New messages" data-testid="new-divider"><span>New messages</span></div>{row}</> : day !== null ? <>{day}{row}</> : row
        }}
      />
      {newSince > 0 && (
        <button className="jump up" data-testid="jump-to-new" title={`Up to the "New messages" line: ${newSince} came since you were last here`} onClick={() => {
          // Read from there: the list stops following the bottom until the user gets back to it.
          stick.current = false
          heldFor.current = listKey
          // What comes meanwhile is counted on the button below, as after scrolling up by hand.
          setAway(true)
          setSeen(lastKey.current)
          // Up to the line's row as the list holds it then, and again if the line is still not drawn a
          // moment later: the oldest rows let go (a trim) while the list was placing them had left the
          // view short of it, or on rows far above.
          const jump = (tries: number): void => {
            const at = rowsNow.current.findIndex((e) => e.message.id === dividerNow.current)
            if (at < 0) return
            ref.current?.scrollToIndex({ index: at, align: 'start', behavior: 'auto' })
            if (tries > 0) window.setTimeout(() => { if (document.querySelector('[data-testid="new-divider"]') === null) jump(tries - 1) }, 200)
          }
          jump(3)
        }}>
          ↑ {newSince} new message{newSince === 1 ? '' : 's'}
        </button>
      )}
      {win.newer && (
        <button className="jump" onClick={onNewest}>
          Jump to newest ↓
        </button>
      )}
      {!win.newer && unseen === 0 && away && inView.end < entries.length - 1 - FAR_FROM_NEWEST_ROWS && (
        // Scrolled far up by hand, with nothing new meanwhile: the way back down in one click, as chat apps offer it.
        <button className="jump" data-testid="back-to-newest" onClick={toNewest}>
          Back to the newest ↓
        </button>
      )}
      {!win.newer && unseen > 0 && (
        <button className="jump" onClick={toNewest}>
          {unseen} new message{unseen === 1 ? '' : 's'} ↓
        </button>
      )}
    </div>
  )
}

/** A message brought into view, in words: who, when, and what it says (a file by its name). */
function revealWords(m: Entry['message'], blocked: boolean): string {
  const who = m.name || shortId(m.author)
  const what = blocked ? 'a message from someone you blocked' : m.deleted === true ? 'a deleted message' : previewText(m.text) || (m.file?.name ?? '')
  return `${who}, ${dayAndTime(writtenAt(m))}: ${what}`
}
