import { useCallback, useEffect, useRef, useState } from 'react'
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso'
import type { Entry } from '../store'
import { Message } from './Message'

export interface DeliveryInfo {
  receipts: Record<string, string[]>
  /** Known peers (not blocked): the n of "delivered to k of n". */
  peers: number
  client: boolean
}

const GROUP_MS = 5 * 60_000
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
 */
export function MessageList({ room, entries, delivery, reveal = null }: { room: string; entries: Entry[]; delivery: DeliveryInfo; reveal?: string | null }) {
  const ref = useRef<VirtuosoHandle>(null)
  const stick = useRef(true)
  const gesture = useRef(0)
  const length = useRef(entries.length)
  length.current = entries.length
  const [away, setAway] = useState(false)
  // How many rows there were when the user left the bottom.
  const [seen, setSeen] = useState(0)
  // A search hit to show and not shown yet: the list is meant to be away from the bottom.
  const revealed = useRef<string | null>(null)
  const revealing = useRef(false)
  revealing.current = reveal !== null && revealed.current !== reveal

  const onBottomChange = useCallback((bottom: boolean) => {
    if (bottom) {
      stick.current = true
      setAway(false)
    } else if (Date.now() - gesture.current < GESTURE_MS) {
      stick.current = false
      setAway(true)
      setSeen(length.current)
    } else if (stick.current && !revealing.current) {
      // Left the bottom without the user doing anything: rows of a burst measured taller
      // than estimated after the last follow. Go back down, or the newest stay out of view.
      ref.current?.scrollToIndex({ index: length.current - 1, align: 'end', behavior: 'auto' })
    }
  }, [])
  const markGesture = useCallback(() => {
    gesture.current = Date.now()
  }, [])

  // A search hit: scroll to it once it is loaded, and stop following the bottom so it stays in view.
  const revealAt = reveal === null ? -1 : entries.findIndex((e) => e.message.id === reveal)
  useEffect(() => {
    if (revealAt < 0 || revealed.current === reveal) return
    revealed.current = reveal
    stick.current = false
    ref.current?.scrollToIndex({ index: revealAt, align: 'center' })
  }, [reveal, revealAt])

  const unseen = away ? entries.slice(seen).filter((e) => !e.own).length : 0
  const last = entries[entries.length - 1]

  if (entries.length === 0) {
    return <div className="messages empty-room"><p className="muted">No messages in #{room} yet. Say hello!</p></div>
  }

  return (
    <div className="messages" onWheel={markGesture} onTouchMove={markGesture} onKeyDown={markGesture} onPointerDown={markGesture}>
      <Virtuoso
        key={room}
        ref={ref}
        data={entries}
        className="virtuoso"
        // Focusable, so the keyboard can scroll the history (and the focus ring shows where it is).
        tabIndex={0}
        aria-label={`Messages in #${room}`}
        initialTopMostItemIndex={revealAt >= 0 ? { index: revealAt, align: 'center' } : entries.length - 1}
        alignToBottom
        atBottomThreshold={120}
        atBottomStateChange={onBottomChange}
        // Own messages always scroll into view; others unless the user scrolled up.
        // 'auto' (instant) keeps up with bursts, where a smooth scroll falls behind.
        followOutput={() => (stick.current || last?.own === true ? 'auto' : false)}
        computeItemKey={(_, entry) => entry.key}
        itemContent={(index, entry) => {
          const prev = index > 0 ? entries[index - 1] : undefined
          const compact = prev !== undefined && prev.message.author === entry.message.author && entry.message.sentAt - prev.message.sentAt < GROUP_MS
          const k = entry.own ? (delivery.receipts[entry.message.id]?.length ?? 0) : 0
          return <Message entry={entry} compact={compact} revealed={entry.message.id === reveal} delivery={entry.own ? { k, n: Math.max(delivery.peers, k), client: delivery.client } : undefined} />
        }}
      />
      {unseen > 0 && (
        <button className="jump" onClick={() => {
          // Back to following the newest, in one instant jump: a smooth scroll over rows of
          // unknown height can stop short of the last one.
          stick.current = true
          ref.current?.scrollToIndex({ index: entries.length - 1, align: 'end', behavior: 'auto' })
        }}>
          {unseen} new message{unseen === 1 ? '' : 's'} ↓
        </button>
      )}
    </div>
  )
}
