import type { Order } from '../store'
import { ORDER_LABEL } from '../order'

const HINT: Record<Order, string> = {
  lamport: 'Every peer shows this same order: (Lamport time, author).',
  arrival: 'The order messages reached this computer: differs from peer to peer.',
  sent: "The senders' wall clocks: clocks disagree, so this can put an answer before its question."
}

/** In client–server mode the first order is the hub's, not Lamport's: its words said "(Lamport time, author)" there too. */
const HUB_HINT = 'Every client shows this same order: the hub numbers each message as it reaches it (seq).'

/** View the room in Lamport (or hub) order, arrival order, or sender wall-clock order. */
export function OrderSwitch({ order, client, onChange }: { order: Order; client: boolean; onChange: (order: Order) => void }) {
  const hint = order === 'lamport' && client ? HUB_HINT : HINT[order]
  return (
    <label className="order-switch" title={hint}>
      <span className="muted small label">Order</span>
      {/* The words on the select too: a screen reader says them after its name. */}
      <select aria-label="Message order" title={hint} value={order} onChange={(e) => onChange(e.target.value as Order)}>
        {(Object.keys(ORDER_LABEL) as Order[]).map((o) => (
          <option key={o} value={o}>{o === 'lamport' && client ? 'Hub order (seq)' : ORDER_LABEL[o]}</option>
        ))}
      </select>
    </label>
  )
}
