import { useEffect, useRef, useState } from 'react'
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso'
import type { Entry } from '../store'
import { Message } from './Message'

const GROUP_MS = 5 * 60_000

/**
 * The virtualized message list: only visible rows are in the DOM, so a room
 * of 100k messages scrolls as smoothly as one of ten. New messages follow the
 * bottom unless the user scrolled up; then a "N new messages" pill jumps down.
 */
export function MessageList({ room, entries }: { room: string; entries: Entry[] }) {
  const ref = useRef<VirtuosoHandle>(null)
  const [atBottom, setAtBottom] = useState(true)
  const [seen, setSeen] = useState(entries.length)

  useEffect(() => {
    if (atBottom) setSeen(entries.length)
  }, [atBottom, entries.length])

  const unseen = atBottom ? 0 : entries.slice(seen).filter((e) => !e.own).length
  const last = entries[entries.length - 1]

  if (entries.length === 0) {
    return <div className="messages empty-room"><p className="muted">No messages in #{room} yet. Say hello!</p></div>
  }

  return (
    <div className="messages">
      <Virtuoso
        key={room}
        ref={ref}
        data={entries}
        className="virtuoso"
        initialTopMostItemIndex={entries.length - 1}
        alignToBottom
        atBottomThreshold={48}
        atBottomStateChange={setAtBottom}
        // Own messages always scroll into view; others only when already at the bottom.
        followOutput={(bottom) => (bottom || last?.own === true ? 'smooth' : false)}
        computeItemKey={(_, entry) => entry.key}
        itemContent={(index, entry) => {
          const prev = index > 0 ? entries[index - 1] : undefined
          const compact = prev !== undefined && prev.message.author === entry.message.author && entry.message.sentAt - prev.message.sentAt < GROUP_MS
          return <Message entry={entry} compact={compact} />
        }}
      />
      {unseen > 0 && (
        <button className="jump" onClick={() => ref.current?.scrollToIndex({ index: entries.length - 1, behavior: 'smooth' })}>
          {unseen} new message{unseen === 1 ? '' : 's'} ↓
        </button>
      )}
    </div>
  )
}
