import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react'
import { MAX_MESSAGE_BYTES, previewText, type MessageView } from '../../../preload/contract'
import { call } from '../api'
import { changeAndPlaceCaret } from '../caret'
import { isDmRoom } from '../store'
import { byteLength, kib } from '../format'
import { formatBytes, useUploads } from '../files'
import type { Attachment } from '../attachments'
import { ComposerEmoji } from './ComposerEmoji'
import { useEmojiComplete, useMentionComplete } from './Mentions'
import { noteRecent } from './MessageTools'
import { closedShortcode, loadEmoji, type Gemoji } from '../emoji'
import { SendIcon } from './icons'

/** A pause in typing before a draft is written; clearing one (sending it) is written at once. */
const DRAFT_SAVE_MS = 600

/**
 * Keep public rooms' drafts in the settings: each change a moment after the typing stops, a
 * cleared draft at once (a message just sent must not come back as a draft after a restart),
 * and whatever is still waiting when the window goes.
 */
function useSavedDrafts(drafts: ReadonlyMap<string, string>, saved: Readonly<Record<string, string>> | undefined): void {
  const stored = useRef<Map<string, string>>(new Map(Object.entries(saved ?? {})))
  const latest = useRef(drafts)
  latest.current = drafts
  const flush = useCallback((only: 'clears' | 'all') => {
    const rooms = new Set([...latest.current.keys(), ...stored.current.keys()])
    for (const room of rooms) {
      const text = latest.current.get(room) ?? ''
      if (isDmRoom(room) || (stored.current.get(room) ?? '') === text || byteLength(text) > MAX_MESSAGE_BYTES) continue
      if (only === 'clears' && text !== '') continue
      if (text === '') stored.current.delete(room)
      else stored.current.set(room, text)
      call('saveDraft', { room, text }).catch(() => undefined)
    }
  }, [])
  useEffect(() => {
    flush('clears')
    const timer = window.setTimeout(() => flush('all'), DRAFT_SAVE_MS)
    return () => window.clearTimeout(timer)
  }, [drafts, flush])
  useEffect(() => {
    const going = (): void => flush('all')
    window.addEventListener('pagehide', going)
    return () => {
      window.removeEventListener('pagehide', going)
      going()
    }
  }, [flush])
}

/**
 * Enter sends, Shift+Enter breaks the line; the 64 KiB limit shows before
 * sending. The paperclip, a pasted image or a file dropped on the
 * conversation attach files (`onFiles`): they show above the box, each
 * with ✕, and go with the next Enter or Send, the text typed as the first
 * one's caption (`onSendFiles`), as chat apps send an attachment with its
 * message; uploads in progress show under the box. `label`
 * names where the text goes: `#room` by default, `@name` in a direct conversation, an invite-only room's name.
 * Up in the empty box edits one's last message (`onEditLast`).
 * Each conversation keeps its own draft: what was typed to one person never
 * follows the user into another conversation, where Enter would send it.
 * A public room's draft is also kept across restarts (`saved`, written a
 * moment after typing pauses); a DM's or invite-only room's stays in memory,
 * as their text is never on disk unsealed.
 */
