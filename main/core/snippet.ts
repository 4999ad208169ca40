/**
 * How a search hit's snippet marks what matched. The engine marks it with two private-use
 * characters, which no keyboard types, so a text's own brackets ("see [1]", "array[0]") stay
 * brackets in the window; the terminal and `--json` read the documented `[like this]`.
 *
 * @example
 * ```ts
 * bracketed(`the ${MATCH_OPEN}budget${MATCH_CLOSE} [draft]`)   // 'the [budget] [draft]'
 * ```
 */
export const MATCH_OPEN = '\uE000'
export const MATCH_CLOSE = '\uE001'

/** A marked snippet as plain text shows it: matches [like this]. */
export function bracketed (marked: string): string {
  return marked.replaceAll(MATCH_OPEN, '[').replaceAll(MATCH_CLOSE, ']')
}

/** A marked snippet's pieces in order, each matched or not. */
export function snippetParts (marked: string): Array<{ text: string, matched: boolean }> {
  return marked.split(new RegExp(`(${MATCH_OPEN}[^${MATCH_CLOSE}]*${MATCH_CLOSE})`, 'u')).filter(p => p !== '')
    .map(p => p.startsWith(MATCH_OPEN) && p.endsWith(MATCH_CLOSE) ? { text: p.slice(1, -1), matched: true } : { text: p, matched: false })
}
