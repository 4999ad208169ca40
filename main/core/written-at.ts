/**
 * When a message was written, as the window and the terminal show it: its author's clock
 * (`sentAt`) read on ours (`clockOff`: how far the author's clock was known to run behind ours
 * when the message came live; negative: ahead), but never later than it arrived here
 * (`deliveredAt`). A clock set ahead would otherwise date it in the future: "20:06" read at
 * 17:06, or under a day that has not come yet; one set behind (a laptop whose battery died, back
 * in 2025) would date a message written now under an old day. A message caught up on keeps its
 * `sentAt` (it may be old for real). The order by the sender's clock, and the message's details,
 * keep `sentAt` as it was said. A search by date (before:, after:, on:) reads the same time.
 */
export function writtenAt (m: { sentAt: number, deliveredAt?: number | undefined, clockOff?: number | undefined }): number {
  // An offset past any real clock (a hostile claim or hello) is not taken: sentAt plus it could be no date
  // at all (past ±8.64e15, where the window's toISOString throws), or a time before 1970.
  const off = m.clockOff ?? 0
  const at = clockOffTaken(off) && m.sentAt + off >= 0 ? m.sentAt + off : m.sentAt
  return m.deliveredAt !== undefined && m.deliveredAt > 0 && m.deliveredAt < at ? m.deliveredAt : at
}

/** The largest clock offset taken from a peer's or a hub's word (about a century), ms. */
export const MAX_CLOCK_OFF_MS = 100 * 366 * 86_400_000

/** Whether `off` is a clock offset to take: a whole number of ms within MAX_CLOCK_OFF_MS. */
export function clockOffTaken (off: number): boolean {
  return Number.isSafeInteger(off) && Math.abs(off) < MAX_CLOCK_OFF_MS
}
