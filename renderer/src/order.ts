/**
 * The order switch: the same messages in the engine's order (Lamport, or the
 * hub's numbers in client mode), in the order they arrived here, or by the
 * sender's wall clock. Only the first is the same on every peer.
 */
import type { Entry, Order } from './store'

const LAST = Number.POSITIVE_INFINITY

function key(entry: Entry, order: Order): number {
  if (entry.state === 'sending' || entry.state === 'failed') return LAST
  switch (order) {
    case 'lamport':
      return 0
    case 'arrival':
      return entry.message.deliveredAt ?? LAST
    case 'sent':
      return entry.message.sentAt
    default: {
      const never: never = order
      return never
    }
  }
}

/** Sorted copy; ties keep the engine's order (Array.prototype.sort is stable). */
export function ordered(entries: Entry[], order: Order): Entry[] {
  if (order === 'lamport') return entries
  return [...entries].sort((a, b) => {
    const ka = key(a, order)
    const kb = key(b, order)
    return ka === kb ? 0 : ka < kb ? -1 : 1
  })
}

export const ORDER_LABEL: Record<Order, string> = {
  lamport: 'Lamport',
  arrival: 'Arrival here',
  sent: "Sender's clock"
}
