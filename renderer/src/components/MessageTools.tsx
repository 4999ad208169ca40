/**
 * What a message row offers besides its text: the hover actions (React, Edit
 * and Delete on one's own, Pin, Save, Copy text), the emoji picker, the inline edit box,
 * the "(edited)" mark with the earlier versions, and the reaction chips. Each
 * change goes to the engine; the row redraws from the `message:updated`
 * event every peer gets. Only a chip shows its click at once (see ReactionChips).
 */
import { useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { revealOverrides, type MessageVersion, type MessageView } from '../../../preload/contract'
import { call, describe } from '../api'
import { Actions, Names } from '../reply'
import { Blocked } from './People'
import { EmojiChoices } from './EmojiChoices'
import { CopiedIcon, CopyIcon, DeleteIcon, EditIcon, ForwardIcon, PinIcon, ReactIcon, ReplyIcon, SaveIcon, UnpinIcon, UnsaveIcon } from './icons'
import { SavedIds } from '../saved'
import { useDownload } from '../files'
import { COPY_WORDS, useCopy } from '../copy'
import { shortId } from '../format'

/** The common emoji the picker always offers. */
export const COMMON_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀']
const RECENT_KEY = 'lanchat.recentEmoji'

export function recentEmoji(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string' && !COMMON_EMOJI.includes(e)).slice(0, 8) : []
  } catch {
    return []
  }
}

export function noteRecent(emoji: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([emoji, ...recentEmoji().filter((e) => e !== emoji)].slice(0, 8)))
  } catch {
    // No storage (a private window): the picker shows the common ones only.
  }
}

export async function react(m: MessageView, emoji: string, on: boolean): Promise<void> {
  if (on) noteRecent(emoji)
  await call('react', { id: m.id, emoji, on })
}

/** The row's own state: which tool is open, and the last failure to show. */
export type Tool = null | 'react' | 'edit' | 'delete'

/** The hover actions: Reply, React, Edit and Delete (own messages), Forward…, Pin or Unpin, Save or Unsave, Copy text. */
export function MessageMenu({ m, own, tool, setTool }: { m: MessageView; own: boolean; tool: Tool; setTool: (t: Tool) => void }) {
  const actions = useContext(Actions)
  const { state: copied, copy } = useCopy()
  const download = useDownload(m)
  const saved = useContext(SavedIds).has(m.id)
  if (actions === null || m.deleted === true) return null
  // A file is forwarded from the copy on this computer (shared again): one's own, or downloaded (or fetched to be shown).
  const here = m.file === undefined || own || download?.state === 'done' || download?.state === 'held'
  // One's own message: "Reply to your message", not to oneself by name.
  const who = own ? 'your message' : m.name || 'this message'
  const copyWords = copied === 'idle' ? 'Copy text' : COPY_WORDS[copied]
  return (
    <span className="actions">
      {/* Where nothing written reaches anyone (removed from the private room) the engine would refuse each of these. */}
      {actions.closed !== true && <>
        <button className="icon small" aria-label={`Reply to ${who}`} title="Reply" onClick={() => actions.reply(m)}><ReplyIcon /></button>
        <button className="icon small" aria-label={`React to ${who}`} title="React" data-tool="react" aria-expanded={tool === 'react'} onClick={() => setTool(tool === 'react' ? null : 'react')}><ReactIcon /></button>
        {own && <button className="icon small" aria-label="Edit message" title="Edit" onClick={() => setTool('edit')}><EditIcon /></button>}
        {own && <button className="icon small" aria-label="Delete message" title="Delete" data-tool="delete" onClick={() => setTool('delete')}><DeleteIcon /></button>}
      </>}
      <button className="icon small" aria-label={here ? 'Forward…' : 'Forward… (download it first)'} title={here ? 'Forward…' : 'Download it first: a file is forwarded from the copy on this computer'} aria-disabled={!here} data-testid="forward" onClick={() => { if (here) actions.forward(m) }}><ForwardIcon /></button>
      {/* Anyone who writes here pins, for everyone here, as in Slack and Teams; the row then says who did. */}
      {actions.pin !== undefined && (m.pinned === undefined
        ? <button className="icon small" aria-label="Pin message" title="Pin to this conversation, for everyone" onClick={() => actions.pin?.(m, true)}><PinIcon /></button>
        : <button className="icon small" aria-label="Unpin message" title="Unpin, for everyone" onClick={() => actions.pin?.(m, false)}><UnpinIcon /></button>)}
      {/* For oneself alone, as Slack's Save and Teams' Save this message: it goes to Saved, nobody is told. */}
      {actions.save !== undefined && (saved
        ? <button className="icon small" aria-label="Unsave message" title="Saved: click to take it off your Saved list" data-testid="unsave" onClick={() => actions.save?.(m, false)}><UnsaveIcon /></button>
        : <button className="icon small" aria-label="Save message for later" title="Save for later: only you see your Saved list" data-testid="save" onClick={() => actions.save?.(m, true)}><SaveIcon /></button>)}
      <button className="icon small" aria-label={copyWords} title={copyWords} onClick={() => copy(m.text)}>{copied === 'copied' ? <CopiedIcon /> : <CopyIcon />}</button>
    </span>
  )
}

