import type { ChatMessage } from '../core/message.js'
import type { MessageView } from './types.js'

/** What hosts see of a message: no signature, the hub's number when it has one. */
export function messageView (m: ChatMessage, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: m.id, room: m.room, author: m.author, name: m.name, text: m.text, lamport: m.lamport,
    sentAt: m.sentAt, deps: m.prev === '' ? m.deps : [m.prev, ...m.deps],
    ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
    ...extra
  }
}
