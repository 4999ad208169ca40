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
