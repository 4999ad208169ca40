/**
 * A peer that cheats: an action signed and sent as is, one the engine would refuse to make (a pin
 * written in another room than its message's, say), to see what every other peer makes of it.
 *
 *   await forge(ben.engine, 'other', { kind: 'pin', target: lobbyMessageId }, PIN_TEXT)
 */
import type { Engine } from '../../main/chat/engine.js'
import type { ChatMessage, WireAction } from '../../main/core/message.js'
import { encodeBody, hashBody, UNSIGNED, withBody } from '../../main/net/codec.js'

/** Sign and send `action` in `room`, with `text` for peers that know no actions (the engine's own clock does not tick for it). */
export async function forge (e: Engine, room: string, action: WireAction, text: string): Promise<void> {
  const ordering = e.ordering!
  await ordering.ready()
  const unsigned = { room, author: e.peerId, name: e.name, text, lamport: e.clock + 1, sentAt: Date.now(), ...ordering.place(action.target), action }
  const body = encodeBody(unsigned)
  const m: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
  await ordering.submit(m)
}
