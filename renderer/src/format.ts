/** Small display helpers: time, initials, a stable colour per peer. */
import { formatSizes, roomFromInput } from '../../preload/contract'
export { untilLabel, writtenAt } from '../../preload/contract'

/** The system's time zone now: it changes under an open window when a laptop travels (a format made before keeps the old one). */
export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

let zone = timeZone()
let time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
let full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** Whether the system's time zone changed since the formats were made; if so they are made again, in the new one. */
export function zoneChanged(): boolean {
  const now = timeZone()
  if (now === zone) return false
  zone = now
  time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
  full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
  dayFormats.clear()
  return true
}

export const localTime = (ms: number): string => time.format(new Date(ms))
export const fullTime = (ms: number): string => full.format(new Date(ms))

/** The local calendar day of a time, as a key that orders days (year * 10000 + month * 100 + day). */
export function dayOf(ms: number): number {
  const d = new Date(ms)
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate()
}

/**
 * What the line above a day's first message says: "Today", "Yesterday", the weekday and date
 * within the year ("Monday, November 30"), the full date before that. `now` is the reader's clock.
 */
export function dayLabel(ms: number, now: number = Date.now(), locale?: string): string {
  const day = dayOf(ms)
  if (day === dayOf(now)) return 'Today'
  const yesterday = new Date(now)
  yesterday.setDate(yesterday.getDate() - 1)
  if (day === dayOf(yesterday.getTime())) return 'Yesterday'
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear()
  return dayFormat(locale, sameYear).format(new Date(ms))
}

/** When a message in a list spanning the whole history was written: its time today, else its day and time ("Yesterday, 14:05"). */
export const dayAndTime = (ms: number): string => (dayLabel(ms) === 'Today' ? localTime(ms) : `${dayLabel(ms)}, ${localTime(ms)}`)

/** The two date formats of day lines, made once per locale (a list renders many lines). */
const dayFormats = new Map<string, Intl.DateTimeFormat>()
function dayFormat(locale: string | undefined, sameYear: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}/${sameYear}`
  let format = dayFormats.get(key)
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, sameYear ? { weekday: 'long', month: 'long', day: 'numeric' } : { year: 'numeric', month: 'long', day: 'numeric' })
    dayFormats.set(key, format)
  }
  return format
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** The first `n` characters of `word` as people see them: an emoji (🚀, 👩‍💻, 🇩🇪) or an accented letter whole, never half of one. */
const firstGraphemes = (word: string, n: number): string[] => {
  const out: string[] = []
  for (const { segment } of graphemes.segment(word)) {
    if (out.push(segment) >= n) break
  }
  return out
}

/** An avatar's letters: the first of the first two words ("Kai 🚀": K🚀), or the first two of a single word. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [...firstGraphemes(words[0]!, 1), ...firstGraphemes(words[1]!, 1)] : firstGraphemes(words[0] ?? '?', 2)
  return letters.join('').toUpperCase()
}

/**
 * The hues people's colours are drawn from: HSL's circle is not even to the eye (a third of it
 * reads as purple, another as green), so a hue picked anywhere on it gave two people the same
 * purple far more often than two in ten. These ten are each told apart at a glance.
 */
export const PERSON_HUES = [0, 25, 45, 90, 140, 175, 200, 225, 265, 310] as const

/** A person's hue, from the peer id: a peer keeps its colour whatever name it picks. */
export function hueOf(id: string): number {
  let h = 0
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0
  return PERSON_HUES[h % PERSON_HUES.length]!
}

export const shortId = (peerId: string): string => (peerId.length > 12 ? `…${peerId.slice(-8)}` : peerId)

const encoder = new TextEncoder()
export const byteLength = (text: string): number => encoder.encode(text).length

export function kib(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`
}

/** Room names as a person types them (the contract's rule, shared with the terminal): lowercase, no #, spaces as -. */
export function normaliseRoom(input: string): string {
  return roomFromInput(input)
}

/** An unread count on a row: past 99 (where a count read at a start stops) it says 99+. */
export function unreadLabel(count: number): string {
  return count > 99 ? '99+' : String(count)
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  let v = n
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/**
 * Why a file cannot be sent: `name` is `size` bytes, over `limit` (the server's when `server`, else Settings').
 * The two sizes as main says them (formatSizes): in bytes when they would round alike.
 */
export function tooLargeText(name: string, size: number, limit: number, server: boolean): string {
  const [file, most] = formatSizes(size, limit)
  // "1,048,576 bytes (1.0 MiB)": Settings is named inside its brackets, not in a second pair.
  const why = server
    ? `the server does not keep files over ${most}, so nobody could download it through the server`
    : `the largest file you can send is ${most.endsWith(')') ? `${most.slice(0, -1)}, see Settings)` : `${most} (see Settings)`}`
  return `${name} is ${file}; ${why}.`
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

/** How a download moves, as its card needs it. */
export interface Pace { bytesPerSecond: number; secondsLeft: number | null; holders: number; waiting: boolean }

/**
 * What a download's card says after how much of it is here: its pace, or what it waits for once
 * nothing comes (`client`: a hub's client, whose files come from the hub).
 */
export function paceText(d: Pace, client = false, hubUp = false): string {
  if (d.waiting && d.holders === 0 && client && hubUp) return 'waiting for the hub to get it from whoever shared it (what came is kept)'
  if (d.waiting) return d.holders === 0 ? `waiting for ${client ? 'the hub' : 'someone who has it'} to connect (what came is kept)` : 'waiting: nothing has come for a few seconds'
  // 0 while not waiting: the first chunk after a start or a stall, no pace measured yet.
  if (d.bytesPerSecond === 0) return 'measuring speed…'
  return `${formatBytes(d.bytesPerSecond)}/s${d.secondsLeft !== null ? ` · ${formatSeconds(d.secondsLeft)} left` : ''}`
}

