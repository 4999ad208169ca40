/**
 * Searching what is sealed on disk: direct messages and invite-only rooms.
 * Their text never enters the full-text index (it would sit there in the
 * clear), so a search opens the newest of them in memory and matches them
 * here, the way the index matches public text: every word of the query, as
 * a whole word, the last one as a prefix, without regard to case or accents
 * (SQLite's unicode61 tokenizer); the snippet marks what matched [like this].
 *
 * @example
 * ```ts
 * const match = sealedMatcher('budget fri')
 * match?.('The budget is due Friday')             // 'The [budget] is due [Friday]'
 * match?.(tokenize('The budget is due Friday'))   // the same, from words cut once
 * ```
 */

/** How many words a snippet shows, as the index's snippet does. */
const SNIPPET_WORDS = 12
/** At most this many query words, as ftsQuery keeps. */
const MAX_WORDS = 16

const WORD = /[\p{L}\p{N}]+/gu

/** A word as the index compares it: no accents, lower case. */
const fold = (word: string): string => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

/** A text cut into words once, so that searching it again costs only the comparisons. */
export interface Tokenized {
  readonly text: string
  readonly tokens: ReadonlyArray<{ at: number, end: number, folded: string }>
}

export function tokenize (text: string): Tokenized {
  return { text, tokens: [...text.matchAll(WORD)].map(m => ({ at: m.index, end: m.index + m[0].length, folded: fold(m[0]) })) }
}

/** Whether a text matches the query, and then its snippet; undefined when the query has no words. */
export function sealedMatcher (query: string): ((text: string | Tokenized) => string | undefined) | undefined {
  const words = [...query.matchAll(WORD)].map(m => fold(m[0])).slice(0, MAX_WORDS)
  if (words.length === 0) return undefined
  const last = words.length - 1
  const hit = (token: string, i: number): boolean => (i === last ? token.startsWith(words[i]!) : token === words[i])
  return (input) => {
    const { text, tokens } = typeof input === 'string' ? tokenize(input) : input
    if (!words.every((_w, i) => tokens.some(t => hit(t.folded, i)))) return undefined
    return snippet(text, tokens, tokens.map(t => words.some((_w, i) => hit(t.folded, i))))
  }
}

/** The words around the first match (a few before it), matched ones in brackets, '…' where the text goes on. */
function snippet (text: string, tokens: ReadonlyArray<{ at: number, end: number }>, matched: readonly boolean[]): string {
  const first = matched.indexOf(true)
  const from = Math.max(0, Math.min(first - 3, tokens.length - SNIPPET_WORDS))
  const to = Math.min(tokens.length, from + SNIPPET_WORDS)
  let out = from > 0 ? '…' : ''
  let at = from > 0 ? tokens[from]!.at : 0
  for (let i = from; i < to; i++) {
    const t = tokens[i]!
    out += text.slice(at, t.at) + (matched[i] === true ? `[${text.slice(t.at, t.end)}]` : text.slice(t.at, t.end))
    at = t.end
  }
  return to < tokens.length ? `${out}…` : out + text.slice(at)
}
