/**
 * Direct messages, end to end encrypted (issue 16), over real engines on
 * loopback: what the two people read, and what everyone else holds — on
 * disk, on the wire and on screen.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { parseLine, answerOf } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'
import { dmRoom, associatedData, seal } from '../main/chat/private.js'
import type { ChatMessage } from '../main/core/message.js'
import { encodeBody, hashBody, messageFromBody, UNSIGNED, withBody } from '../main/net/codec.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { filesOf, holds, capture } from './helpers/plaintext.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until, type TestPeer, lineUp } from './helpers/peers.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const texts = (p: TestPeer, room: string): string[] => p.engine.history(room).map(m => m.text)
const messageEvents = (p: TestPeer): Array<{ text: string, room: string, to?: string }> =>
  p.events.flatMap(e => e.type === 'message' ? [e] : [])

describe('direct messages over the mesh', () => {
  it('A and C talk through B (A–B–C): they read everything in order; B relays and stores only ciphertext and shows nothing', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    const bFrames = capture(b)
    await lineUp(a, b, c)

    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    const first = await a.engine.send('', 'secret pineapple one', { to: c.engine.peerId })
    expect(first).toMatchObject({ text: 'secret pineapple one', private: true, to: c.engine.peerId, room })
    expect(first).not.toHaveProperty('sealed')
    await until('c has it', () => texts(c, room).length === 1)
    const reply = await c.engine.send('', 'secret pineapple two', { to: a.engine.peerId, replyTo: first.id })
    await until('a has the reply', () => texts(a, room).length === 2)
    await a.engine.send('', 'secret pineapple three', { to: c.engine.peerId })
    await a.engine.send('lobby', 'public hello')
    await until('c has all', () => texts(c, room).length === 3 && c.delivered().includes('public hello'))
    await until('b relayed the public one', () => b.delivered().includes('public hello'))

    const order = ['secret pineapple one', 'secret pineapple two', 'secret pineapple three']
    expect(texts(a, room)).toEqual(order)
    expect(texts(c, room)).toEqual(order)
    expect(c.engine.history(room)[1]).toMatchObject({ author: c.engine.peerId, replyTo: first.id, private: true })
    expect(messageEvents(c).filter(m => m.room === room).map(m => m.text)).toEqual(order)
    expect(c.engine.dms()).toEqual([expect.objectContaining({ peerId: a.engine.peerId, name: 'ann', room })])
    expect(a.engine.dms()).toEqual([expect.objectContaining({ peerId: c.engine.peerId, room })])
    // Neither lists the DM room among rooms.
    expect(a.engine.rooms()).not.toContain(room)

    // B: relayed and stored, but nothing shown, listed or readable.
    expect(b.events.filter(e => e.type === 'message')).toEqual([expect.objectContaining({ text: 'public hello' })])
    expect(b.engine.history(room)).toEqual([])
    expect(b.engine.dms()).toEqual([])
    expect(b.engine.rooms()).not.toContain(room)
    expect(b.engine.stats().relayed).toBeGreaterThanOrEqual(3)
    await stopPeer(b)
    const disk = filesOf(b.dataDir)
    expect(holds(disk, room)).toBe(true)
    expect(holds(disk, 'public hello')).toBe(true)
    for (const t of [...order, 'secret pineapple']) expect(holds(disk, t), t).toBe(false)
    const wire = Buffer.concat(bFrames)
    expect(holds(wire, 'public hello')).toBe(true)
    expect(holds(wire, 'secret pineapple')).toBe(false)
    expect(reply.private).toBe(true)
  })

  it('C offline while A writes: catch-up through B delivers, in order, still sealed at B', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    let c = await startPeer('cat')
    await lineUp(a, b, c)
    const cId = c.engine.peerId
    const cDir = c.dataDir
    await stopPeer(c)
    for (const t of ['while away 1', 'while away 2', 'while away 3']) await a.engine.send('', t, { to: cId })
    // Ben writes to the wrong person, and deletes it before she is back: she gets its tombstone alone.
    const wrong = await b.engine.send('', 'oops, not for you', { to: cId })
    await b.engine.delete(wrong.room, wrong.id)
    await until('b has them', () => b.engine.stats().received >= 3)
    await stopPeer(a)
    c = await startPeer('cat', { dataDir: cDir })
    await c.engine.dial(b.addr())
    const room = dmRoom(a.engine.peerId, cId)
    await until('c caught up', () => texts(c, room).length === 3)
    expect(texts(c, room)).toEqual(['while away 1', 'while away 2', 'while away 3'])
    expect(b.engine.history(room)).toEqual([])
    // Nothing to read with Ben: no conversation listed with him, only with Ann.
    await until('c has ben\'s tombstone', () => c.engine.history(wrong.room).some(m => m.deleted === true))
    expect(c.engine.dms().map(d => d.name)).toEqual(['ann'])
  })

  it('a DM sealed to the wrong key is refused with a named error and not shown; the peer goes on; bad recipients are named errors', async () => {
    const c = await startPeer('cat')
    const d = await startPeer('dan')
    await d.engine.dial(c.addr())
    await until('linked', () => c.engine.peers().some(p => p.connected))

    // Dan signs a well-formed DM to Cat whose text is sealed with some other key.
    const ordering = d.engine.ordering!
    const room = dmRoom(d.engine.peerId, c.engine.peerId)
    const unsigned = {
      room, author: d.engine.peerId, name: 'dan', text: '', to: c.engine.peerId,
      sealed: seal(randomBytes(32), 'forged words', associatedData({ room, author: d.engine.peerId, to: c.engine.peerId })),
      lamport: d.engine.clock + 1, sentAt: Date.now(), ...ordering.place(undefined)
    }
    const body = encodeBody(unsigned)
    const forged: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
    await ordering.submit(forged).catch(() => undefined)
    await until('cat says so', () => c.events.some(e => e.type === 'error' && e.code === 'UnreadableMessageError'))
    expect(c.engine.history(room)).toEqual([])

    // Cat goes on: a real DM both ways in that conversation still works.
    await c.engine.send('', 'a real one', { to: d.engine.peerId })
    await until('dan reads it', () => texts(d, room).includes('a real one'))
    expect(texts(c, room)).toEqual(['a real one'])

    await expect(d.engine.send('', 'x', { to: 'not-a-peer' })).rejects.toMatchObject({ name: 'UnknownRecipientError' })
    await expect(d.engine.send('', 'x', { to: d.engine.peerId })).rejects.toMatchObject({ name: 'UnknownRecipientError' })
    await expect(d.engine.send(room, 'x')).rejects.toMatchObject({ name: 'InvalidRoomError' })
    expect(() => { d.engine.joinRoom(room) }).toThrow(expect.objectContaining({ name: 'InvalidRoomError' }))
  })

  it('refuses malformed private messages from the wire: a DM in plain text, plain text in a DM room, a DM to its author', async () => {
    const a = await startPeer('ann')
    const base = { author: a.engine.peerId, name: 'ann', lamport: 1, sentAt: 1, seq: 1, prev: '', deps: [] }
    const sealed = new Uint8Array(64)
    const room = dmRoom(a.engine.peerId, 'someone')
    const cases = [
      { ...base, room, text: 'plain', to: 'someone' },
      { ...base, room, text: '', to: 'someone' },
      { ...base, room, text: 'plain' },
      { ...base, room: 'lobby', text: '', sealed, to: 'someone' },
      { ...base, room, text: 'both', sealed, to: 'someone' },
      { ...base, room, text: '', sealed, to: a.engine.peerId },
      { ...base, room, text: '', sealed: new Uint8Array(40), to: 'someone' }
    ]
    for (const m of cases) {
      expect(() => messageFromBody(encodeBody(m), new Uint8Array(64)), JSON.stringify(m)).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    }
    expect(messageFromBody(encodeBody({ ...base, room, text: '', sealed, to: 'someone' }), new Uint8Array(64))).toMatchObject({ to: 'someone', text: '' })
  })

  it('the JSON contract ("to") and the terminal (/dm NAME text) send DMs through the shared dispatch', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await a.engine.dial(c.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const dispatch = dispatchOver(headlessOperations(a.engine))

    const json = parseLine(JSON.stringify({ cmd: 'send', to: c.engine.peerId, text: 'json dm' }))
    const sent = await dispatch(json.operation, json.payload)
    expect(sent).toMatchObject({ ok: true, value: { text: 'json dm', private: true } })
    const both = parseLine(JSON.stringify({ cmd: 'send', to: c.engine.peerId, room: 'lobby', text: 'x' }))
    expect(await dispatch(both.operation, both.payload)).toMatchObject({ ok: false, error: { name: 'InvalidRequestError' } })

    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    const typed = term.command('/dm Cat   typed  in a terminal')
    if (!('run' in typed)) throw new Error('not a command')
    expect(await dispatch(typed.run.operation, typed.run.payload)).toMatchObject({ ok: true })
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    await until('cat has both', () => texts(c, room).length === 2)
    expect(texts(c, room)).toEqual(['json dm', 'typed  in a terminal'])
    expect(() => term.command('/dm nobody hi')).toThrow(expect.objectContaining({ name: 'CommandError' }))

    const dms = parseLine('{"cmd":"dms"}')
    expect(answerOf(dms, await dispatch(dms.operation, dms.payload))).toMatchObject({ type: 'dms', dms: [{ peerId: c.engine.peerId, room }] })
    const line = term.format({ type: 'message', ...a.engine.history(room)[0]! })
    expect(line).toMatch(/\(dm to cat\) you: json dm$/)

    // A reply to a direct message, typed in the lobby, stays direct; the engine refuses one posted anywhere else.
    const first = a.engine.history(room)[0]!
    const reply = term.command(`/reply ${first.id.slice(0, 8)} still between us`)
    if (!('run' in reply)) throw new Error('not a command')
    expect(reply.run.payload).toEqual({ to: c.engine.peerId, replyTo: first.id, text: 'still between us' })
    expect(await dispatch(reply.run.operation, reply.run.payload)).toMatchObject({ ok: true })
    await until('cat has the reply', () => texts(c, room).includes('still between us'))
    await expect(a.engine.send('lobby', 'leaked reply', { replyTo: first.id })).rejects.toMatchObject({ name: 'InvalidMessageError', message: 'A reply goes in the conversation of the message it answers (a direct conversation), not #lobby.' })
    expect(a.engine.history('lobby').map(m => m.text)).not.toContain('leaked reply')
  })
})

describe('writing to someone blocked', () => {
  it('is refused, a message and a file, from the engine, JSON and the terminal; an own message there can still be deleted; unblocked, it goes', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await a.engine.dial(c.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    const before = await a.engine.send('', 'before the block', { to: c.engine.peerId })
    await until('cat has it', () => texts(c, room).length === 1)
    await a.engine.block(c.engine.peerId)

    const refused = { name: 'BlockedRecipientError', message: 'You blocked cat: unblock them to write to them.' }
    await expect(a.engine.send('', 'after the block', { to: c.engine.peerId })).rejects.toMatchObject(refused)
    const dir = tempDir('lanchat-share-')
    writeFileSync(join(dir, 'notes.txt'), 'for cat only')
    await expect(a.engine.sendFile('', join(dir, 'notes.txt'), { to: c.engine.peerId })).rejects.toMatchObject(refused)
    await expect(a.engine.sendFile(room, join(dir, 'notes.txt'))).rejects.toMatchObject(refused)
    const dispatch = dispatchOver(headlessOperations(a.engine))
    const json = parseLine(JSON.stringify({ cmd: 'send', to: c.engine.peerId, text: 'by json' }))
    expect(await dispatch(json.operation, json.payload)).toMatchObject({ ok: false, error: refused })
    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    const typed = term.command('/dm cat by the terminal')
    if (!('run' in typed)) throw new Error('not a command')
    expect(await dispatch(typed.run.operation, typed.run.payload)).toMatchObject({ ok: false, error: refused })
    expect(texts(a, room)).toEqual(['before the block'])
    // What we wrote before is still ours to take back.
    await expect(a.engine.delete(room, before.id)).resolves.toMatchObject({ deleted: true })

    await a.engine.unblock(c.engine.peerId)
    await a.engine.send('', 'after the unblock', { to: c.engine.peerId })
    await until('cat has it', () => texts(c, room).includes('after the unblock'))
  })

  it('is refused in client mode too, where the hub would relay it', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const ben = await startClient('ben', h.addr())
    await until('ann hears of ben', () => ann.engine.presence().some(p => p.peerId === ben.engine.peerId && p.state === 'online'))
    await ann.engine.block(ben.engine.peerId)
    await expect(ann.engine.send('', 'hi', { to: ben.engine.peerId })).rejects.toMatchObject({ name: 'BlockedRecipientError', message: 'You blocked ben: unblock them to write to them.' })
    await ann.engine.unblock(ben.engine.peerId)
    await ann.engine.send('', 'hi again', { to: ben.engine.peerId })
    const room = dmRoom(ann.engine.peerId, ben.engine.peerId)
    await until('ben has it', () => ben.engine.history(room).map(m => m.text).includes('hi again'))
    expect(ben.engine.history(room).map(m => m.text)).toEqual(['hi again'])
  })
})

describe('files in a direct conversation from bin/lanchat', () => {
  it('the JSON contract ("file" with "to") and the terminal (/file @NAME PATH) send a file sealed for one peer', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat', { files: { downloadsDir: tempDir('lanchat-dl-cat-') } })
    await a.engine.dial(c.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const dispatch = dispatchOver(headlessOperations(a.engine))
    const dir = tempDir('lanchat-share-')
    const report = randomBytes(70_000)
    writeFileSync(join(dir, 'q3 report.pdf'), report)
    writeFileSync(join(dir, 'notes.txt'), 'for cat only')

    const json = parseLine(JSON.stringify({ cmd: 'file', to: c.engine.peerId, path: join(dir, 'notes.txt') }))
    expect(await dispatch(json.operation, json.payload)).toMatchObject({ ok: true, value: { private: true, file: { name: 'notes.txt' } } })
    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    // A quoted path with a space, as a file dropped on the terminal arrives.
    const typed = term.command(`/file @Cat "${join(dir, 'q3 report.pdf')}"`)
    if (!('run' in typed)) throw new Error('not a command')
    expect(await dispatch(typed.run.operation, typed.run.payload)).toMatchObject({ ok: true, value: { private: true } })
    expect(() => term.command('/file @Cat')).toThrow(/^usage: \/file @NAME PATH/)
    expect(() => term.command(`/file @nobody ${join(dir, 'notes.txt')}`)).toThrow(expect.objectContaining({ name: 'CommandError' }))

    // Cat reads both in the conversation, by their real names, and gets the very bytes.
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    await until('cat has both', () => c.engine.history(room).filter(m => m.file !== undefined).length === 2)
    const shared = c.engine.history(room).filter(m => m.file !== undefined)
    expect(shared.map(m => m.file!.name)).toEqual(['notes.txt', 'q3 report.pdf'])
    expect(readFileSync(await c.engine.download(shared[1]!.id)).equals(report)).toBe(true)
    // Nobody else's history has it in the clear: the lobby has no file, and the message on the wire was sealed.
    expect(a.engine.history('lobby')).toEqual([])
  })
})

describe('/dm in the terminal', () => {
  it('takes a display name with spaces, the longest one met that the line starts with', () => {
    const term = new Terminal(() => 'me')
    const ann = `12D3KooW${'A'.repeat(44)}`
    const annLee = `12D3KooW${'B'.repeat(44)}`
    term.format({ type: 'peers', peers: [{ peerId: ann, name: 'Ann', addrs: [], connected: true, connections: [] }, { peerId: annLee, name: 'Ann Lee', addrs: [], connected: true, connections: [] }] } as never)
    const payload = (line: string): unknown => {
      const typed = term.command(line)
      if (!('run' in typed)) throw new Error(`not a command: ${line}`)
      return typed.run.payload
    }
    expect(payload('/dm Ann Lee lunch at  noon?')).toEqual({ to: annLee, text: 'lunch at  noon?' })
    expect(payload('/dm ann lee hi')).toEqual({ to: annLee, text: 'hi' })
    expect(payload('/dm Ann Leeds is far')).toEqual({ to: ann, text: 'Leeds is far' })
    expect(payload(`/dm ${annLee} by id`)).toEqual({ to: annLee, text: 'by id' })
    expect(() => term.command('/dm Ann Lee')).toThrow(/^usage: \/dm NAME TEXT/)
    // /msg, as IRC spells it, is the same command.
    expect(payload('/msg Ann Lee see you  there')).toEqual({ to: annLee, text: 'see you  there' })
    expect(() => term.command('/msg Ann')).toThrow(/^usage: \/msg NAME TEXT/)
  })
})

describe('direct messages in client–server mode', () => {
  it('a conversation opened and not written in yet is listed again after a restart, in either mode', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    await connect(ann, bob)
    await until('bob known to ann', () => ann.engine.peers().some(p => p.peerId === bob.engine.peerId && p.name === 'bob'))
    ann.engine.openDm(bob.engine.peerId)
    ann.engine.openDm(bob.engine.peerId)
    expect(ann.engine.dms().map(d => d.peerId)).toEqual([bob.engine.peerId])
    await stopPeer(ann)
    await stopPeer(bob)
    const again = await startPeer('ann', { dataDir: ann.dataDir })
    // Listed once, by the name it was known under, with nothing written in it.
    expect(again.engine.dms()).toEqual([expect.objectContaining({ peerId: bob.engine.peerId, name: 'bob', room: dmRoom(ann.engine.peerId, bob.engine.peerId) })])
    expect(again.engine.history(again.engine.dms()[0]!.room)).toEqual([])
    await stopPeer(again)

    // A client likewise (each mode keeps its own conversations).
    const h = await startHub()
    const cat = await startClient('cat', h.addr())
    const dan = await startClient('dan', h.addr())
    await until('both connected', () => cat.engine.connected && dan.engine.connected)
    cat.engine.openDm(dan.engine.peerId)
    await stopClient(cat)
    const cat2 = await startClient('cat', h.addr(), { dataDir: cat.dataDir })
    expect(cat2.engine.dms().map(d => d.peerId)).toEqual([dan.engine.peerId])
  })

  it('a closed conversation is not listed, also after a restart, until one of the two writes in it again or it is opened', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    await connect(ann, bob)
    await ann.engine.send('', 'lunch?', { to: bob.engine.peerId })
    await until('bob has it', () => bob.engine.dms().length === 1)
    // Closed through the JSON contract, as the terminal's /close does it.
    const term = new Terminal(() => ann.engine.peerId)
    term.format({ type: 'peers', peers: ann.engine.peers() })
    const typed = term.command('/close bob')
    if (!('run' in typed)) throw new Error('not a command')
    const answer = answerOf(typed.run, await dispatchOver(headlessOperations(ann.engine))(typed.run.operation, typed.run.payload))
    expect(answer).toEqual({ type: 'dms', dms: [] })
    expect(term.format(answer!)).toBe('(no direct messages)')
    // Closed already: a script's close-dm is refused, naming whom, as /close says it (nothing closed again).
    const closing = parseLine(JSON.stringify({ cmd: 'close-dm', peerId: bob.engine.peerId }))
    expect(answerOf(closing, await dispatchOver(headlessOperations(ann.engine))(closing.operation, closing.payload))).toEqual({ type: 'error', code: 'NotListedError', message: 'You have no conversation with bob listed: nothing to close.' })
    // Its history stays; the other side's list is its own.
    expect(texts(ann, dmRoom(ann.engine.peerId, bob.engine.peerId))).toEqual(['lunch?'])
    expect(bob.engine.dms()).toHaveLength(1)
    // The terminal reads it with /history @NAME; /history NAME, a room nobody wrote in, says so.
    const read = async (line: string): Promise<string | undefined> => {
      const t = term.command(line)
      if (!('run' in t)) throw new Error('not a command')
      return term.format(answerOf(t.run, await dispatchOver(headlessOperations(ann.engine))(t.run.operation, t.run.payload))!)
    }
    expect(await read('/history @bob')).toMatch(/\(dm to bob\) you: lunch\?$/)
    expect(await read('/history bob')).toBe('(no messages in #bob: /history @bob reads your direct messages with bob)')

    await stopPeer(ann)
    const again = await startPeer('ann', { dataDir: ann.dataDir })
    expect(again.engine.dms()).toEqual([])
    await connect(again, bob)
    await bob.engine.send('', 'yes, at noon', { to: again.engine.peerId })
    await until('listed again once bob wrote', () => again.engine.dms().some(d => d.peerId === bob.engine.peerId))

    // Closed again; opening it lists it at once, with nothing new written.
    expect(again.engine.closeDm(bob.engine.peerId)).toEqual([])
    again.engine.openDm(bob.engine.peerId)
    expect(again.engine.dms().map(d => d.peerId)).toEqual([bob.engine.peerId])
    // A conversation opened and closed before anyone wrote stays closed after a restart.
    const cat = await startPeer('cat')
    again.engine.openDm(cat.engine.peerId)
    again.engine.closeDm(cat.engine.peerId)
    await stopPeer(again)
    const third = await startPeer('ann', { dataDir: ann.dataDir })
    expect(third.engine.dms().map(d => d.peerId)).toEqual([bob.engine.peerId])
  })

  it('a closed conversation with someone blocked stays closed while only they write in it; unblocked, it is listed again', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const cat = await startClient('cat', h.addr())
    await until('both connected', () => ann.engine.connected && cat.engine.connected)
    await cat.engine.send('', 'hi ann', { to: ann.engine.peerId })
    await until('listed', () => ann.engine.dms().length === 1)
    const dan = await startClient('dan', h.addr())
    await until('dan connected', () => dan.engine.connected)
    await dan.engine.send('', 'lunch?', { to: ann.engine.peerId })
    await until('dan listed on top', () => ann.engine.dms().map(d => d.name).join() === 'dan,cat')
    await ann.engine.block(cat.engine.peerId)
    // What cat writes now is folded: it does not move her conversation up.
    await cat.engine.send('', 'are you there?', { to: ann.engine.peerId })
    await until('ann has it, folded', () => ann.engine.history(dmRoom(ann.engine.peerId, cat.engine.peerId)).some(m => m.text === 'are you there?'))
    expect(ann.engine.dms().map(d => d.name)).toEqual(['dan', 'cat'])
    expect(ann.engine.closeDm(cat.engine.peerId).map(d => d.name)).toEqual(['dan'])
    await cat.engine.send('', 'answer me', { to: ann.engine.peerId })
    const room = dmRoom(ann.engine.peerId, cat.engine.peerId)
    await until('ann has it, folded', () => ann.engine.history(room).some(m => m.text === 'answer me'))
    expect(ann.engine.dms().map(d => d.name)).toEqual(['dan'])
    await ann.engine.unblock(cat.engine.peerId)
    expect(ann.engine.dms().map(d => d.name)).toEqual(['cat', 'dan'])
  })

  it('conversations are listed newest first, by when their newest message arrived here, also after a restart', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    const cat = await startPeer('cat')
    await connect(bob, ann)
    await connect(cat, ann)
    const order = (): string[] => ann.engine.dms().map(d => d.name)
    await bob.engine.send('', 'first', { to: ann.engine.peerId })
    await until('bob listed', () => order().includes('bob'))
    await cat.engine.send('', 'second', { to: ann.engine.peerId })
    await until('cat listed', () => order().includes('cat'))
    expect(order()).toEqual(['cat', 'bob'])
    const [newest] = ann.engine.dms()
    expect(newest!.lastAt).toBe(ann.engine.history(newest!.room).at(-1)!.deliveredAt)
    // Bob writes again: on top.
    await new Promise(resolve => setTimeout(resolve, 5))
    await bob.engine.send('', 'third', { to: ann.engine.peerId })
    await until('bob on top', () => order()[0] === 'bob')
    expect(order()).toEqual(['bob', 'cat'])
    // One opened and not written in comes last (nothing arrived in it).
    const dan = await startPeer('dan')
    ann.engine.openDm(dan.engine.peerId)
    expect(ann.engine.dms().at(-1)).toMatchObject({ peerId: dan.engine.peerId, lastAt: 0 })
    await stopPeer(ann)
    const again = await startPeer('ann', { dataDir: ann.dataDir })
    expect(again.engine.dms().map(d => d.peerId)).toEqual([bob.engine.peerId, cat.engine.peerId, dan.engine.peerId])
  })

  it('the hub is listed as the server and cannot be written to privately: a named error, nothing sent', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    await until('connected', () => a.engine.connected)
    const hubId = a.engine.peers().find(p => p.hub === true)?.peerId
    expect(hubId).toBe(h.hub.peerId)
    expect(() => a.engine.openDm(hubId!)).toThrow(expect.objectContaining({ name: 'UnknownRecipientError', message: expect.stringMatching(/hub.*not a person/) }))
    await expect(a.engine.send('', 'to whom?', { to: hubId! })).rejects.toMatchObject({ name: 'UnknownRecipientError' })
    expect(a.engine.dms()).toEqual([])
    expect(a.events.filter(e => e.type === 'message')).toEqual([])
  })

  it('the hub numbers and relays DMs it cannot read; its database holds only ciphertext; other clients see nothing', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const b = await startClient('ben', h.addr())
    const c = await startClient('cat', h.addr())
    await until('all connected', () => [a, b, c].every(x => x.engine.connected))
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    await a.engine.send('', 'hub cannot read this', { to: c.engine.peerId })
    await until('c has the first', () => c.engine.history(room).length === 1)
    await c.engine.send('', 'nor this answer', { to: a.engine.peerId })
    await a.engine.send('lobby', 'public via hub')
    await until('b has the public one', () => b.delivered().some(m => m.text === 'public via hub'))
    await until('c has both', () => c.engine.history(room).length === 2)
    expect(c.engine.history(room).map(m => m.text)).toEqual(['hub cannot read this', 'nor this answer'])
    const seqs = c.engine.history(room).map(m => m.seq!)
    expect(seqs[0]).toBe(1)
    expect(seqs[1]).toBeGreaterThan(1)
    expect(a.engine.history(room).map(m => m.text)).toEqual(['hub cannot read this', 'nor this answer'])
    expect(b.delivered().map(m => m.text)).toEqual(['public via hub'])
    expect(b.engine.history(room)).toEqual([])
    expect(c.engine.dms()).toEqual([expect.objectContaining({ peerId: a.engine.peerId, room })])
    // Search finds them for the two, with the hub's numbers, and not for another client of the hub.
    expect(c.engine.search('answer').map(hit => [hit.room, hit.seq, hit.snippet])).toEqual([[room, seqs[1], 'nor this [answer]']])
    expect(b.engine.search('answer')).toEqual([])

    const hubView = h.hub.history(room)
    expect(hubView.map(m => [m.seq, m.text, m.private])).toEqual([[seqs[0], '', true], [seqs[1], '', true]])
    expect(JSON.stringify(h.events)).not.toMatch(/cannot read|answer/)
    await cleanupHubs()
    const disk = filesOf(h.dataDir)
    expect(holds(disk, 'public via hub')).toBe(true)
    expect(holds(disk, room)).toBe(true)
    for (const t of ['hub cannot read this', 'nor this answer']) expect(holds(disk, t), t).toBe(false)
    expect(holds(filesOf(b.dataDir), 'hub cannot read')).toBe(false)
  })
})