/** The reaction picker: the common ones, then the recently used, and a search over every emoji. */
export function EmojiPicker({ m, close, fail }: { m: MessageView; close: () => void; fail: (why: string) => void }) {
  const pick = (emoji: string): void => {
    close()
    react(m, emoji, true).catch((err: unknown) => fail(describe(err)))
  }
  return (
    // Escape closes the picker only (not the Network panel too).
    <div className="emoji-picker" role="group" aria-label="Pick a reaction" onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close() } }}>
      <EmojiChoices defaults={[...new Set([...COMMON_EMOJI, ...recentEmoji()])]} verb="React with" onPick={pick} />
    </div>
  )
}

/** The inline edit box: Enter saves, Shift+Enter a new line, Escape cancels. */
export function EditBox({ m, close, fail }: { m: MessageView; close: () => void; fail: (why: string) => void }) {
  const [text, setText] = useState(m.text)
  const box = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    box.current?.focus()
    box.current?.setSelectionRange(m.text.length, m.text.length)
  }, [m.text.length])
  const save = (): void => {
    if (text.trim() === '' || text === m.text) { close(); return }
    close()
    call('edit', { id: m.id, text }).catch((err: unknown) => fail(describe(err)))
  }
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); save() }
    if (e.key === 'Escape') { e.preventDefault(); close() }
  }
  return (
    <div className="edit-box">
      <textarea ref={box} aria-label="Edit message" value={text} rows={Math.min(8, text.split('\n').length)} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} />
      <span className="small muted">Enter to save, Escape to cancel</span>
    </div>
  )
}

/** Delete, once confirmed. */
export function ConfirmDelete({ m, close, fail }: { m: MessageView; close: (done?: boolean) => void; fail: (why: string) => void }) {
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => cancel.current?.focus(), [])
  return (
    <div className="confirm-delete" role="group" aria-label="Delete this message?" onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close() } }}>
      <span>Delete this message for everyone?</span>
      {/* Together, so that where the row is narrow they wrap as a pair; Cancel first, as in every other confirm of this app. */}
      <span className="confirm-actions">
        <button ref={cancel} className="small" onClick={() => close()}>Cancel</button>
        <button className="danger small" onClick={() => { close(true); call('delete', { id: m.id }).catch((err: unknown) => fail(describe(err))) }}>Delete</button>
      </span>
    </div>
  )
}

/** "(edited)": a click lists the earlier versions; while open, another edit's arrival adds the one it replaced. */
export function EditedMark({ m }: { m: MessageView }) {
  const [versions, setVersions] = useState<MessageVersion[] | null>(null)
  const [open, setOpen] = useState(false)
  useEffect(() => {
    if (!open) return
    // Only the newest answer is shown: one asked for before the last edit may come after it.
    let latest = true
    call('versions', { id: m.id }).then((v) => { if (latest) setVersions(v) }, () => { if (latest) setVersions([]) })
    return () => { latest = false }
  }, [open, m.id, m.text])
  const toggle = (): void => setOpen(!open)
  return (
    <>
      <button className="edited small" aria-expanded={open} title="Edited: show earlier versions" onClick={toggle}>(edited)</button>
      {open && (
        <ol className="versions small" aria-label="Earlier versions">
          {versions === null ? <li>Loading…</li> : versions.slice(0, -1).map((v) => <li key={v.id}>{revealOverrides(v.text)}</li>)}
        </ol>
      )}
    </>
  )
}

/**
 * The reactions under a message: each emoji with its count, who in the title; a click toggles ours.
 * Each click toggles what the chip shows at once, as Slack and Discord do, and asks for that: a quick
 * double click is on then off, not "on" twice (the engine ignores the second) leaving it on. What the
 * chip shows goes back to the engine's word once that agrees, or at once when a change failed.
 */
