import { useEffect, useRef, useState } from 'react'
import { COMMON_EMOJI, noteRecent, recentEmoji } from './MessageTools'
import { loadEmoji, searchEmoji, type Gemoji } from '../emoji'

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
  const [query, setQuery] = useState('')
  const [all, setAll] = useState<readonly Gemoji[]>([])
  const search = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (!open) return
    search.current?.focus()
    let live = true
    loadEmoji().then((data) => { if (live) setAll(data) }, () => undefined)
    return () => { live = false }
  }, [open])
  const pick = (emoji: string): void => {
    noteRecent(emoji)
    setOpen(false)
    setQuery('')
    insert(emoji)
  }
  const found = query.trim() === '' ? null : searchEmoji(all, query, 40)
  const choices = found === null ? [...new Set([...recentEmoji(), ...COMMON_EMOJI, ...MORE])].map((emoji) => ({ emoji, name: emoji })) : found.map((e) => ({ emoji: e.emoji, name: `${e.emoji} ${e.description}` }))
  return (
    <>
      <button className="attach" aria-label="Insert an emoji" aria-expanded={open} title="Insert an emoji" disabled={disabled} onClick={() => { setOpen(!open); setQuery('') }}>😊</button>
      {open && (
        <div className="emoji-picker composer-emoji" role="group" aria-label="Insert an emoji" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); setQuery(''); insert('') } }}>
          {/* A plain text field: in a search field the first Escape only clears it, and Escape should close the picker. */}
          <input
            ref={search}
            type="text"
            className="emoji-search"
            aria-label="Search emoji"
            placeholder="Search emoji"
            spellCheck={false}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && choices[0] !== undefined) {
                e.preventDefault()
                pick(choices[0].emoji)
              }
            }}
          />
          {found !== null && found.length === 0 && <p className="hint" role="status">{all.length === 0 ? 'Loading…' : 'No emoji by that name.'}</p>}
          {choices.map((c) => (
            <button key={c.emoji} className="icon small" aria-label={`Insert ${c.name}`} title={c.name} onClick={() => pick(c.emoji)}>{c.emoji}</button>
          ))}
        </div>
      )}
    </>
  )
}
