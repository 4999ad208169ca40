/**
 * Who and where a search asks for: `from:NAME`, `from:@NAME` or `from:me`,
 * and `in:#room` (or `in:room`) among its words, as Slack and Teams read them;
 * the rest are the words to find. A name
 * is compared as people type it: case, accents, spaces, dots, dashes and
 * underscores aside (`from:@ann-lee` is "Ann Lee"), the whole name first and,
 * when none is that, the names it begins.
 *
 * @example
 * ```ts
 * const { words, from } = searchFilters('budget from:@ann')   // { words: 'budget', from: ['ann'] }
 * searchFilters('budget in:#design')                          // { words: 'budget', from: [], room: 'design' }
 * whoIs(from[0]!, [{ peerId: 'p1', name: 'Ann Lee' }])        // ['p1']
 * ```
 */

const FROM = /(?:^|\s)from:@?(\S+)/giu
const IN = /(?:^|\s)in:#?([^\s#]+)(?=\s|$)/iu

export function searchFilters (q: string): { words: string, from: string[], room?: string } {
  const from: string[] = []
  let rest = q.replace(FROM, (_all, who: string) => { from.push(who); return ' ' })
  const room = IN.exec(rest)?.[1]
  if (room !== undefined) rest = rest.replace(IN, ' ')
  const words = rest.replace(/\s+/g, ' ').trim()
  return room === undefined ? { words, from } : { words, from, room }
}

/** A name as it is compared here: letters and digits only, no case, no accents. */
export function personKey (name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
}

/** The people `who` names (a peer id names its own): every one whose name is it, or else every one whose name begins with it. */
export function whoIs (who: string, people: ReadonlyArray<{ peerId: string, name: string }>): string[] {
  const key = personKey(who)
  if (key === '') return []
  const byId = people.filter(p => p.peerId === who).map(p => p.peerId)
  if (byId.length > 0) return byId
  const exact = people.filter(p => personKey(p.name) === key)
  const found = exact.length > 0 ? exact : people.filter(p => personKey(p.name).startsWith(key))
  return [...new Set(found.map(p => p.peerId))]
}
