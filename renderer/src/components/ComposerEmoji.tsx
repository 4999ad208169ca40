import { useState } from 'react'
import { COMMON_EMOJI, noteRecent, recentEmoji } from './MessageTools'
import { EmojiChoices } from './EmojiChoices'

/** More faces and things than a reaction needs: what people type most. */
const MORE = ['😀', '😊', '😉', '😎', '🤔', '😅', '🙂', '😍', '🤝', '👋', '👏', '💪', '🔥', '✅', '❌', '⭐', '☕', '🍕', '🚀', '💡']

/**
 * The composer's emoji button: a small picker (the recently used first, then
 * the common ones) that puts the chosen emoji where the cursor is, and a
 * search over every emoji by name ("party" finds 🎉; Enter takes the first).
 * Escape or a choice closes it and gives the keyboard back to the message box.
 */
export function ComposerEmoji({ disabled, insert }: { disabled: boolean; insert: (emoji: string) => void }) {
  const [open, setOpen] = useState(false)
  const pick = (emoji: string): void => {
    noteRecent(emoji)
    setOpen(false)
    insert(emoji)
  }
  return (
    <>
      <button className="attach" aria-label="Insert an emoji" aria-expanded={open} title="Insert an emoji" disabled={disabled} onClick={() => setOpen(!open)}>😊</button>
      {open && (
        <div className="emoji-picker composer-emoji" role="group" aria-label="Insert an emoji" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); insert('') } }}>
          <EmojiChoices defaults={[...new Set([...recentEmoji(), ...COMMON_EMOJI, ...MORE])]} verb="Insert" onPick={pick} />
        </div>
      )}
    </>
  )
}
