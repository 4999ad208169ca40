import { useEffect, useRef, useState } from 'react'
import { COMMON_EMOJI, noteRecent, recentEmoji } from './MessageTools'

/** More faces and things than a reaction needs: what people type most. */
const MORE = ['😀', '😊', '😉', '😎', '🤔', '😅', '🙂', '😍', '🤝', '👋', '👏', '💪', '🔥', '✅', '❌', '⭐', '☕', '🍕', '🚀', '💡']

/**
 * The composer's emoji button: a small picker (the recently used first, then
 * the common ones) that puts the chosen emoji where the cursor is. Escape or
 * a choice closes it and gives the keyboard back to the message box.
 */
export function ComposerEmoji({ disabled, insert }: { disabled: boolean; insert: (emoji: string) => void }) {
  const [open, setOpen] = useState(false)
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => { if (open) first.current?.focus() }, [open])
  const pick = (emoji: string): void => {
    noteRecent(emoji)
    setOpen(false)
    insert(emoji)
  }
  const choices = [...new Set([...recentEmoji(), ...COMMON_EMOJI, ...MORE])]
  return (
    <>
      <button className="attach" aria-label="Insert an emoji" aria-expanded={open} title="Insert an emoji" disabled={disabled} onClick={() => setOpen(!open)}>😊</button>
      {open && (
        <div className="emoji-picker composer-emoji" role="group" aria-label="Insert an emoji" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); insert('') } }}>
          {choices.map((emoji, i) => (
            <button key={emoji} ref={i === 0 ? first : undefined} className="icon small" aria-label={`Insert ${emoji}`} onClick={() => pick(emoji)}>{emoji}</button>
          ))}
        </div>
      )}
    </>
  )
}
