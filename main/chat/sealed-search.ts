/**
 * Searching what is sealed on disk: direct messages and invite-only rooms.
 * Their text never enters the full-text index (it would sit there in the
 * clear), so a search opens the newest of them in memory and matches them
 * here, the way the index matches public text: every word of the query, as
 * a whole word, the last one as a prefix, without regard to case or accents
 * (SQLite's unicode61 tokenizer); the snippet marks what matched between MATCH_OPEN and MATCH_CLOSE
 * (core/snippet.ts), read [like this] by bracketed().
 *
 * @example
 * ```ts
 * const match = sealedMatcher('budget fri')
 * bracketed(match?.('The budget is due Friday')!)  // 'The [budget] is due [Friday]'
 * match?.(tokenize('The budget is due Friday'))   // the same, from words cut once
 * ```
 */

import { MATCH_CLOSE, MATCH_OPEN } from '../core/snippet.js'
import { UNSPACED } from '../core/unspaced.js'

/** How many words a snippet shows, as the index's snippet does. */
const SNIPPET_WORDS = 12
/** At most this many query words, as ftsQuery keeps. */
const MAX_WORDS = 16

const WORD = /[\p{L}\p{N}]+/gu

/** One term of a query: a word, or a "quoted phrase"; `not`: written -word, what a message must not have; `or`: OR'ed with the term before it. */
export interface Term { words: string[], phrase: boolean, not?: true, or?: true }

/**
 * A query's terms, in order: each word alone, or the words of a "quoted phrase", which match only
 * together, one after another, as typed (Slack's and Teams' quotes). A quote left open quotes
 * nothing; at most MAX_WORDS words in all. `-word` (or `-"a phrase"`) is one a message must not
 * have; `OR`, in capitals between two words or phrases, takes either (`budget OR plan`).
 */
export function queryTerms (q: string): Term[] {
  const terms: Term[] = []
  let left = MAX_WORDS
  let or = false
  for (const m of q.matchAll(/(-?)"([^"]*)"|(\S+)/g)) {
    if (m[3] === 'OR') {
      // Between two words we look for: not first, not after a word left out.
      or = terms.length > 0 && terms.at(-1)!.not !== true
      continue
    }
    const not = m[1] === '-' || (m[3] !== undefined && m[3].length > 1 && m[3].startsWith('-'))
    const typed = m[2] ?? m[3]!.slice(not ? 1 : 0).replace(/"/g, '')
    const words = typed.split(/\s+/).filter(w => w.length > 0).slice(0, left)
    if (words.length === 0) continue
    terms.push({ words, phrase: m[2] !== undefined, ...(not ? { not: true as const } : {}), ...(or && !not ? { or: true as const } : {}) })
    or = false
    left -= words.length
    if (left === 0) break
  }
  return terms
}

/** Terms as groups, each of which a message must match one of (terms OR'ed together), and the terms it must match none of. */
export function termGroups (terms: readonly Term[]): { groups: Term[][], not: Term[] } {
  const groups: Term[][] = []
  for (const t of terms) {
    if (t.not === true) continue
    if (t.or === true && groups.length > 0) groups.at(-1)!.push(t)
    else groups.push([t])
  }
  return { groups, not: terms.filter(t => t.not === true) }
}

/**
 * A word whose last characters the index cuts off, though they make it another word: c++, C#, F#, g++.
 * The index finds its letters (the text has them as a word), the text is read for the whole, case aside.
 */
