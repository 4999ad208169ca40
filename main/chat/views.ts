import type { Connection } from '@libp2p/interface'
import type { ChatMessage } from '../core/message.js'
import { fourTuple } from '../net/socket.js'
import type { ConnectionView, MessageView } from './types.js'

/** What hosts see of a message: no signature, the hub's number when it has one. */
export function messageView (m: ChatMessage, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: m.id, room: m.room, author: m.author, name: m.name, text: m.text, lamport: m.lamport,
    sentAt: m.sentAt, deps: m.prev === '' ? m.deps : [m.prev, ...m.deps],
    ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
    ...extra
  }
}

/** A libp2p connection as the sockets panel shows it, 4-tuple first. */
export function connectionView (c: Connection): ConnectionView {
  const t = fourTuple(c)
  return {
    local: t.local, remote: t.remote, direction: c.direction, remoteAddr: c.remoteAddr.toString(),
    encryption: c.encryption ?? '', multiplexer: c.multiplexer ?? '',
    streams: c.streams.map(s => ({ protocol: s.protocol ?? '', direction: s.direction })),
    openedAt: c.timeline.open,
    ...(c.rtt !== undefined ? { rtt: c.rtt } : {}),
    ...(t.bytesIn !== undefined ? { bytesIn: t.bytesIn, bytesOut: t.bytesOut } : {})
  }
}
