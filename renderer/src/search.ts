/**
 * What the search dialog asks for: the words, and the room when "in:#room"
 * (or "in:room") is among them, as Slack's search reads it.
 *
 *   scopeOf('pineapple in:#kitchen')   // { words: 'pineapple', room: 'kitchen' }
 *   scopeOf('pineapple')               // { words: 'pineapple' }
 */
export function scopeOf(q: string): { words: string; room?: string } {
  const m = /(?:^|\s)in:#?([^\s#]+)(?=\s|$)/i.exec(q)
  if (m === null) return { words: q.trim() }
  return { words: (q.slice(0, m.index) + ' ' + q.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim(), room: m[1]!.toLowerCase() }
}

/** Formatting markers that come in pairs, longest first (a fence is taken out before). */
const PAIRED = ['**', '~~', '`'] as const

/**
 * A hit's snippet with the formatting markers whose other half it cut off taken out: the engine
 * cuts a long message to a few words around the match ("…"), so `code`, **bold** or ~~struck~~
 * begun before its start or ended after its end would show its marker as a character. A code
 * fence is taken out wherever it is.
 */
export function uncutSnippet(snippet: string): string {
  let s = snippet.replace(/```[\w+#.-]*/g, ' ')
  for (const mark of PAIRED) {
    // An even number of pieces: an odd number of markers, one without its other half.
    if (s.split(mark).length % 2 === 1) continue
    const at = s.endsWith('…') ? s.lastIndexOf(mark) : s.startsWith('…') ? s.indexOf(mark) : -1
    if (at >= 0) s = s.slice(0, at) + s.slice(at + mark.length)
  }
  return s
}
