/**
 * Searching what is sealed on disk (direct messages), side by side with the
 * full-text index over the same number of public messages, in one run: two
 * engines in this process, `n` messages sent as a DM and `n` in the lobby.
 * Rows: the first search of the DM (it opens the conversation: read, open,
 * cut into words; a message sent before each makes it a first one again),
 * the searches after it (reused until a message arrives there), and the
 * lobby's through the index.
 */
import { rmSync } from 'node:fs'
import type { Engine } from '../main/chat/engine.js'
import type { SealedSearchRow } from './lib/report.js'
import { median, now, percentile } from './lib/stats.js'
import { connected, startEngine, tempRoot } from './systems/lanchat.js'

const WORDS = ['budget', 'review', 'weekly', 'planning', 'friday', 'office', 'notes', 'draft']

export async function sealedSearchSection (n: number, queries: number, log: (l: string) => void): Promise<SealedSearchRow[]> {
  const roots = [tempRoot('sealed-a'), tempRoot('sealed-b')]
  const engines: Engine[] = []
  try {
    const a = await startEngine(roots[0]!, { name: 'ann' })
    const b = await startEngine(roots[1]!, { name: 'ben' })
    engines.push(a, b)
    const linked = connected(a, 1)
    await a.dial(b.addrs()[0]!)
    await linked
    log(`sealed search: ${n.toLocaleString('en-US')} direct messages and as many in the lobby`)
    for (let i = 0; i < n; i++) {
      const text = `message ${i} about the ${WORDS[i % WORDS.length]} and the ${WORDS[(i * 7) % WORDS.length]}`
      await a.send('', text, { to: b.peerId })
      await a.send('lobby', text)
    }
    const dm = a.dms()[0]!.room
    const time = (room: string, q: string): number => { const t0 = now(); a.search(q, room, 20); return now() - t0 }
    const qs = Array.from({ length: queries }, (_, i) => WORDS[i % WORDS.length]!)
    // A first search each time: a new message in the conversation makes the next search open it again.
    const first: number[] = []
    for (let i = 0; i < Math.min(5, queries); i++) {
      await a.send('', `one more ${i}`, { to: b.peerId })
      first.push(time(dm, qs[i]!))
    }
    const again = qs.map((q) => time(dm, q))
    const lobby = qs.map((q) => time('lobby', q))
    const row = (what: string, times: number[]): SealedSearchRow => ({ what, messages: n, queries: times.length, p50Ms: median(times), p99Ms: percentile(times, 0.99) })
    return [row('direct messages, first search (opens the conversation)', first), row('direct messages, later searches', again), row('public room, full-text index', lobby)]
  } catch (err) {
    const na = `failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 160)
    return [{ what: 'direct messages', messages: n, queries: 0, na }]
  } finally {
    for (const e of engines) await e.stop().catch(() => {})
    for (const r of roots) rmSync(r, { recursive: true, force: true })
  }
}
