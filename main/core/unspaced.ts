/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese): the
 * full-text index cuts text into words only at spaces and punctuation, so a whole sentence is one
 * "word" to it, and "会议" would find "明天的会议在三点" only at its start. Emoji it does not hold at
 * all (to it they are punctuation), so "🎉" found nothing. A query word in one of them, or with an
 * emoji, is looked for anywhere in the text instead (main/chat/sealed-search.ts, main/store/messages.ts).
 * Pure: the window reaches it through the IPC contract, to say how far back such a search reads.
 *
 * @example
 * ```ts
 * onlyUnspaced('会议')          // true
 * onlyUnspaced('会议 minutes')  // false: the index finds "minutes" however far back
 * onlyUnspaced('会议 on:today -draft')  // true: neither asks the index for a word
 * ```
 */
export const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{Extended_Pictographic}]/u

/**
 * How many of the newest stored rows a search of such words alone reads (the index cannot help,
 * so it reads row by row): about a quarter of a second here; a million took 2.5 s (BENCHMARKS.md).
 */
export const UNSPACED_SCAN_ROWS = 100_000

/** Whether every word of a query is of a script written without spaces (then it reads the newest UNSPACED_SCAN_ROWS only). */
export function onlyUnspaced (q: string): boolean {
  // What the index is not asked for: operators (in:#room, from:, has:, a date), a word left out (-draft), OR between words.
  const words = q.split(/\s+/).filter(w => w.length > 0 && w !== 'OR' && !w.startsWith('-') && !/^(?:in|from|has|before|after|on):/i.test(w))
  return words.length > 0 && words.every(w => UNSPACED.test(w))
}
