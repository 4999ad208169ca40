/**
 * When a message was written, as the window and the terminal show it: its author's clock
 * (`sentAt`), but never later than it arrived here (`deliveredAt`). A clock set ahead would
 * otherwise date it in the future: "20:06" read at 17:06, or under a day that has not come yet.
 * The order by the sender's clock, and the message's details, keep `sentAt` as it was said.
 * A search by date (before:, after:, on:) reads the same time.
 */
export function writtenAt (m: { sentAt: number, deliveredAt?: number | undefined }): number {
  return m.deliveredAt !== undefined && m.deliveredAt > 0 && m.deliveredAt < m.sentAt ? m.deliveredAt : m.sentAt
}
