import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ChatMessage } from '../core/message.js'
import { bodyOf } from '../net/codec.js'

const keys = new Map<string, PublicKey | null>()

function publicKeyOf (author: string): PublicKey | null {
  let key = keys.get(author)
  if (key === undefined) {
    try {
      key = peerIdFromString(author).publicKey ?? null
    } catch {
      key = null
    }
    if (keys.size > 10_000) keys.clear()
    keys.set(author, key)
  }
  return key
}

export async function sign (key: PrivateKey, body: Uint8Array): Promise<Uint8Array> {
  return await key.sign(body)
}

/**
 * Split messages into authentic and forged, checking as few signatures as
 * possible. Each author's messages are hash-chained (`prev` is the id, i.e.
 * the hash, of the previous body), so one valid signature on the newest
 * message of a run vouches for every earlier message the run links to. A
 * catch-up batch of 10k messages from 3 authors costs 3 verifications, not 10k.
 */
export async function verifyMessages (messages: ChatMessage[]): Promise<{ ok: ChatMessage[], bad: Array<{ message: ChatMessage, reason: string }> }> {
  const byId = new Map(messages.map(m => [m.id, m]))
  // A message is the head of a run when no other message in the batch names it as prev.
  const named = new Set<string>()
  for (const m of messages) if (m.prev !== '' && byId.has(m.prev)) named.add(m.prev)
  const trusted = new Set<string>()
  const bad: Array<{ message: ChatMessage, reason: string }> = []
  const refused = new Set<string>()
  for (const head of messages) {
    if (named.has(head.id)) continue
    const key = publicKeyOf(head.author)
    const valid = key !== null && await key.verify(bodyOf(head), head.sig)
    if (!valid) {
      bad.push({ message: head, reason: key === null ? `author ${head.author} is not an Ed25519 peer id` : 'bad signature' })
      refused.add(head.id)
      continue
    }
    // Walk back along the chain: each body's hash is the id the next one named.
    for (let m: ChatMessage | undefined = head; m !== undefined && m.author === head.author && !trusted.has(m.id); m = byId.get(m.prev)) {
      trusted.add(m.id)
    }
  }
  const ok: ChatMessage[] = []
  for (const m of messages) {
    if (trusted.has(m.id)) ok.push(m)
    else if (!refused.has(m.id)) {
      // Named as prev by a forged head only: check it on its own.
      const key = publicKeyOf(m.author)
      if (key !== null && await key.verify(bodyOf(m), m.sig)) ok.push(m)
      else bad.push({ message: m, reason: 'bad signature' })
    }
  }
  return { ok, bad }
}
