import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AnswerQueue } from '../main/chat/answers.js'
import { CausalLog } from '../main/core/causal.js'
import type { ChatMessage } from '../main/core/message.js'

function history (author: string, n: number): CausalLog {
  const log = new CausalLog()
  let prev = ''
  for (let seq = 1; seq <= n; seq++) {
    const id = createHash('sha256').update(`${author}${seq}`).digest('hex')
    log.add({ id, room: 'lobby', author, name: author, text: `m${seq}`, lamport: seq, sentAt: 0, seq, prev, deps: [], sig: new Uint8Array([1]) })
    prev = id
  }
  return log
}

describe('answering sync and want requests', () => {
  it('a request that waited behind an answer is not sent what that answer already sent', async () => {
    const log = history('a', 1_000)
    const served: ChatMessage[][] = []
    let release!: () => void
    const gate = new Promise<void>(resolve => { release = resolve })
    const q = new AnswerQueue(async (_peer, messages) => {
      const batch: ChatMessage[] = []
      for (const m of messages) {
        batch.push(m)
        // The reader is slow: the answer waits for it half-way.
        if (batch.length === 500) await gate
      }
      served.push(batch)
    }, () => log, () => {})
    q.sync('p', new Map())
    await new Promise(resolve => setTimeout(resolve, 10))
    // Mid-stream, the peer (which has read 200 so far) asks again, and wants one it has not read yet.
    q.sync('p', new Map([['a', 200]]))
    q.want('p', [log.last('a')!.id])
    release()
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(served[0]).toHaveLength(1_000)
    expect(served.slice(1).flat()).toHaveLength(0)
    // Once the answers are done, a new request is answered in full again (the peer may have lost the link).
    q.sync('p', new Map([['a', 990]]))
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(served[served.length - 1]!.map(m => m.seq)).toEqual([991, 992, 993, 994, 995, 996, 997, 998, 999, 1000])
  })
})