const SYMBOLED = /^([\p{L}\p{N}]+)[+#]+$/u

/**
 * A query's words as the search uses them: `indexed`, matched as whole words by the index (the last
 * one as a prefix), and `unspaced`, words of a script written without spaces, emoji, and words like
 * c++ (whose letters are also `indexed`), matched anywhere in the text (in the forms wordForms gives).
 */
export function queryWords (q: string): { indexed: string[], unspaced: string[] } {
  const words = q.split(/\s+/).filter(w => w.length > 0).slice(0, MAX_WORDS)
  // Punctuation around it is not looked for; an emoji is, without its emoji-style selector (❤️ finds ❤ too), skin tone kept.
  const unspaced = words.filter(w => UNSPACED.test(w)).map(w => w.normalize('NFC').replace(/\uFE0F/g, '').replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}]+|[^\p{L}\p{N}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}]+$/gu, '')).filter(w => w !== '')
  const indexed = words.filter(w => !UNSPACED.test(w))
  return {
    // Its letters as a whole word (quoted: not a beginning, as a last word would be), "c" for c++.
    indexed: indexed.map(w => { const letters = SYMBOLED.exec(w)?.[1]; return letters === undefined ? w : `"${letters}"` }),
    unspaced: [...unspaced, ...indexed.filter(w => SYMBOLED.test(w)).map(w => w.normalize('NFC'))]
  }
}

/**
 * The two forms a word of `unspaced` is looked for in: as typed (NFC) and decomposed, or, for a word
 * like c++, in lower and upper case (C++, c#).
 */
export function wordForms (word: string): [string, string] {
  return SYMBOLED.test(word) ? [word.toLowerCase(), word.toUpperCase()] : [word, word.normalize('NFD')]
}

/**
 * Where `word` is in `text`, composed or decomposed; each stretched over the marks that follow it,
 * so a Thai or Hindi letter found without its vowel sign or tone mark is marked with them (cut
 * between the two, the mark was drawn on a dotted circle of its own).
 */
function occurrences (text: string, word: string): Array<{ at: number, end: number }> {
  const found: Array<{ at: number, end: number }> = []
  const MARK = /\p{M}/u
  for (const form of new Set(wordForms(word))) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length)) {
      let end = at + form.length
      while (end < text.length && MARK.test(text[end]!)) end++
      found.push({ at, end })
    }
  }
  return found
}

/** A word as the index compares it: no accents, lower case; ß as ss (which the index finds either way: ftsQuery). */
const fold = (word: string): string => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss')

/** A text cut into words once, so that searching it again costs only the comparisons. */
export interface Tokenized {
  readonly text: string
  readonly tokens: ReadonlyArray<{ at: number, end: number, folded: string }>
}

export function tokenize (text: string): Tokenized {
  return { text, tokens: [...text.matchAll(WORD)].map(m => ({ at: m.index, end: m.index + m[0].length, folded: fold(m[0]) })) }
}

/**
 * Whether a text matches the query, and then its snippet; undefined when the query has no words.
 * Only words left out (`-draft`): every text without them, how it begins for a snippet.
 */
export function sealedMatcher (query: string): ((text: string | Tokenized) => string | undefined) | undefined {
  const { indexed, unspaced } = queryWords(query)
  const terms = queryTerms(indexed.join(' '))
  const folded = (t: Term): string[] => t.words.flatMap(w => [...w.matchAll(WORD)].map(m => fold(m[0])))
  // Words alone: each anywhere, the query's last word as a prefix (as the index reads it). Phrases: their words in a row, whole.
  const last = terms.at(-1)
  const matcherOf = (t: Term): { words: string[], phrase: boolean, prefix: boolean } =>
    ({ words: folded(t), phrase: t.phrase, prefix: t === last && !t.phrase && t.not !== true })
  const { groups: termGroupsFound, not: notTerms } = termGroups(terms)
  const groups = termGroupsFound.map(g => g.map(matcherOf).filter(t => t.words.length > 0)).filter(g => g.length > 0)
  const not = notTerms.map(matcherOf).filter(t => t.words.length > 0)
  if (groups.length === 0 && not.length === 0 && unspaced.length === 0) return undefined
  const hit = (token: string, w: string, prefix: boolean): boolean => (prefix ? token.startsWith(w) : token === w)
  /** The tokens a term matches (none: it is not in the text). */
  const found = (tokens: Tokenized['tokens'], t: { words: string[], phrase: boolean, prefix: boolean }): number[] => {
    const at: number[] = []
    if (!t.phrase) {
      // A word alone (a -word or a word that folds into several is each of them anywhere).
      for (let k = 0; k < t.words.length; k++) {
        const of = tokens.flatMap((tok, i) => hit(tok.folded, t.words[k]!, t.prefix && k === t.words.length - 1) ? [i] : [])
        if (of.length === 0) return []
        at.push(...of)
      }
      return at
    }
    for (let i = 0; i + t.words.length <= tokens.length; i++) {
      if (t.words.every((w, k) => tokens[i + k]!.folded === w)) for (let k = 0; k < t.words.length; k++) at.push(i + k)
    }
    return at
  }
  return (input) => {
    const { text, tokens } = typeof input === 'string' ? tokenize(input) : input
    if (not.some(t => found(tokens, t).length > 0)) return undefined
    const matched: boolean[] = tokens.map(() => false)
    for (const group of groups) {
      let any = false
      for (const t of group) {
        const at = found(tokens, t)
        if (at.length > 0) any = true
        for (const i of at) matched[i] = true
      }
      if (!any) return undefined
    }
    if (unspaced.length === 0) return groups.length === 0 ? firstWords(text) : snippet(text, tokens, matched)
    const inside = unspaced.map(w => occurrences(text, w))
    if (inside.some(f => f.length === 0)) return undefined
    return marked(text, [...inside.flat(), ...tokens.filter((_t, i) => matched[i])])
  }
}

