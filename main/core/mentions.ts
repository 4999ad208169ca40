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

/** A name or a piece of text as mentions compare them: compatibility-composed, lower case, a Turkish İ as i. */
const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/i\u0307/g, 'i')

/** A letter with the marks that follow it: folded as one, so a decomposed "é" (e + U+0301) meets a composed one. */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu

/**
 * `text` folded, with where each folded character came from: a name is found in what people see
 * (composed or decomposed, İ or i), and the mark is put on the text as it was typed.
 */
function folded (text: string): { folded: string, from: number[], to: number[] } {
  let out = ''
  const from: number[] = []
  const to: number[] = []
  for (const m of text.matchAll(CLUSTER)) {
    const f = fold(m[0])
    for (let i = 0; i < f.length; i++) { from.push(m.index); to.push(m.index + m[0].length) }
    out += f
  }
  return { folded: out, from, to }
}

/** A name as typed, for telling apart two names that differ only in case ("anna" and "Anna"). */
const spelling = (s: string): string => s.trim().normalize('NFC')

/**
 * Whether the mention of a name folding to `wanted` at `at` (the "@" in the folded text) is spelled
 * exactly as one of `twins` (other names that fold as it does) and not as `name`: then it is theirs.
 * Spelled as neither ("@ANNA" with "anna" and "Anna" known), it is both's, as before.
 */
function spelledAsTwin (text: string, from: number[], to: number[], at: number, wantedLength: number, name: string, twins: readonly string[]): boolean {
  if (twins.length === 0) return false
  const typed = text.slice(from[at + 1], to[at + wantedLength]).normalize('NFC')
  return typed !== spelling(name) && twins.some(t => spelling(t) === typed)
}

/**
 * Where "@name" mentions occur in `text` (start of the "@", end after the name). `others`: the
 * other names known here; where a longer one of them starts at the same "@" ("@Anna K." for
 * "Anna"), the mention is of that one, not of `name`; where one differs from `name` only in case
 * ("anna" and "Anna"), a mention spelled exactly as it is is its own.
 */
export function findMentions (text: string, name: string, others: readonly string[] = []): Array<{ start: number, end: number }> {
  const found: Array<{ start: number, end: number }> = []
  const wanted = fold(name.trim())
  if (wanted === '') return found
  const { folded: f, from, to } = folded(text)
  const mentionedAt = (at: number, n: string): boolean => {
    const end = at + 1 + n.length
    return f.startsWith(n, at + 1) && (end >= f.length || !WORD.test(f[end]!))
  }
  // Only the longer names that begin with ours can take a mention of ours from it.
  const longer = others.map(o => fold(o.trim())).filter(o => o.length > wanted.length && o.startsWith(wanted))
  const twins = others.filter(o => fold(o.trim()) === wanted && spelling(o) !== spelling(name))
  let at = f.indexOf('@')
  while (at !== -1) {
    const before = at === 0 ? '' : f[at - 1]!
    if (!WORD.test(before) && mentionedAt(at, wanted) && !longer.some(o => mentionedAt(at, o)) &&
      !spelledAsTwin(text, from, to, at, wanted.length, name, twins)) found.push({ start: from[at]!, end: to[at + wanted.length]! })
    at = f.indexOf('@', at + 1)
  }
  return found
}

/** Whether `text` mentions `name` (and not, at that "@", a longer name of `others`). */
export function mentions (text: string, name: string, others: readonly string[] = []): boolean {
  return findMentions(text, name, others).length > 0
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
 * Whom a message calls on, for a reader named `name` in a room `muted` or not, among `others`
 * (the other names known, so "@Anna K." is not a call on Anna): 'you' (the name gets through a mute), 'everyone' (only where the room is not muted), or undefined. The one rule
 * behind the window's mention counts and main's notifications.
 */
export function mentionOf (text: string, name: string, muted: boolean, others: readonly string[] = []): 'you' | 'everyone' | undefined {
  if (name.trim() !== '' && mentions(text, name, others)) return 'you'
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

/** A stretch of text the window marks as a mention: `you` for ourselves, "@everyone" and "@here". */
export interface MentionMark { start: number, end: number, you: boolean }

/**
 * Where the window marks mentions in `text`: of `me`, "@everyone" and "@here" (`you`), and of
 * each of `others` apart; in order, none overlapping, the longer one where two names start at one
 * "@" ("@Bob" and "@Bob Smith"), ours where a name is both.
 *
 * The text is folded once however many names there are: folding it once per name, a window that
 * knew 300 names (every message may carry a name of its own) took seconds to show one 64 KiB
 * message full of "@"s, and as long again each time a new name arrived.
 */
export function mentionMarks (text: string, me: string, others: readonly string[]): MentionMark[] {
  if (!text.includes('@')) return []
  const names = [me, ...EVERYONE, ...others.filter(n => n !== me)]
  const mine = 1 + EVERYONE.length
  const { folded: f, from, to } = folded(text)
  // Names by their first folded character: at each "@" only those that can start there are tried.
  const byFirst = new Map<string, Array<{ name: string, you: boolean }>>()
  const seen = new Set<string>()
  names.forEach((n, i) => {
    const name = fold(n.trim())
    const you = i < mine
    if (name === '' || seen.has(`${you ? 1 : 0}${name}`)) return
    seen.add(`${you ? 1 : 0}${name}`)
    const list = byFirst.get(name[0]!) ?? []
    list.push({ name, you })
    byFirst.set(name[0]!, list)
  })
  // Names that differ from ours only in case: a mention spelled exactly as one of them is theirs.
  const ours = fold(me.trim())
  const twins = others.filter(o => ours !== '' && fold(o.trim()) === ours && spelling(o) !== spelling(me))
  const found: MentionMark[] = []
  for (let at = f.indexOf('@'); at !== -1; at = f.indexOf('@', at + 1)) {
    if (at > 0 && WORD.test(f[at - 1]!)) continue
    for (const { name, you } of byFirst.get(f[at + 1] ?? '') ?? []) {
      const end = at + 1 + name.length
      if (!f.startsWith(name, at + 1) || (end < f.length && WORD.test(f[end]!))) continue
      const theirs = you && name === ours && spelledAsTwin(text, from, to, at, name.length, me, twins)
      found.push({ start: from[at]!, end: to[at + name.length]!, you: you && !theirs })
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || Number(b.you) - Number(a.you))
  const marks: MentionMark[] = []
  let at = 0
  for (const m of found) {
    if (m.start < at || m.end <= m.start) continue
    marks.push(m)
    at = m.end
  }
  return marks
}
