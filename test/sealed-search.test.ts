/**
 * Search finds what is sealed on disk (direct messages, invite-only rooms)
 * for those who can read it, over real engines on loopback: by whole words
 * and a last-word prefix, without regard to case or accents, as edited and
 * not once deleted, in one conversation when asked, merged newest first with
 * the public rooms' hits; a relay that holds the ciphertext finds nothing,
 * and nothing of it reaches the full-text index.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { stamp, Terminal } from '../main/app/terminal.js'
import { sealedMatcher } from '../main/chat/sealed-search.js'
import { bracketed } from '../main/core/snippet.js'
import { filesOf, holds } from './helpers/plaintext.js'
import { cleanup, connect, startPeer, until, lineUp } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

describe('searching sealed conversations', () => {
  it('finds a DM and a private room message for their readers only, edited text as edited, deleted ones not at all', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await lineUp(a, b, c)

    const dm = await a.engine.send('', 'The Café budget is due friday', { to: c.engine.peerId })
    const { room } = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room))
    const inRoom = await a.engine.send(room, 'board budget: approved')
    const gone = await a.engine.send(room, 'draft budget, ignore')
    const pub = await a.engine.send('lobby', 'public budget talk')
    await until('cat has them all', () => [dm, inRoom, gone, pub].every(m => c.engine.ordering!.isDelivered(m.id)) && c.engine.history(room).length === 2)
    await a.engine.delete(room, gone.id)
    await until('cat saw the delete', () => c.engine.history(room).some(m => m.id === gone.id && m.deleted === true))

    // Newest first, public and sealed together; the deleted one is not found.
    const found = c.engine.search('budget')
    expect(found.map(h => h.id)).toEqual([pub.id, inRoom.id, dm.id])
    expect(found.find(h => h.id === dm.id)).toMatchObject({ room: dm.room, author: a.engine.peerId, name: 'ann', snippet: 'The Café [budget] is due friday' })
    // Whole words, the last a prefix, case and accents aside.
    expect(c.engine.search('cafe BUDG').map(h => h.id)).toEqual([dm.id])
    expect(c.engine.search('budg due').map(h => h.id)).toEqual([])
    // One conversation when asked: the private room, the DM, a public room.
    expect(c.engine.search('budget', room).map(h => h.id)).toEqual([inRoom.id])
    expect(c.engine.search('budget', dm.room).map(h => h.id)).toEqual([dm.id])
    expect(c.engine.search('budget', 'lobby').map(h => h.id)).toEqual([pub.id])

    // An edit is found by its new words, not its old ones.
    await a.engine.edit(room, inRoom.id, 'board spending: approved')
    await until('cat has the edit', () => c.engine.history(room).some(m => m.text === 'board spending: approved'))
    expect(c.engine.search('spending').map(h => h.id)).toEqual([inRoom.id])
    expect(c.engine.search('budget').map(h => h.id)).toEqual([pub.id, dm.id])

    // A DM closed from the list is still searched, and its hit says with whom.
    c.engine.closeDm(a.engine.peerId)
    expect(c.engine.dms()).toEqual([])
    expect(c.engine.search('friday')).toMatchObject([{ id: dm.id, room: dm.room, dm: { peerId: a.engine.peerId, name: 'ann' } }])
    expect(c.engine.search('spending', room)[0]).not.toHaveProperty('dm')

    // Ben relayed all of it: he finds the public one only, and nothing sealed reached any index on disk.
    await until('ben has them', () => [dm, inRoom, pub].every(m => b.engine.ordering!.isDelivered(m.id)))
    expect(b.engine.search('budget').map(h => h.id)).toEqual([pub.id])
    expect(holds(filesOf(c.dataDir), 'Café budget')).toBe(false)
    expect(holds(filesOf(c.dataDir), 'spending')).toBe(false)

    // The same through the contract the app and the JSON host use, and as the terminal prints it.
    const answer = await dispatchOver(headlessOperations(c.engine))('search', { q: 'friday' })
    expect(answer).toMatchObject({ ok: true, value: [{ id: dm.id, room: dm.room }] })
    const term = new Terminal(() => c.engine.peerId)
    expect(term.format({ type: 'search', q: 'friday', hits: c.engine.search('friday') })).toBe(`(dm) L${dm.lamport} ${stamp(dm.sentAt)} ann: The Café budget is due [friday] [${dm.id.slice(0, 8)}]`)
    expect(term.format({ type: 'search', q: 'spending', hits: c.engine.search('spending') })).toMatch(new RegExp(`^\\(private ${room}\\) L\\d+ .+ ann: board \\[spending\\]: approved`))
  })

  it('finds a file shared in a DM or a private room by its caption or its name, as it finds a public one', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await connect(a, c)
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-sealed-file-'))
    const path = (name: string): string => { const p = join(dir, name); writeFileSync(p, `bytes of ${name}`); return p }
    const { room } = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room))
    const inRoom = await a.engine.sendFile(room, path('q3.xlsx'), { text: 'quarterly numbers' })
    const dm = await a.engine.sendFile('', path('travel-plan.pdf'), { to: c.engine.peerId })
    const pub = await a.engine.sendFile('lobby', path('menu.txt'), { text: 'quarterly lunch menu' })
    await until('cat has them all', () => [inRoom, dm, pub].every(m => c.engine.ordering!.isDelivered(m.id)))
    expect(c.engine.search('quarterly').map(h => h.id)).toEqual([pub.id, inRoom.id])
    // Without a caption its text is its name, in a DM as in the open.
    expect(c.engine.search('travel plan').map(h => h.id)).toEqual([dm.id])
    expect(c.engine.search('travel', dm.room)[0]).toMatchObject({ id: dm.id, snippet: '📎 [travel]-plan.pdf' })
    rmSync(dir, { recursive: true, force: true })
  })

  it('lets go of what it opened after a quiet spell; the next search opens it again and finds the same', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben', { sealedSearchIdleMs: 300 })
    await connect(a, b)
    const m = await a.engine.send('', 'the mango plan', { to: b.engine.peerId })
    await until('ben has it', () => b.engine.ordering!.isDelivered(m.id))
    expect(b.engine.stats().sealedSearchHeld).toBe(0)
    expect(b.engine.search('mango').map(h => h.id)).toEqual([m.id])
    expect(b.engine.stats().sealedSearchHeld).toBe(1)
    await until('let go after the quiet spell', () => b.engine.stats().sealedSearchHeld === 0, 5_000)
    expect(b.engine.search('mango').map(h => h.id)).toEqual([m.id])
  })

  it('matches as the index does: whole words but the last, a snippet of twelve words around the first match', () => {
    const matched = sealedMatcher('plan next')!
    const match = (text: string): string | undefined => { const m = matched(text); return m === undefined ? undefined : bracketed(m) }
    const text = 'Meet at the café tomorrow at noon, then we go to the office and talk about the plan for next week and more words after it'
    expect(match(text)).toBe('…talk about the [plan] for [next] week and more words after it')
    expect(match('the planning of next week')).toBeUndefined()
    expect(sealedMatcher('  ,; ')).toBeUndefined()
  })

  it('a Thai letter found without its vowel sign and tone mark is marked with them, not cut from them', () => {
    // กี่โมง: ก, then the vowel sign ี and the tone mark ่ drawn on it, then โมง.
    const found = sealedMatcher('\u0e01')!('\u0e01\u0e35\u0e48\u0e42\u0e21\u0e07')
    expect(bracketed(found!)).toBe('[\u0e01\u0e35\u0e48]\u0e42\u0e21\u0e07')
  })
})
