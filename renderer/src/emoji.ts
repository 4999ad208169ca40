/**
 * Emoji by name, as Slack, GitHub and Discord have them: ":tada" in the
 * message box offers 🎉, ":tada:" typed whole becomes 🎉, and the picker
 * searches every emoji. Names, tags and descriptions are GitHub's (gemoji),
 * loaded on first use into a chunk of their own.
 *
 *   const all = await loadEmoji()
 *   searchEmoji(all, 'thumb')                 // [{ emoji: '👍', names: ['+1', 'thumbsup'], … }, …]
 *   shortcodeAt('see you :ta', 11)            // { start: 8, query: 'ta' }
 *   closedShortcode(all, 'yes :tada:', 10)    // { start: 4, end: 10, emoji: '🎉' }
 */
import type { Gemoji } from 'gemoji'

export type { Gemoji }

let loading: Promise<readonly Gemoji[]> | undefined

/** Every emoji with its names; the data is fetched from the app's own files once. */
export function loadEmoji(): Promise<readonly Gemoji[]> {
  loading ??= import('gemoji').then((m) => m.gemoji)
  return loading
}

/** What a name may hold: GitHub's names are lowercase letters, digits, _, + and -. */
const NAME = /^[a-z0-9_+-]+$/
/** A colon that starts a name: at the start or after a space or an opening bracket (so "12:30" and "http://" do not). */
const STARTS = /(^|[\s([{])$/

/** The ":name" being typed just before `caret` (at least two characters of it), if any. */
export function shortcodeAt(text: string, caret: number): { start: number; query: string } | undefined {
  const before = text.slice(0, caret)
  const colon = before.lastIndexOf(':')
  if (colon < 0) return undefined
  const query = before.slice(colon + 1).toLowerCase()
  if (query.length < 2 || !NAME.test(query) || !STARTS.test(before.slice(0, colon))) return undefined
  return { start: colon, query }
}

/** A whole ":name:" just typed before `caret` that names an emoji: what to put in its place. */
export function closedShortcode(all: readonly Gemoji[], text: string, caret: number): { start: number; end: number; emoji: string } | undefined {
  if (text[caret - 1] !== ':') return undefined
  const open = shortcodeAt(text, caret - 1)
  if (open === undefined) return undefined
  const found = all.find((e) => e.names.includes(open.query))
  return found === undefined ? undefined : { start: open.start, end: caret, emoji: found.emoji }
}

/**
 * The emoji that match `query`, best first: a name that is the query, a name that starts with it,
 * a name with a part that starts with it ("up" in "thumbsup" does not count, "up" in "arrow_up"
 * does), then tags and the description by word. Within a rank, `favourites` first, in their order
 * (one's recent emoji, then the common ones: ":ta" offers 🎉 before 🍊), then the data's order
 * (Unicode's, by category).
 */
export function searchEmoji(all: readonly Gemoji[], query: string, limit = 8, favourites: readonly string[] = []): Gemoji[] {
  const q = query.trim().toLowerCase().replace(/^:|:$/g, '')
  if (q === '') return []
  const rank = (e: Gemoji): number => {
    if (e.names.includes(q)) return 0
    if (e.names.some((n) => n.startsWith(q))) return 1
    if (e.names.some((n) => n.split(/[_-]/).some((part) => part.startsWith(q)))) return 2
    if (e.tags.some((t) => t.startsWith(q))) return 3
    if (e.description.toLowerCase().split(/[\s-]+/).some((w) => w.startsWith(q))) return 4
    return 5
  }
  const ranked: Array<[number, number, Gemoji]> = []
  all.forEach((e, i) => {
    const r = rank(e)
    const favourite = favourites.indexOf(e.emoji)
    if (r < 5) ranked.push([r, favourite < 0 ? favourites.length + i : favourite, e])
  })
  return ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, limit).map(([, , e]) => e)
}
