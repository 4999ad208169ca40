/** Small display helpers: time, initials, a stable colour per peer. */

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

export const localTime = (ms: number): string => time.format(new Date(ms))
export const fullTime = (ms: number): string => full.format(new Date(ms))

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2)
  return letters.join('').toUpperCase()
}

/** Hue from the peer id, so a peer keeps its colour whatever name it picks. */
export function hueOf(id: string): number {
  let h = 0
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0
  return h % 360
}

export const shortId = (peerId: string): string => (peerId.length > 12 ? `…${peerId.slice(-8)}` : peerId)

const encoder = new TextEncoder()
export const byteLength = (text: string): number => encoder.encode(text).length

export function kib(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`
}

/** Room names as the main process accepts them: lowercase, digits, - and _. */
export function normaliseRoom(input: string): string {
  return input.trim().toLowerCase().replace(/^#/, '').replace(/\s+/g, '-')
}