export function ReactionChips({ m, fail }: { m: MessageView; fail: (why: string) => void }) {
  const actions = useContext(Actions)
  const inert = actions === null || actions.closed === true
  const names = useContext(Names)
  const blocked = useContext(Blocked)
  // Ours as last clicked, by emoji, until the engine's view of the message says the same.
  const [wanted, setWanted] = useState<ReadonlyMap<string, boolean>>(new Map())
  const self = names?.self ?? ''
  useEffect(() => {
    // Nothing clicked, nothing to settle: no update (a list of hundreds of rows mounting at once would queue one each).
    if (wanted.size === 0) return
    const mine = new Set((m.reactions ?? []).filter((r) => r.by.includes(self)).map((r) => r.emoji))
    setWanted((w) => {
      const settled = [...w].filter(([emoji, on]) => mine.has(emoji) === on)
      if (settled.length === 0) return w
      const next = new Map(w)
      for (const [emoji] of settled) next.delete(emoji)
      return next
    })
  }, [m.reactions, self, wanted])
  const known = m.reactions ?? []
  // One taken off and put back before the engine answered keeps its chip (and its place) in between.
  const all = [...known, ...[...wanted].filter(([emoji, on]) => on && !known.some((r) => r.emoji === emoji)).map(([emoji]) => ({ emoji, by: [] as string[] }))]
  const reactions = all.map((r) => {
    // A blocked person's reactions are not counted, as their messages are folded.
    const by = r.by.filter((id) => !blocked.has(id))
    const mine = wanted.get(r.emoji) ?? by.includes(self)
    const shown = mine === by.includes(self) ? by : mine ? [...by, self] : by.filter((id) => id !== self)
    return { emoji: r.emoji, mine, by: shown, pending: wanted.has(r.emoji) }
    // One being taken off stays in place (at 0) until the engine answers, so a second click lands on it, not on the next chip.
  }).filter((r) => r.by.length > 0 || r.pending)
  // A chip pressed off goes once the engine agrees (the last of its kind): the keyboard, on it, would fall to
  // the page (Tab then starting over at the sidebar). It goes to the first chip left, else to the message's React.
  const had = useRef<{ chip: Element; row: Element | null } | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const count = reactions.length
  useEffect(() => {
    const held = had.current
    const now = document.activeElement
    if (held === null || held.chip.isConnected || (now !== null && now !== document.body)) return
    had.current = null
    const to = box.current?.querySelector<HTMLElement>('button') ?? held.row?.querySelector<HTMLElement>('.actions [data-tool="react"]')
    to?.focus({ preventScroll: true })
  }, [count])
  if (reactions.length === 0 || m.deleted === true) return null
  const toggle = (emoji: string, on: boolean): void => {
    setWanted((w) => new Map(w).set(emoji, on))
    react(m, emoji, on).catch((err: unknown) => {
      setWanted((w) => { const next = new Map(w); next.delete(emoji); return next })
      fail(describe(err))
    })
  }
  return (
    <div
      className="reactions"
      ref={box}
      onFocus={(e) => { had.current = { chip: e.target, row: e.currentTarget.closest('article') } }}
      onBlur={(e) => { if (e.relatedTarget !== null) had.current = null }}
    >
      {reactions.map((r) => {
        // You first, then the others as the engine lists them (by key): the same words whoever reacted in which order.
        const by = r.by.includes(self) ? [self, ...r.by.filter((id) => id !== self)] : r.by
        const who = by.map((id) => (id === self ? 'you' : names?.nameOf(id) || shortId(id))).join(', ')
        // Ours, the only one, taken off and not yet gone: no "0" and no empty list of names, but what is happening.
        const leaving = r.by.length === 0
        const words = leaving ? `${r.emoji}: taking yours off` : `${r.emoji} ${r.by.length}: ${who}`
        return (
          <button
            key={r.emoji}
            className={`chip small${r.mine ? ' mine' : ''}${leaving ? ' leaving' : ''}`}
            aria-pressed={r.mine}
            aria-label={words}
            title={leaving ? 'Taking yours off: click to keep it' : who}
            // Nothing to do (a room read without joining, a private room that removed us): not disabled, which would take the
            // chip out of the keyboard's way and with it who reacted, for the keyboard and a screen reader; a click does nothing.
            aria-disabled={inert ? true : undefined}
            onClick={() => { if (!inert) toggle(r.emoji, !r.mine) }}
          >
            {leaving ? r.emoji : `${r.emoji} ${r.by.length}`}
          </button>
        )
      })}
    </div>
  )
}
