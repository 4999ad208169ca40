/**
 * @mentions: whether a message names someone, and the autocomplete's view of
 * the word being typed. Names may hold spaces ("Ann Lee"), so a mention is
 * "@" followed by a known name, matched without regard to case, and not
 * followed by more of a word. Pure: the renderer reaches it through the IPC
 * contract, Electron's main uses it to notify.
 *
 * @example
 * ```ts
 * mentions('hi @bob!', 'Bob')                  // true
 * mentions('mail bob@example.com', 'example')  // false
 * mentionAt('hey @bo', 7)                      // { start: 4, query: 'bo' }
 * complete('hey @bo', { start: 4, query: 'bo' }, 7, '@Bob ') // { text: 'hey @Bob ', caret: 9 }
 * ```
 */

/** A character that continues a word (so "@bobby" does not mention "bob"). */
const WORD = /[\p{L}\p{N}_-]/u

const fold = (s: string): string => s.normalize('NFKC').toLowerCase()

/** Where "@name" mentions occur in `text` (start of the "@", end after the name). */
export function findMentions (text: string, name: string): Array<{ start: number, end: number }> {
  const found: Array<{ start: number, end: number }> = []
  const wanted = fold(name.trim())
  if (wanted === '') return found
  const folded = fold(text)
  // Folding may change lengths (rare ligatures); then only the simple path is safe.
  if (folded.length !== text.length) return text.toLowerCase().includes(`@${wanted}`) ? [{ start: 0, end: 0 }] : []
  let at = folded.indexOf('@')
  while (at !== -1) {
    const before = at === 0 ? '' : text[at - 1]!
    const end = at + 1 + wanted.length
    if (!WORD.test(before) && folded.startsWith(wanted, at + 1) && (end >= text.length || !WORD.test(text[end]!))) found.push({ start: at, end })
    at = folded.indexOf('@', at + 1)
  }
  return found
}

/** Whether `text` mentions `name`. */
export function mentions (text: string, name: string): boolean {
  return findMentions(text, name).length > 0
}

/**
 * "@everyone" and "@here": a word to everyone in the room, as in Slack. It is marked and counted
 * like a mention of you, but unlike your name it does not get through a room you muted.
 */
export const EVERYONE = ['everyone', 'here'] as const

/** Where `text` says "@everyone" or "@here". */
export function findEveryone (text: string): Array<{ start: number, end: number }> {
  return EVERYONE.flatMap(word => findMentions(text, word)).sort((a, b) => a.start - b.start)
}

/** Whether `text` speaks to everyone in its room. */
export function mentionsEveryone (text: string): boolean {
  return findEveryone(text).length > 0
}

/**
 * Whom a message calls on, for a reader named `name` in a room `muted` or not: 'you' (the name
 * gets through a mute), 'everyone' (only where the room is not muted), or undefined. The one rule
 * behind the window's mention counts and main's notifications.
 */
export function mentionOf (text: string, name: string, muted: boolean): 'you' | 'everyone' | undefined {
  if (name.trim() !== '' && mentions(text, name)) return 'you'
  return !muted && mentionsEveryone(text) ? 'everyone' : undefined
}

/** The "@word" being typed right before the caret, if any: where its "@" is and what follows it. */
export function mentionAt (text: string, caret: number): { start: number, query: string } | undefined {
  const head = text.slice(0, caret)
  const m = /(^|[^\p{L}\p{N}_@-])@([^\s@]{0,32})$/u.exec(head)
  if (m === null) return undefined
  return { start: caret - m[2]!.length - 1, query: m[2]! }
}

/** Known names that start with (then contain) `query`, without regard to case; at most `limit`. */
export function matchNames (names: readonly string[], query: string, limit = 8): string[] {
  const q = fold(query)
  const unique = [...new Set(names.filter(n => n.trim() !== ''))]
  const starts = unique.filter(n => fold(n).startsWith(q))
  const contains = unique.filter(n => !fold(n).startsWith(q) && fold(n).includes(q))
  return [...starts.sort((a, b) => a.localeCompare(b)), ...contains.sort((a, b) => a.localeCompare(b))].slice(0, limit)
}

/** Replace what is being typed from `at.start` to the caret ("@bo", ":ta") with `inserted`, and where the caret goes. */
export function complete (text: string, at: { start: number, query: string }, caret: number, inserted: string): { text: string, caret: number } {
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length }
}
