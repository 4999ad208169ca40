import type { CausalLog } from '../../main/core/causal.js'
import type { ChatMessage } from '../../main/core/message.js'

/** A peer of a simulated network: its causal log, and how it takes in a message. */
export interface SimNode { readonly log: CausalLog, receive: (m: ChatMessage) => unknown }

/** Anti-entropy until nothing moves: every pair swaps what the other lacks. */
export function syncAll (peers: readonly SimNode[]): void {
  for (let moved = true, round = 0; moved && round < 50; round++) {
    moved = false
    for (const a of peers) {
      for (const b of peers) {
        if (a === b) continue
        for (const m of a.log.missingFor(b.log.vector())) {
          if (!b.log.has(m.id)) { b.receive(m); moved = true }
        }
      }
    }
  }
}
