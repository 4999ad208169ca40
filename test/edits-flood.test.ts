/**
 * A message flooded with events (here one person toggling a reaction thousands
 * of times, past what the store reads in one go): after a restart every event
 * still counts, read a row at a time, and what the message shows is the same.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ACTIONS_AT_ONCE } from '../main/store/messages.js'
import { cleanup, startPeer, stopPeer } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

describe('a message with more events than are read at once', () => {
  it('shows the same reactions and versions after a restart, every event read', async () => {
    const ann = await startPeer('ann')
    const m = await ann.engine.send('lobby', 'vote here')
    await ann.engine.edit('lobby', m.id, 'vote here, please')
    // One more than is read in one go: on and off, ending on; and another emoji put on once.
    for (let i = 0; i <= ACTIONS_AT_ONCE; i++) await ann.engine.react('lobby', m.id, '👍', i % 2 === 0)
    await ann.engine.react('lobby', m.id, '🎉')
    await ann.engine.edit('lobby', m.id, 'vote here, please!')
    const before = ann.engine.history('lobby').find(v => v.id === m.id)
    expect(before).toMatchObject({ text: 'vote here, please!', edited: true, reactions: [{ emoji: '🎉', by: [ann.engine.peerId] }, { emoji: '👍', by: [ann.engine.peerId] }] })
    await stopPeer(ann)

    const again = await startPeer('ann', { dataDir: ann.dataDir })
    const after = again.engine.history('lobby').find(v => v.id === m.id)
    expect(after).toMatchObject({ text: before!.text, edited: true, reactions: before!.reactions })
    expect(again.engine.versions(m.id).map(v => v.text)).toEqual(['vote here', 'vote here, please', 'vote here, please!'])
  }, 120_000)
})
