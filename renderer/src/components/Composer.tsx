import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { MAX_MESSAGE_BYTES } from '../../../preload/contract'
import { byteLength, kib } from '../format'

/** Enter sends, Shift+Enter breaks the line; the 64 KiB limit shows before sending. */
/** `label` names where the text goes: `#room` by default, `@name` in a direct conversation. */
export function Composer({ room, label = `#${room}`, disabled, onSend }: { room: string; label?: string; disabled: boolean; onSend: (text: string) => void }) {
  const [text, setText] = useState('')
  const ref = useRef<HTMLTextAreaElement>(null)
  const bytes = byteLength(text)
  const over = bytes > MAX_MESSAGE_BYTES
  const near = bytes > MAX_MESSAGE_BYTES * 0.8
  const canSend = !disabled && !over && text.trim() !== ''

  useLayoutEffect(() => {
    const el = ref.current
    if (el === null) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`
  }, [text])

  function send(): void {
    if (!canSend) return
    onSend(text)
    setText('')
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>): void {
    // While an IME is composing, Enter confirms the composition, not the message.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }

  return (
    <div className="composer">
      <div className={`composer-box${over ? ' over' : ''}`}>
        <textarea
          ref={ref}
          rows={1}
          value={text}
          aria-label={`Message ${label}`}
          placeholder={disabled ? 'Waiting for the chat engine…' : `Message ${label}`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
        />
        <button className="send primary" aria-label="Send" disabled={!canSend} onClick={send}>➤</button>
      </div>
      <div className="composer-hints small">
        <span className="muted">Enter to send · Shift+Enter for a new line</span>
        <span className={over ? 'error' : near ? 'warn' : 'muted'} data-testid="size">
          {over ? `${bytes.toLocaleString('en')} bytes — over the 64 KiB limit by ${(bytes - MAX_MESSAGE_BYTES).toLocaleString('en')}` : `${kib(bytes)} / 64 KiB`}
        </span>
      </div>
    </div>
  )
}