/** A message's snippet when a search has no words to mark (from:NAME alone): how it begins. */
export function firstWords (text: string): string {
  return text.length > MARKED_LENGTH ? `${text.slice(0, MARKED_LENGTH)}…` : text
}

/** How many characters a snippet shows around matches found inside words, before the first and in all. */
const MARKED_BEFORE = 20
const MARKED_LENGTH = 80

/** The text around the first of `ranges`, each of them marked, '…' where the text goes on. */
function marked (text: string, ranges: ReadonlyArray<{ at: number, end: number }>): string {
  const sorted = [...ranges].sort((a, b) => a.at - b.at || b.end - a.end)
  const merged: Array<{ at: number, end: number }> = []
  for (const r of sorted) {
    const prev = merged.at(-1)
    if (prev !== undefined && r.at <= prev.end) prev.end = Math.max(prev.end, r.end)
    else merged.push({ ...r })
  }
  // Never a cut inside a surrogate pair, nor before a combining mark.
  const edge = (i: number): number => {
    while (i > 0 && i < text.length && /[\udc00-\udfff\p{M}]/u.test(text[i]!)) i--
    return i
  }
  const from = edge(Math.max(0, merged[0]!.at - MARKED_BEFORE))
  const to = Math.max(merged[0]!.end, edge(Math.min(text.length, from + MARKED_LENGTH)))
  let out = from > 0 ? '…' : ''
  let at = from
  for (const r of merged) {
    if (r.at >= to) break
    out += `${text.slice(at, r.at)}${MATCH_OPEN}${text.slice(r.at, Math.min(r.end, to))}${MATCH_CLOSE}`
    at = Math.min(r.end, to)
  }
  return out + text.slice(at, to) + (to < text.length ? '…' : '')
}

/** The words around the first match (a few before it), matched ones marked, '…' where the text goes on. */
function snippet (text: string, tokens: ReadonlyArray<{ at: number, end: number }>, matched: readonly boolean[]): string {
  const first = matched.indexOf(true)
  const from = Math.max(0, Math.min(first - 3, tokens.length - SNIPPET_WORDS))
  const to = Math.min(tokens.length, from + SNIPPET_WORDS)
  let out = from > 0 ? '…' : ''
  let at = from > 0 ? tokens[from]!.at : 0
  for (let i = from; i < to; i++) {
    const t = tokens[i]!
    out += text.slice(at, t.at) + (matched[i] === true ? `${MATCH_OPEN}${text.slice(t.at, t.end)}${MATCH_CLOSE}` : text.slice(t.at, t.end))
    at = t.end
  }
  return to < tokens.length ? `${out}…` : out + text.slice(at)
}
