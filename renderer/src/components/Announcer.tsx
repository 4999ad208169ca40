import { useEffect, useRef, useState } from 'react'
import { previewText, type AppEvent } from '../../../preload/contract'
import { bridge } from '../api'

/** What arrives within this long is said together. */
const GATHER_MS = 600
/** More than this at once (catch-up after a reconnect, a burst) is said as a count. */
const SAID_ONE_BY_ONE = 3
/** The lines kept in the log (the newest are what a screen reader says). */
const KEPT = 5

/**
 * Says to screen readers what others write while it happens: a message in the conversation on
 * screen ("Bob: see you at 3"), a direct message in another one ("Direct message from Bob: …").
 * The message list itself is not a live region (it is virtualized, and a live list would read
 * every row it draws on scrolling), so without this a new message went unsaid. A burst, such as
 * catch-up after a reconnect, is said as a count, not read out message by message.
 */
export function Announcer({ active, self, blocked }: { active: string; self: string; blocked: ReadonlySet<string> }) {
  const [lines, setLines] = useState<Array<{ n: number; text: string }>>([])
  const here = useRef({ active, self, blocked })
  here.current = { active, self, blocked }
  useEffect(() => {
    let n = 0
    let gathered: Array<{ text: string; dm: boolean }> = []
    let timer: ReturnType<typeof setTimeout> | undefined
    const say = (): void => {
      timer = undefined
      const batch = gathered
      gathered = []
      const said = batch.length <= SAID_ONE_BY_ONE
        ? batch.map((b) => b.text)
        : [`${batch.length} new messages${batch.every((b) => b.dm) ? ', direct' : ''}`]
      setLines((all) => [...all, ...said.map((text) => ({ n: ++n, text }))].slice(-KEPT))
    }
    const off = bridge().onEvent((event: AppEvent) => {
      if (event.type !== 'message') return
      const { active: open, self: me, blocked: hidden } = here.current
      if (event.author === me || hidden.has(event.author) || event.note !== undefined || event.deleted === true) return
      const dm = event.room.startsWith('dm:')
      if (event.room !== open && !dm) return
      const who = event.name || 'Someone'
      const words = previewText(event.text)
      gathered.push({ dm: event.room !== open, text: event.room === open ? `${who}: ${words}` : `Direct message from ${who}: ${words}` })
      timer ??= setTimeout(say, GATHER_MS)
    })
    return () => {
      off()
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [])
  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-label="New messages" data-testid="announcer">
      {lines.map((l) => <p key={l.n}>{l.text}</p>)}
    </div>
  )
}
