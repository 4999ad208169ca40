import { useEffect, useRef, useState } from 'react'
import { loadEmoji, searchEmoji, type Gemoji } from '../emoji'

/**
 * A picker's contents: a search field over every emoji by name, tag or description (emoji.ts;
 * Enter takes the first), and the emoji to choose from: `defaults` while the field is empty, the
 * matches once something is typed. Each button is named `${verb} ${emoji}` (and the emoji's
 * description for a match). The field has the keyboard when the picker opens.
 */
export function EmojiChoices({ defaults, verb, onPick }: { defaults: readonly string[]; verb: string; onPick: (emoji: string) => void }) {
  const [query, setQuery] = useState('')
  const [all, setAll] = useState<readonly Gemoji[]>([])
  const field = useRef<HTMLInputElement>(null)
  useEffect(() => {
    field.current?.focus()
    let live = true
    loadEmoji().then((data) => { if (live) setAll(data) }, () => undefined)
    return () => { live = false }
  }, [])
  // What the picker offers before a search (recent and common) comes first among equal matches too.
  const found = query.trim() === '' ? null : searchEmoji(all, query, 40, defaults)
  const choices = found === null ? defaults.map((emoji) => ({ emoji, name: emoji })) : found.map((e) => ({ emoji: e.emoji, name: `${e.emoji} ${e.description}` }))
  return (
    <>
      {/* A plain text field: in a search field the first Escape only clears it, and Escape should close the picker. */}
      <input
        ref={field}
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
            onPick(choices[0].emoji)
          }
        }}
      />
      {found !== null && found.length === 0 && <p className="hint" role="status">{all.length === 0 ? 'Loading…' : 'No emoji by that name.'}</p>}
      {choices.map((c) => (
        <button key={c.emoji} type="button" className="icon small" aria-label={`${verb} ${c.name}`} title={c.name} onClick={() => onPick(c.emoji)}>{c.emoji}</button>
      ))}
    </>
  )
}