export function Composer({ room, label = `#${room}`, disabled, onSend, onFiles, attached = [], onDetach, onSendFiles, replyTo = null, onCancelReply, onTyping, names = [], onEditLast, saved, warnBefore, spellcheck = true }: {
  room: string
  /** Underline misspelt words (Settings → Check spelling). */
  spellcheck?: boolean
  /** Drafts kept from the last run (public rooms), read once when the box is first shown. */
  saved?: Readonly<Record<string, string>>
  label?: string
  disabled: boolean
  onSend: (text: string) => void
  /** Attach files to the message being written. */
  onFiles: (files: File[]) => void
  /** The files attached to it so far (this conversation's), some perhaps kept from the last run. */
  attached?: readonly Attachment[]
  /** Take the attached file at this index off. */
  onDetach?: (index: number) => void
  /** Send the attached files, with this text (possibly empty) as the caption. */
  onSendFiles?: (caption: string) => void
  /** The message the next one answers (shown above the box, Escape drops it). */
  replyTo?: MessageView | null
  onCancelReply?: () => void
  /** The user typed something (the peers' "typing…"; throttled by the caller). */
  onTyping?: () => void
  /** Names the @-autocomplete offers. */
  names?: readonly string[]
  /** Up in the empty box: edit one's last message; true when there was one to edit. */
  onEditLast?: () => boolean
  /** Why sending this text here may be a mistake (asked before it goes), or null. */
  warnBefore?: (text: string) => string | null
}) {
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(() => new Map(Object.entries(saved ?? {})))
  useSavedDrafts(drafts, saved)
  const text = drafts.get(room) ?? ''
  const setText = useCallback((next: string) => {
    setDrafts((all) => {
      const changed = new Map(all)
      if (next === '') changed.delete(room)
      else changed.set(room, next)
      return changed
    })
  }, [room])
  const ref = useRef<HTMLTextAreaElement>(null)
  const picker = useRef<HTMLInputElement>(null)
  const uploads = useUploads()
  const mention = useMentionComplete(text, setText, ref, names)
  // Emoji by name (":tada"); their names load once, in the background, when the box is first shown.
  const [emojiData, setEmojiData] = useState<readonly Gemoji[]>([])
  useEffect(() => {
    let live = true
    loadEmoji().then((all) => { if (live) setEmojiData(all) }, () => undefined)
    return () => { live = false }
  }, [])
  const emoji = useEmojiComplete(text, setText, ref, emojiData)
  const suggest = mention.open ? mention : emoji
  const bytes = byteLength(text)
  const over = bytes > MAX_MESSAGE_BYTES
  const near = bytes > MAX_MESSAGE_BYTES * 0.8
  // One moved or deleted since it was attached stays on the box, saying so, and is not sent.
  const sendable = attached.filter((a) => a.gone === undefined).length
  const files = sendable > 0 && onSendFiles !== undefined
  const canSend = !disabled && !over && (text.trim() !== '' || files)

  // Opening a conversation puts the cursor at the end of its draft, as chat apps do; so does the
  // engine becoming ready, unless something else (a dialog) has the keyboard by then.
  const focusedFor = useRef<string | null>(null)
  useLayoutEffect(() => {
    const el = ref.current
    if (el === null || el.disabled || focusedFor.current === room) return
    const elsewhere = document.activeElement !== null && document.activeElement !== document.body
    if (focusedFor.current === null && elsewhere) return
    // Opened from the Network panel (the walkthrough's story opens #causal-demo): its keyboard user stays there, on Run step.
    if (document.activeElement?.closest('.netpanel') != null) {
      focusedFor.current = room
      return
    }
    focusedFor.current = room
    el.focus()
    el.setSelectionRange(el.value.length, el.value.length)
  }, [room, disabled])

  // Starting a reply puts the cursor in the box.
  useLayoutEffect(() => {
    if (replyTo !== null) ref.current?.focus()
  }, [replyTo])

  useLayoutEffect(() => {
    const el = ref.current
    if (el === null) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`
  }, [text])

  // A warning holds the text back until the user says to send it anyway; any change to it (or another room) drops the warning.
  const [warning, setWarning] = useState<{ room: string; text: string; why: string } | null>(null)
  const warned = warning !== null && warning.room === room && warning.text === text ? warning.why : null

  // What was just attached is sent by Enter: the box takes the keyboard.
  const count = attached.length
  const lastCount = useRef(count)
  useEffect(() => {
    if (count > lastCount.current) ref.current?.focus()
    lastCount.current = count
  }, [count])

  function send(anyway = false): void {
    if (!canSend) return
    const why = anyway || text.trim() === '' ? null : warnBefore?.(text) ?? null
    if (why !== null) {
      setWarning({ room, text, why })
      return
    }
    setWarning(null)
    if (files && onSendFiles !== undefined) onSendFiles(text)
    else onSend(text)
    setText('')
  }

  /** Put `piece` where the cursor is (over any selection) and give the box the keyboard back. */
  function insertAtCursor(piece: string): void {
    const el = ref.current
    const start = el?.selectionStart ?? text.length
    const end = el?.selectionEnd ?? text.length
    changeAndPlaceCaret(el, () => { setText(text.slice(0, start) + piece + text.slice(end)) }, start + piece.length)
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>): void {
    const files = [...e.clipboardData.files]
    if (files.length === 0 || disabled) return
    e.preventDefault()
    onFiles(files)
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>): void {
    if (mention.onKeyDown(e) || emoji.onKeyDown(e)) return
    // While an IME is composing, Enter confirms the composition, not the message.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    } else if (e.key === 'ArrowUp' && text === '' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      if (onEditLast?.() === true) e.preventDefault()
    } else if (e.key === 'Escape' && replyTo !== null) {
      e.preventDefault()
      onCancelReply?.()
    }
  }

  return (
    <div className="composer">
      {replyTo !== null && (
        <div className="replying small" data-testid="replying">
          <span>Replying to <b>{replyTo.name}</b>: {replyTo.deleted === true ? 'message deleted' : previewText(replyTo.text)}</span>
          <button className="icon small" aria-label="Cancel the reply" title="Cancel the reply (Escape)" onClick={onCancelReply}>✕</button>
        </div>
      )}
      {warned !== null && (
        <div className="composer-warning small" role="alert">
          <span>{warned}</span>
          <span className="composer-warning-actions">
            <button type="button" onClick={() => { setWarning(null); ref.current?.focus() }}>Cancel</button>
            <button type="button" className="primary" onClick={() => send(true)}>Send anyway</button>
          </span>
        </div>
      )}
      {mention.popup ?? emoji.popup}
      {attached.length > 0 && (
        <ul className="attachments" aria-label="Attached files">
          {attached.map((f, i) => {
            const name = f.label
            return (
              <li className={`attachment small${f.gone !== undefined ? ' gone' : ''}`} key={f.key} data-testid="attachment" data-gone={f.gone !== undefined ? 'true' : undefined}
                title={f.unkept} aria-describedby={f.unkept !== undefined ? `unkept-${f.key}` : undefined}>
                {f.thumbnail !== undefined && <img className="attachment-thumbnail" src={f.thumbnail} alt="" data-testid="attachment-thumbnail" />}
                <span className="attachment-name" title={name}>{name}</span>
                <span className="muted">{formatBytes(f.size)}</span>
                {f.gone !== undefined && <span className="error" title={f.gone} data-testid="attachment-gone">{' '}not sent: {f.gone}</span>}
                {/* Not kept across a restart (a DM's or an invite-only room's, too large, no room left): said on the chip, its reason in the tooltip and to a screen reader. */}
                {f.unkept !== undefined && <span className="muted" aria-hidden="true" data-testid="attachment-unkept">this window only</span>}
                {f.unkept !== undefined && <span className="visually-hidden" id={`unkept-${f.key}`}>{f.unkept}</span>}
                <button className="icon small" aria-label={`Remove ${name}`} title={`Remove ${name}`} onClick={() => { onDetach?.(i); ref.current?.focus() }}>✕</button>
              </li>
            )
          })}
        </ul>
      )}
      <div className={`composer-box${over ? ' over' : ''}`}>
        <textarea
          ref={ref}
          rows={1}
          dir="auto"
          value={text}
          spellCheck={spellcheck}
          aria-label={`Message ${label}`}
          placeholder={disabled ? 'Waiting for the chat engine…' : sendable > 0 ? `Add a message, or press Enter to send ${sendable === 1 ? 'the file' : `the ${sendable} files`}` : `Message ${label}`}
          {...suggest.inputProps}
          onSelect={(e) => { mention.track(e.currentTarget); emoji.track(e.currentTarget) }}
          onChange={(e) => {
            const box = e.target
            mention.track(box)
            emoji.track(box)
            // ":tada:" typed whole becomes 🎉, as in Slack.
            const caret = box.selectionStart ?? box.value.length
            const closed = closedShortcode(emojiData, box.value, caret)
            if (closed !== undefined) {
              noteRecent(closed.emoji)
              const next = box.value.slice(0, closed.start) + closed.emoji + box.value.slice(closed.end)
              changeAndPlaceCaret(box, () => setText(next), closed.start + closed.emoji.length)
            } else {
              setText(box.value)
            }
            if (box.value.trim() !== '') onTyping?.()
          }}
          onKeyDown={onKey}
          onPaste={onPaste}
        />
        <ComposerEmoji disabled={disabled} insert={insertAtCursor} />
        <button className="attach" aria-label="Attach a file" title="Attach a file" disabled={disabled} onClick={() => picker.current?.click()}>
          <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
            <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
          </svg>
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            if (files.length > 0) onFiles(files)
          }}
        />
        <button className="send primary" aria-label="Send" disabled={!canSend} onClick={() => send()}><SendIcon /></button>
      </div>
      {uploads.map((u) => (
        <div className="upload small" key={u.key} data-testid="upload">
          {/* Said once by a screen reader; the figures, which change with every piece sent, outside what it announces. */}
          <span role="status">Sending {u.name}</span>: {formatBytes(u.sent)} of {formatBytes(u.size)}
          <progress max={Math.max(1, u.size)} value={u.sent} aria-label={`Sending ${u.name}`} />
        </div>
      ))}
      <div className="composer-hints small">
        <span className="muted">Enter to send · Shift+Enter for a new line</span>
        <span className={over ? 'error' : near ? 'warn' : 'muted'} data-testid="size">
          {over ? `${bytes.toLocaleString('en')} bytes — over the 64 KiB limit by ${(bytes - MAX_MESSAGE_BYTES).toLocaleString('en')}` : `${kib(bytes)} / 64 KiB`}
        </span>
      </div>
    </div>
  )
}
