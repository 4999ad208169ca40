/**
 * A "quoted phrase" in a search: its words together, in that order, whole, as Slack's and Teams'
 * quotes find them; in public rooms (the index) and in a DM (sealed, opened in memory) alike.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { queryTerms } from '../main/chat/sealed-search.js'
import { ftsQuery } from '../main/store/messages.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

describe('a quoted phrase in a search', () => {
  it('is read as one term; a quote left open quotes nothing', () => {
    expect(queryTerms('"pine apple" pie')).toEqual([{ words: ['pine', 'apple'], phrase: true }, { words: ['pie'], phrase: false }])
    expect(queryTerms('"pine apple')).toEqual([{ words: ['pine'], phrase: false }, { words: ['apple'], phrase: false }])
    // The index's query: the phrase whole, the last word alone a prefix.
    expect(ftsQuery('"pine apple" pie')).toBe('"pine apple" AND "pie"*')
    expect(ftsQuery('pie "pine apple"')).toBe('"pie" AND "pine apple"')
  })

  it('finds its words together and in order, in a public room and in a DM; unquoted, the words anywhere', async () => {
    const a = await startPeer('Ann')
    const b = await startPeer('Bob')
    await connect(a, b)
    const sent = [
      await b.engine.send('lobby', 'we ordered a pine apple pie'),
      await b.engine.send('lobby', 'the apple fell by the pine'),
      await b.engine.send('lobby', 'pine, apple and pear'),
      await b.engine.send('', 'a pine apple for you', { to: a.engine.peerId }),
      await b.engine.send('', 'apple tree, pine tree', { to: a.engine.peerId })
    ]
    await until('ann has them', () => sent.every(m => a.engine.ordering!.isDelivered(m.id)))
    // The texts found (the index marks a phrase as one stretch, the DM's search each word of it).
    const found = (q: string): string[] => a.engine.search(q).map(h => h.snippet.replace(/[[\]]/g, '')).sort()
    expect(found('"pine apple"')).toEqual(['a pine apple for you', 'pine, apple and pear', 'we ordered a pine apple pie'])
    expect(found('"apple pine"')).toEqual([])
    // A phrase is whole words: "pine app" is not a beginning of "pine apple".
    expect(found('"pine app"')).toEqual([])
    expect(found('pine apple')).toHaveLength(5)
    expect(found('"pine apple" pie')).toEqual(['we ordered a pine apple pie'])
    expect(a.engine.search('"pine apple" pie')[0]!.snippet).toMatch(/\[pine apple\] \[pie\]|\[pine\] \[apple\] \[pie\]/)
  })
})
