/**
 * Forwarding a message to another conversation, over real engines on loopback, through the same
 * dispatch (schemas included) the CLI and the window drive: what the target's members read (the
 * forwarder's message, quoting whose words and from where), the confirm a private message asks
 * before others read it, and a file shared again from the copy on this computer.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageView } from '../main/chat/types.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { MAX_TEXT_BYTES } from '../main/core/limits.js'
import { forwardText, forwardWarning } from '../main/core/forward.js'
import { answerOf, parseLine } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'
import { CRASH_LEFTOVER_MS } from '../main/store/blobs.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

type Answer = { ok: true, value: MessageView & { truncated?: true } } | { ok: false, error: { name: string, message: string } }
const forward = async (p: TestPeer, request: Record<string, unknown>): Promise<Answer> => await dispatchOver(headlessOperations(p.engine))('forward', request) as Answer
const got = (p: TestPeer, room: string): MessageView[] => p.engine.history(room)
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

async function filePeer (name: string): Promise<TestPeer & { downloads: string }> {
  const downloads = tempDir(`lanchat-dl-${name}-`)
  return Object.assign(await startPeer(name, { files: { downloadsDir: downloads, stallMs: 3_000 } }), { downloads })
}

describe('forwarding a message', () => {
  it('a public message forwarded to a person reaches them as the forwarder\'s direct message, quoting whose words and from where; no confirm asked', async () => {
    const [ann, ben, cat] = [await startPeer('Ann'), await startPeer('Ben'), await startPeer('Cat')]
    await connect(ann, ben)
    await connect(ben, cat)
    await connect(ann, cat)
    ben.engine.joinRoom('general')
    const original = await ann.engine.send('general', 'Lunch is at **one**, in the big room')
    await until('ben has it', () => got(ben, 'general').some(m => m.id === original.id))

    const sent = await forward(ben, { id: original.id, to: cat.engine.peerId, comment: 'see this' })
    expect(sent.ok).toBe(true)
    const view = (sent as { value: MessageView }).value
    const room = view.room
    expect(room.startsWith('dm:')).toBe(true)
    await until('cat has the forward', () => got(cat, room).some(m => m.id === view.id))
    const there = got(cat, room).find(m => m.id === view.id)!
    // The forwarder's own message, signed by them, sealed for cat alone; the words as Ann wrote them.
    expect(there).toMatchObject({ author: ben.engine.peerId, name: 'Ben', private: true, text: 'see this\n\nForwarded from Ann in #general:\nLunch is at **one**, in the big room' })
    // Nobody else reads it: Ann has no such message.
    expect(ann.engine.history(room)).toEqual([])
  })

  it('a direct message forwarded into a room is refused until confirmed, saying who will read it; nothing goes before', async () => {
    const [ann, ben, cat] = [await startPeer('Ann'), await startPeer('Ben'), await startPeer('Cat')]
    await connect(ann, ben)
    await connect(ben, cat)
    await connect(ann, cat)
    cat.engine.joinRoom('general')
    const secret = await ann.engine.send('', 'the door code is 4417', { to: ben.engine.peerId })
    await until('ben has the DM', () => got(ben, secret.room).some(m => m.id === secret.id))

    const refused = await forward(ben, { id: secret.id, room: 'general' })
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ name: 'ForwardConfirmError', message: 'People in #general will read what Ann wrote to you privately.' }) })
    // To Cat in a DM of their own: she did not read it before either.
    expect(await forward(ben, { id: secret.id, to: cat.engine.peerId })).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError', message: 'Cat will read what Ann wrote to you privately.' } })
    // Back into the same conversation it came from: nobody new reads it.
    expect(await forward(ben, { id: secret.id, to: ann.engine.peerId })).toMatchObject({ ok: true })
    // A message after the refusals: once Cat has it, what was refused would have come before.
    await ben.engine.send('general', 'marker')
    await until('cat has the marker', () => got(cat, 'general').some(m => m.text === 'marker'))
    expect(got(cat, 'general').map(m => m.text)).toEqual(['marker'])

    const confirmed = await forward(ben, { id: secret.id, room: 'general', confirm: true })
    expect(confirmed.ok).toBe(true)
    await until('cat has the forward', () => got(cat, 'general').length === 2)
    expect(got(cat, 'general')[1]).toMatchObject({ author: ben.engine.peerId, text: 'Forwarded from Ann in a direct message:\nthe door code is 4417' })
    expect(got(cat, 'general')[1]!.private).toBeUndefined()
  })

  it('an invite-only room\'s message needs no confirm to a member, one to someone outside it', async () => {
    const [ann, ben, cat] = [await startPeer('Ann'), await startPeer('Ben'), await startPeer('Cat')]
    await connect(ann, ben)
    await connect(ben, cat)
    await connect(ann, cat)
    const { room } = await ann.engine.createPrivateRoom('Board')
    await ben.engine.joinInvite(ann.engine.invite(room))
    await until('ann sees ben join', () => ann.engine.privateRoom(room).members.length === 2)
    const said = await ann.engine.send(room, 'budget is 40k')
    await until('ben has it', () => got(ben, room).some(m => m.id === said.id))
    // Ann is a member: a DM with her widens nothing.
    const toAnn = await forward(ben, { id: said.id, to: ann.engine.peerId })
    expect(toAnn).toMatchObject({ ok: true, value: { text: 'Forwarded from Ann in Board (invite-only):\nbudget is 40k' } })
    expect(await forward(ben, { id: said.id, to: cat.engine.peerId })).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError', message: 'Cat will read what Ann wrote in Board, an invite-only room.' } })
  })

  it('an invitation forwarded out of a DM says that whoever reads it can join the room', async () => {
    const [ann, ben, cat] = [await startPeer('Ann'), await startPeer('Ben'), await startPeer('Cat')]
    await connect(ann, ben)
    await connect(ben, cat)
    const { room } = await ann.engine.createPrivateRoom('Board')
    const code = await ann.engine.sendInvite(room, ben.engine.peerId)
    const dm = (p: TestPeer): MessageView | undefined => p.engine.dms().flatMap(d => got(p, d.room)).find(m => m.text === code)
    await until('ben has the invitation', () => dm(ben) !== undefined)
    expect(await forward(ben, { id: dm(ben)!.id, to: cat.engine.peerId })).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError', message: 'Cat will read what Ann wrote to you privately. It is an invitation: whoever reads it can join Board and read what is said there.' } })
  })

  it('into an invite-only room whose invite is out to someone not yet joined: asks first, as they will read it once they join', async () => {
    const [ann, ben, zed] = [await startPeer('Ann'), await startPeer('Ben'), await startPeer('Zed')]
    await connect(ann, ben)
    await connect(ann, zed)
    await connect(ben, zed)
    const { room } = await ann.engine.createPrivateRoom('Board')
    const code = await ann.engine.sendInvite(room, zed.engine.peerId)
    expect(ann.engine.privateRoom(room)).toMatchObject({ members: [ann.engine.peerId], invited: [zed.engine.peerId] })
    const secret = await ben.engine.send('', 'my salary is 90k', { to: ann.engine.peerId })
    await until('ann has the DM', () => got(ann, secret.room).some(m => m.id === secret.id))

    const refused = await forward(ann, { id: secret.id, room })
    expect(refused).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError', message: 'The members of Board will read what Ben wrote to you privately.' } })
    // What asking spares: Zed, once joined, reads what is in the room.
    expect(got(ann, room)).toEqual([])
    const sent = await forward(ann, { id: secret.id, room, confirm: true })
    expect(sent).toMatchObject({ ok: true })
    await zed.engine.joinInvite(code)
    await until('zed reads the forward', () => got(zed, room).some(m => m.text.endsWith('my salary is 90k')))
  })

  it('words too long for one message with the quote are cut, ending in "…", and the answer says so; a public message needs no confirm anywhere', async () => {
    const ann = await startPeer('Ann')
    const long = 'é'.repeat(MAX_TEXT_BYTES / 2 - 10)
    const original = await ann.engine.send('lobby', long)
    const sent = await forward(ann, { id: original.id, room: 'random', comment: 'FYI' })
    expect(sent).toMatchObject({ ok: true, value: { truncated: true } })
    // A script that asked with a ref is told too.
    expect(answerOf({ ...parseLine(JSON.stringify({ cmd: 'forward', id: original.id, room: 'random', ref: 7 })) }, sent)).toMatchObject({ type: 'done', cmd: 'forward', room: 'random', truncated: true, ref: 7 })
    const text = (sent as { value: MessageView }).value.text
    expect(bytes(text)).toBeLessThanOrEqual(MAX_TEXT_BYTES)
    expect(text.startsWith('FYI\n\nForwarded from Ann in #lobby:\néé')).toBe(true)
    expect(text.endsWith('é…')).toBe(true)
    expect(got(ann, 'random').map(m => m.text)).toEqual([text])
    // A short one is whole, and the answer says nothing was cut.
    const short = await forward(ann, { id: (await ann.engine.send('lobby', 'hi')).id, room: 'random' })
    expect(short).toMatchObject({ ok: true })
    expect((short as { value: { truncated?: true } }).value.truncated).toBeUndefined()
  })

  it('a file is forwarded only from a copy on this computer: shared again, and the receiver\'s download matches the bytes', async () => {
    const [ann, ben, cat] = [await filePeer('Ann'), await filePeer('Ben'), await filePeer('Cat')]
    await connect(ann, ben)
    await connect(ben, cat)
    await connect(ann, cat)
    const content = randomBytes(300_000)
    const path = join(tempDir('lanchat-src-'), 'plans.bin')
    writeFileSync(path, content)
    const shared = await ann.engine.sendFile('lobby', path, { text: 'the plans' })
    await until('ben has the file message', () => got(ben, 'lobby').some(m => m.id === shared.id))

    // Not downloaded: nothing goes, and the answer says what to do.
    expect(await forward(ben, { id: shared.id, to: cat.engine.peerId })).toMatchObject({ ok: false, error: { name: 'NoFileError', message: 'plans.bin is not on this computer: download it first to forward it' } })
    await ben.engine.download(shared.id)

    const sent = await forward(ben, { id: shared.id, to: cat.engine.peerId, comment: 'from Ann' })
    expect(sent).toMatchObject({ ok: true, value: { author: ben.engine.peerId, private: true, text: 'from Ann\n\nForwarded from Ann in #lobby:\nthe plans', file: { name: 'plans.bin', size: content.length } } })
    const id = (sent as { value: MessageView }).value.id
    const room = (sent as { value: MessageView }).value.room
    await until('cat has the forwarded file', () => got(cat, room).some(m => m.id === id))
    const saved = await cat.engine.download(id)
    expect(readFileSync(saved).equals(content)).toBe(true)

    // The sharer's own file (and a private one, decrypted for the share alone) goes too: Cat's copy of Ben's DM file into #lobby.
    const again = await forward(cat, { id, room: 'lobby', confirm: true })
    expect(again).toMatchObject({ ok: true, value: { text: 'Forwarded from Ben in a direct message:\nfrom Ann\n\nForwarded from Ann in #lobby:\nthe plans' } })
    const ownAgain = await forward(ann, { id: shared.id, room: 'random' })
    expect(ownAgain).toMatchObject({ ok: true, value: { file: { name: 'plans.bin' } } })
    await until('ann has cat\'s forward', () => got(ann, 'lobby').some(m => m.id === (again as { value: MessageView }).value.id))
    expect(readFileSync(await ann.engine.download((again as { value: MessageView }).value.id, tempDir('lanchat-dl-again-'))).equals(content)).toBe(true)
  })

  it('the copy a private file is decrypted into for a forward, left by a power cut during the share, is removed like a share\'s own copies', async () => {
    const ben = await startPeer('Ben')
    await stopPeer(ben)
    // What a power cut in the middle of forwarding a DM's file leaves: its words in the clear, in the data directory.
    const left = join(ben.dataDir, 'files', 'forward-0123456789ab.tmp')
    writeFileSync(left, 'PRIVATE PLAINTEXT '.repeat(1000))
    const old = new Date(Date.now() - CRASH_LEFTOVER_MS - 3600_000)
    utimesSync(left, old, old)
    const again = await startPeer('Ben', { dataDir: ben.dataDir })
    await again.engine.fileStorage()
    expect(existsSync(left)).toBe(false)
  })

  it('the JSON command and the terminal\'s /forward make the same request; a refused private forward is sent by /forward yes', async () => {
    const cmd = parseLine('{"cmd":"forward","id":"' + 'a'.repeat(64) + '","to":"12D3KooWabc","comment":"fyi","confirm":true}')
    expect(cmd).toMatchObject({ operation: 'forward', payload: { id: 'a'.repeat(64), to: '12D3KooWabc', comment: 'fyi', confirm: true } })
    expect(() => parseLine('{"cmd":"forward","id":"x","target":"#general"}')).toThrow(/does not take "target"/)

    const [ann, ben] = [await startPeer('Ann'), await startPeer('Ben')]
    await connect(ann, ben)
    const term = new Terminal(() => ben.engine.peerId, () => 'Ben')
    const dispatch = dispatchOver(headlessOperations(ben.engine))
    const secret = await ann.engine.send('', 'psst', { to: ben.engine.peerId })
    await until('ben has it', () => got(ben, secret.room).some(m => m.id === secret.id))
    term.format({ type: 'message', ...got(ben, secret.room)[0]! })
    const typed = term.command(`/forward ${secret.id.slice(0, 8)} #general heads up`)
    expect('run' in typed && typed.run.payload).toEqual({ id: secret.id, room: 'general', comment: 'heads up' })
    const run = (typed as { run: ReturnType<typeof parseLine> }).run
    const result = await dispatch(run.operation, run.payload)
    expect(answerOf(run, result)).toMatchObject({ type: 'error', code: 'ForwardConfirmError', message: 'People in #general will read what Ann wrote to you privately.' })
    expect(term.hint(run, (result as { ok: false, error: { name: string, message: string } }).error)).toMatch(/\/forward yes/)
    expect(got(ben, 'general')).toEqual([])
    const yes = term.command('/forward yes')
    const again = (yes as { run: ReturnType<typeof parseLine> }).run
    expect(again.payload).toEqual({ id: secret.id, room: 'general', comment: 'heads up', confirm: true })
    expect(await dispatch(again.operation, again.payload)).toMatchObject({ ok: true })
    expect(got(ben, 'general').map(m => m.text)).toEqual(['heads up\n\nForwarded from Ann in a direct message:\npsst'])
    // @NAME: to a person, as /dm names one.
    term.format({ type: 'peer:connect', peerId: ann.engine.peerId, name: 'Ann' } as never)
    const toAnn = term.command(`/forward ${secret.id.slice(0, 8)} @Ann`)
    expect('run' in toAnn && toAnn.run.payload).toEqual({ id: secret.id, to: ann.engine.peerId })
  })
})

describe('the forward text and its confirm (core)', () => {
  it('names the place a private message came from, and who will read it', () => {
    const dm = { kind: 'dm', with: 'Ann', peerId: 'A' } as const
    expect(forwardText({ name: 'Ann', from: dm, text: 'x' }).text).toBe('Forwarded from Ann in a direct message:\nx')
    expect(forwardWarning({ from: dm, to: { kind: 'room', room: 'general' }, self: 'B', author: 'B', name: 'Ben' })).toBe('People in #general will read what you wrote to Ann privately.')
    expect(forwardWarning({ from: { kind: 'room', room: 'lobby' }, to: { kind: 'room', room: 'general' }, self: 'B', author: 'A', name: 'Ann' })).toBeUndefined()
    expect(forwardWarning({ from: dm, to: { kind: 'private', name: 'Pair', members: ['A', 'B'] }, self: 'B', author: 'A', name: 'Ann' })).toBeUndefined()
  })
})
