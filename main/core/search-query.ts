/**
 * Who and where a search asks for: `from:NAME`, `from:@NAME` or `from:me`,
 * and `in:#room` (or `in:room`) among its words, as Slack and Teams read them;
 * the rest are the words to find. A name
 * is compared as people type it: case, accents, spaces, dots, dashes and
 * underscores aside (`from:@ann-lee` is "Ann Lee"), the whole name first and,
 * when none is that, the names it begins. searchQuery reads the rest Slack people type: `has:image`,
 * `before:`/`after:`/`on:` a day (`-word` and `a OR b` are the words' own: chat/sealed-search.ts).
 *
 * @example
 * ```ts
 * const { words, from } = searchFilters('budget from:@ann')   // { words: 'budget', from: ['ann'] }
 * searchFilters('budget in:#design')                          // { words: 'budget', from: [], room: 'design' }
 * roomsNamed('board', [{ room: 'pr:7f3a', name: 'Board' }])   // ['pr:7f3a']
 * whoIs(from[0]!, [{ peerId: 'p1', name: 'Ann Lee' }])        // ['p1']
 * searchQuery('plan has:image on:2026-12-01')                 // { words: 'plan', from: [], has: ['image'], since, until }
 * ```
 */

import { InvalidSearchError } from './errors.js'
import { fileKind } from './file-kind.js'
import { findLinks } from './links.js'
import { writtenAt } from './written-at.js'

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

/**
 * The invite-only rooms `in:#NAME` names by their shown name (their ids, `pr:…`, are not what people
 * see): compared as a person's name is, so `in:#q3-planning` is "Q3 Planning" and `in:#board` "Board".
 */
export function roomsNamed (name: string, rooms: ReadonlyArray<{ room: string, name: string }>): string[] {
  const key = personKey(name)
  return key === '' ? [] : rooms.filter(r => personKey(r.name) === key).map(r => r.room)
}

/** What `has:` asks a message to have: a shared file, an image among them, a web link in its text, the message it answers. */
export type Has = 'file' | 'image' | 'link' | 'reply'
const HAS: Record<string, Has> = { file: 'file', files: 'file', image: 'image', images: 'image', link: 'link', links: 'link', reply: 'reply', replies: 'reply' }

/**
 * A search as typed, read whole: searchFilters' words, people and room, and what else the message must be:
 * `has:file`, `has:image`, `has:link`, `has:reply`; written `before:`, `after:` or `on:` a day
 * (2026-12-01, today, yesterday: a calendar day where the search is made; `after:` is from the day
 * after, as Slack reads it). `since` and `until`: the first and the first no longer wanted
 * millisecond of when a message was written, as it is shown (writtenAt).
 */
export interface SearchQuery {
  words: string
  from: string[]
  room?: string
  has: Has[]
  since?: number
  until?: number
}

const OPERATOR = /(?:^|\s)(has|before|after|on):(\S*)/giu
const DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/

/** The first millisecond of a local calendar day, `days` after the one `value` names (undefined: not a day). */
function dayStart (value: string, now: number, days: number): number | undefined {
  const lower = value.toLowerCase()
  const today = new Date(now)
  if (lower === 'today' || lower === 'yesterday') {
    return new Date(today.getFullYear(), today.getMonth(), today.getDate() - (lower === 'yesterday' ? 1 : 0) + days).getTime()
  }
  const m = DAY.exec(value)
  if (m === null) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])]
  const day = new Date(y, mo, d)
  // 2026-02-30 is no day (Date would make it March 2nd).
  if (day.getFullYear() !== y || day.getMonth() !== mo || day.getDate() !== d) return undefined
  return new Date(y, mo, d + days).getTime()
}

/**
 * Read a typed search (`now`: when, for today and yesterday). Throws InvalidSearchError, in words a
 * person acts on, for an operator it cannot read: `before:yesterdayish`, `has:pdf`.
 */
export function searchQuery (q: string, now = Date.now()): SearchQuery {
  const has = new Set<Has>()
  let since: number | undefined
  let until: number | undefined
  const rest = q.replace(OPERATOR, (_all, op: string, value: string) => {
    const key = op.toLowerCase()
    if (key === 'has') {
      const what = HAS[value.toLowerCase()]
      if (what === undefined) throw new InvalidSearchError('has: takes file, image, link or reply (has:image)')
      has.add(what)
      return ' '
    }
    const start = dayStart(value, now, key === 'after' ? 1 : 0)
    if (start === undefined) throw new InvalidSearchError(`${key}: takes a date like 2026-12-01 (or today, yesterday)`)
    if (key !== 'before') since = Math.max(since ?? start, start)
    if (key !== 'after') {
      const end = key === 'on' ? dayStart(value, now, 1)! : start
      until = Math.min(until ?? end, end)
    }
    return ' '
  })
  return { ...searchFilters(rest), has: [...has], ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) }
}

/** Whether a search asks more of a message than its words, people and room (has:, dates). */
export function narrows (q: SearchQuery): boolean {
  return q.has.length > 0 || q.since !== undefined || q.until !== undefined
}

/** A message as the narrowing operators read it: its text, when it was written, its file, what it answers. */
export interface Narrowed {
  text: string
  sentAt: number
  deliveredAt?: number | undefined
  clockOff?: number | undefined
  file?: { name: string, mime: string } | undefined
  replyTo?: string | undefined
}

/**
 * A search's narrowing as the store is handed it: `test`, narrowedTo of the search; `has`, `since` and
 * `until` as the search read them, for the store to read only the rows that can pass (the files index
 * for has:file, the rows that arrived about the days asked for: MessageTable.search).
 */
export interface Narrowing extends Pick<SearchQuery, 'has' | 'since' | 'until'> {
  test: (m: Narrowed) => boolean
}

/**
 * How far the date a message is shown under and its arrival here may be out of step, in arrival order, for
 * a search by date to skip rows by it (MessageTable's #window, the engine's walk down a sealed conversation):
 * a clock stepped back, a day's messages caught up on a little late.
 */
export const DATE_SLACK_MS = 2 * 86_400_000

/** Whether a message is what `has:`, `before:`, `after:` and `on:` ask for. */
export function narrowedTo (q: SearchQuery, m: Narrowed): boolean {
  const at = writtenAt(m)
  if ((q.since !== undefined && at < q.since) || (q.until !== undefined && at >= q.until)) return false
  return q.has.every(h =>
    h === 'file' ? m.file !== undefined
      : h === 'image' ? m.file !== undefined && fileKind(m.file.mime, m.file.name).kind === 'image'
        : h === 'link' ? findLinks(m.text).length > 0
          : m.replyTo !== undefined)
}
