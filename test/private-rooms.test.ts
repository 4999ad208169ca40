/**
 * Invite-only rooms (issue 16) over real engines on loopback: an invite
 * code lets people in, a relay that is not a member holds only ciphertext,
 * a removed member reads what came before and nothing after, and only the
 * creator can remove.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { answerOf, parseLine, type RoomNames } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'
import { noteSentence } from '../main/core/room-note.js'
import { associatedData, dmRoom, open as openSealed, seal } from '../main/chat/private.js'
import { controlText } from '../main/chat/private-rooms.js'
import type { LamportOrdering } from '../main/chat/lamport.js'
import { onFrame } from '../main/chat/frames.js'
import { MAX_PAGE, type MessageView } from '../main/chat/types.js'
import type { ChatMessage } from '../main/core/message.js'
import { bodyOf, encodeBody, encodeFrame, hashBody, UNSIGNED, withBody, type Frame } from '../main/net/codec.js'
import { PeerStore } from '../main/store/peer-store.js'
import { MessageTable } from '../main/store/messages.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub, type TestClient, type TestHub } from './helpers/hub.js'
import { filesOf, holds } from './helpers/plaintext.js'
import { cleanup, keepApart, startPeer, stopPeer, until, type TestPeer, lineUp } from './helpers/peers.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

/** A peer's keys for `room`, as its data directory keeps them. */
const keysOf = (p: { dataDir: string }, room: string): string[] => (JSON.parse(readFileSync(join(p.dataDir, 'private-rooms.json'), 'utf8')) as Record<string, { keys: string[] } | undefined>)[room]?.keys ?? []
const texts = (p: { engine: TestPeer['engine'] }, room: string): string[] => p.engine.history(room).map(m => m.text)
const errors = (p: { events: TestPeer['events'] }, code: string): number => p.events.filter(e => e.type === 'error' && e.code === code).length
/** A private room's timeline as its window reads it: its notes as sentences (the author by name, `names` for the others), its messages as their words. */
const lines = (p: { engine: TestPeer['engine'] }, room: string, names: Record<string, string>): string[] =>
  p.engine.history(room, { notes: true }).map(m => m.note === undefined ? m.text : noteSentence(m.note, m.name, id => names[id] ?? id))

/** What a peer's engine told its hosts of `room`'s timeline (messages and notes), from event `from` on; and each as a short line. */
type Told = Extract<TestPeer['events'][number], { type: 'message' | 'note' }>
const toldOf = (p: { events: TestPeer['events'] }, room: string, from = 0): Told[] => p.events.slice(from).flatMap(e => (e.type === 'message' || e.type === 'note') && e.room === room ? [e] : [])
const toldLine = (e: Told): string => e.type === 'note' ? `note ${e.note?.t ?? ''}` : `message ${e.text}`

/** Three peers, the second and the third each linked to the first only (Ann, Cat and Dan unless named). */
async function annCatDanLinked (names: [string, string, string] = ['ann', 'cat', 'dan']): Promise<{ a: TestPeer, c: TestPeer, d: TestPeer }> {
  const a = await startPeer(names[0])
  const c = await startPeer(names[1])
  const d = await startPeer(names[2])
  await c.engine.dial(a.addr())
  await d.engine.dial(a.addr())
  await until('linked', () => a.engine.peers().filter(p => p.connected).length === 2)
  return { a, c, d }
}

/** Ann creates invite-only room `name`; Cat and Dan, each linked to Ann only, join it with her code; Ann and Dan list all three. */
async function annCatDan (name: string): Promise<{ a: TestPeer, c: TestPeer, d: TestPeer, room: string, code: string }> {
  const { a, c, d } = await annCatDanLinked()
  const { room } = await a.engine.createPrivateRoom(name)
  const code = a.engine.invite(room)
  await c.engine.joinInvite(code)
  await d.engine.joinInvite(code)
  await until('ann and dan see three members', () => [a, d].every(p => p.engine.privateRoom(room).members.length === 3))
  return { a, c, d, room, code }
}

/** A hub, three clients on it, and the first one's invite-only room `name` (nobody has joined it yet). */
async function hubRoom (names: [string, string, string], name: string): Promise<{ h: TestHub, port: string, clients: [TestClient, TestClient, TestClient], room: string, code: string }> {
  const h = await startHub()
  const port = h.addr().split('/')[4]!
  const clients: TestClient[] = []
  for (const n of names) clients.push(await startClient(n, h.addr()))
  await until('connected', () => clients.every(x => x.engine.connected))
  const { room } = await clients[0]!.engine.createPrivateRoom(name)
  return { h, port, clients: clients as [TestClient, TestClient, TestClient], room, code: clients[0]!.engine.invite(room) }
}

/**
 * Sign and hand over a message the engine would never make itself (the test plays a cheating member or a
 * stranger): next in the author's chain and stamped after everything it depends on, as the engine would,
 * unless `at` places it elsewhere.
 */
async function inject (p: TestPeer, room: string, key: Uint8Array | undefined, plaintext: string, at?: { seq: number, prev: string, deps: string[], lamport: number }): Promise<ChatMessage> {
  const ordering = p.engine.ordering!
  const placed = ordering.place(undefined)
  const past = [placed.prev, ...placed.deps].map(id => (ordering as LamportOrdering).causal.get(id)?.lamport ?? 0)
  const unsigned = {
    room, author: p.engine.peerId, name: p.engine.name,
    // Without a key: a message in a public room.
    ...(key === undefined ? { text: plaintext } : { text: '', sealed: seal(key, plaintext, associatedData({ room, author: p.engine.peerId })) }),
    lamport: Math.max(p.engine.clock, ...past) + 1, sentAt: Date.now(), ...placed, ...at
  }
  const body = encodeBody(unsigned)
  const m: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
  await ordering.submit(m).catch(() => undefined)
  return m
}

describe('invite-only rooms over the mesh', () => {
  it('an invite lets C in; A and C read everything in order; B (relay, no invite) shows nothing and holds only ciphertext', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    let c = await startPeer('cat')
    const wire: Buffer[] = []
    ;(b.engine.ordering!.transport as unknown as EventTarget).addEventListener('frame', (e) => {
      wire.push(Buffer.from(encodeFrame((e as CustomEvent<{ frame: Frame }>).detail.frame)))
    })
    await lineUp(a, b, c)

    const created = await a.engine.createPrivateRoom('Design')
    expect(created).toMatchObject({ name: 'Design', creator: a.engine.peerId, members: [a.engine.peerId], removed: false })
    const room = created.room
    await a.engine.send(room, 'plan alpha one')
    const joined = await c.engine.joinInvite(a.engine.invite(room))
    expect(joined).toMatchObject({ room, name: 'Design' })
    await until('c has the first', () => texts(c, room).includes('plan alpha one'))
    await c.engine.send(room, 'plan alpha two')
    await until('a has it', () => texts(a, room).includes('plan alpha two'))
    await a.engine.send(room, 'plan alpha three')
    await until('c has all', () => texts(c, room).length === 3)
    expect(texts(a, room)).toEqual(['plan alpha one', 'plan alpha two', 'plan alpha three'])
    expect(texts(c, room)).toEqual(texts(a, room))
    expect(c.engine.history(room).every(m => m.private === true)).toBe(true)
    expect(new Set(a.engine.privateRoom(room).members)).toEqual(new Set([a.engine.peerId, c.engine.peerId]))
    expect(a.engine.rooms()).not.toContain(room)
    // The keys outlive a restart.
    const cDir = c.dataDir
    await stopPeer(c)
    c = await startPeer('cat', { dataDir: cDir })
    expect(texts(c, room)).toEqual(texts(a, room))
    expect(holds(Buffer.concat(wire), 'plan alpha')).toBe(false)
    expect(wire.length).toBeGreaterThan(0)

    expect(b.engine.history(room)).toEqual([])
    expect(b.engine.privateRooms()).toEqual([])
    expect(b.events.filter(e => e.type === 'message')).toEqual([])
    expect(() => b.engine.privateRoom(room)).toThrow(expect.objectContaining({ name: 'NotAMemberError' }))
    await expect(b.engine.send(room, 'let me in')).rejects.toMatchObject({ name: 'NotAMemberError' })
    await stopPeer(b)
    const disk = filesOf(b.dataDir)
    expect(holds(disk, room)).toBe(true)
    for (const t of ['plan alpha', 'Design']) expect(holds(disk, t), t).toBe(false)
  })

  it('C offline while A writes in the room: catch-up through B (no invite) delivers, in order', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    let c = await startPeer('cat')
    await lineUp(a, b, c)
    const { room } = await a.engine.createPrivateRoom('Night shift')
    await c.engine.joinInvite(a.engine.invite(room))
    await until('a knows cat joined', () => a.engine.privateRoom(room).members.length === 2)
    const cDir = c.dataDir
    await stopPeer(c)
    for (const t of ['while away 1', 'while away 2', 'while away 3']) await a.engine.send(room, t)
    await until('b holds them', () => b.engine.stats().received >= 4)
    await stopPeer(a)
    c = await startPeer('cat', { dataDir: cDir })
    await c.engine.dial(b.addr())
    await until('c caught up', () => texts(c, room).length === 3)
    expect(texts(c, room)).toEqual(['while away 1', 'while away 2', 'while away 3'])
    expect(b.engine.history(room)).toEqual([])
  })

  it('removing a member: it keeps what came before, reads nothing after; the others get the new key by DM; its old invite no longer works', async () => {
    const { a, c, d, room, code } = await annCatDan('Team')
    await a.engine.send(room, 'before removal')
    await until('everyone has it', () => texts(c, room).includes('before removal') && texts(d, room).includes('before removal'))

    await d.engine.send('', 'a real dm', { to: a.engine.peerId })
    const after = await a.engine.removeMember(room, c.engine.peerId)
    expect(new Set(after.members)).toEqual(new Set([a.engine.peerId, d.engine.peerId]))
    expect(after.gone).toEqual([c.engine.peerId])
    await until('c knows', () => c.engine.privateRoom(room).removed)
    // Each terminal prints the change as one line once it printed the room: Dan sees Cat removed, Cat that it was.
    await until('dan hears of it', () => d.engine.privateRoom(room).members.length === 2)
    const printed = (p: TestPeer): string[] => {
      const term = new Terminal(() => p.engine.peerId)
      return p.events.flatMap(e => { const line = term.format(e); return e.type === 'private-room' && line !== undefined ? [line] : [] })
    }
    expect(printed(d).at(-1)).toMatch(new RegExp(`^\\* (cat|${c.engine.peerId}) was removed from private room "Team"$`))
    expect(printed(c).at(-1)).toBe('* you were removed from private room "Team"')
    await until('d has the new key', () => JSON.parse(readFileSync(join(d.dataDir, 'private-rooms.json'), 'utf8'))[room].keys.length === 2)
    const later = [await a.engine.send(room, 'after removal'), await d.engine.send(room, 'dan after removal')]
    await until('d reads both', () => texts(d, room).includes('after removal') && texts(d, room).includes('dan after removal'))
    await until('a reads dan', () => texts(a, room).includes('dan after removal'))
    await until('c has received them (sealed)', () => later.every(m => c.engine.ordering!.isDelivered(m.id)))
    expect(texts(c, room)).toEqual(['before removal'])
    // Asked with its notes, the room's timeline says who joined and that Ann removed Cat, in its place; the same on Cat's side.
    const timeline = (p: TestPeer): string[] => p.engine.history(room, { notes: true }).map(m => m.note === undefined ? m.text : `${m.name} ${m.note.t}${m.note.t === 'remove' ? ` ${m.note.peer === c.engine.peerId ? 'cat' : m.note.peer}` : ''}`)
    expect(new Set(timeline(d).slice(0, 2))).toEqual(new Set(['cat join', 'dan join']))
    expect(timeline(d).slice(2)).toEqual(['before removal', 'ann remove cat', ...timeline(d).slice(4)])
    expect(timeline(d).slice(4).sort()).toEqual(['after removal', 'dan after removal'])
    expect(timeline(c).slice(2)).toEqual(['before removal', 'ann remove cat'])
    // As it happened: a note event each (the window's line), and never a message event for it.
    for (const p of [c, d]) expect(p.events.filter(e => e.type === 'note' && e.room === room && e.note?.t === 'remove').map(e => e.type === 'note' ? e.note : undefined)).toEqual([{ t: 'remove', peer: c.engine.peerId }])
    expect(d.events.some(e => e.type === 'message' && e.room === room && e.text === '')).toBe(false)
    // Dan's terminal: /history in the room asks for its notes and prints them in their places, the room by its name.
    const dans = new Terminal(() => d.engine.peerId)
    for (const e of d.events) if (e.type === 'private-room') dans.format(e)
    const asked = dans.command(`/history ${room}`)
    if (!('run' in asked)) throw new Error('not a command')
    expect(asked.run.payload).toMatchObject({ room, notes: true })
    const page = answerOf(asked.run, await dispatchOver(headlessOperations(d.engine))(asked.run.operation, asked.run.payload))!
    const said = (dans.format(page) ?? '').split('\n').map(l => l.replace(/^\[[^\]]*\] /, ''))
    expect(said.slice(2, 4)).toEqual(['(private "Team") ann: before removal', '(private "Team") * ann removed cat'])
    expect(said.slice(0, 2).sort()).toEqual(['(private "Team") * cat joined the room', '(private "Team") * you joined the room'])
    expect(errors(c, 'UnreadableMessageError')).toBe(0)
    expect(holds(filesOf(c.dataDir), 'after removal')).toBe(false)

    // Cat still has the old key: a message it seals with it after the removal is refused by the members.
    const oldKey = Buffer.from(JSON.parse(readFileSync(join(c.dataDir, 'private-rooms.json'), 'utf8'))[room].keys[0], 'hex')
    await inject(c, room, oldKey, 'sneaking back in')
    await until('a and d refuse it', () => errors(a, 'NotAMemberError') === 1 && errors(d, 'NotAMemberError') === 1)
    expect(texts(a, room)).not.toContain('sneaking back in')
    expect(texts(d, room)).not.toContain('sneaking back in')
    expect(texts(d, room)).toContain('before removal')
    await expect(c.engine.joinInvite(code)).rejects.toMatchObject({ name: 'NotAMemberError' })
    await expect(c.engine.send(room, 'still here?')).rejects.toMatchObject({ name: 'NotAMemberError' })
    // Nor once it forgot the room (left it): the invite is still refused, with why.
    await c.engine.leavePrivateRoom(room)
    expect(c.engine.privateRooms()).toEqual([])
    await expect(c.engine.joinInvite(code)).rejects.toMatchObject({ name: 'NotAMemberError', message: 'You were removed from "Team": this invite no longer lets you in.' })
    expect(c.engine.checkInvite(code)).toEqual({ room, name: 'Team', refused: 'You were removed from "Team": this invite no longer lets you in.' })
    expect(c.engine.privateRooms()).toEqual([])
    await expect(d.engine.removeMember(room, a.engine.peerId)).rejects.toMatchObject({ name: 'NotRoomOwnerError' })
    // Ann cannot remove Cat twice, nor someone never in (each would tell the room and make a new key), nor a made-up id.
    const notes = (): number => a.engine.history(room, { notes: true }).filter(m => m.note?.t === 'remove').length
    // (Each said by name, as the app and the terminal show the person, not by the id.)
    await expect(a.engine.removeMember(room, c.engine.peerId)).rejects.toMatchObject({ name: 'NotAMemberError', message: 'cat was removed from "Team" already.' })
    // Only Ann may invite Cat back: Dan's invite is refused in words, nothing sent.
    const dmsBefore = d.engine.history(dmRoom(d.engine.peerId, c.engine.peerId)).length
    await expect(d.engine.sendInvite(room, c.engine.peerId)).rejects.toMatchObject({ name: 'InvalidInviteError', message: expect.stringMatching(/ was removed from "Team": only its creator can invite them back\.$/) as unknown as string })
    expect(d.engine.history(dmRoom(d.engine.peerId, c.engine.peerId))).toHaveLength(dmsBefore)
    const stranger = await startPeer('stranger')
    await stranger.engine.dial(a.addr())
    await until('ann knows the stranger', () => a.engine.peers().some(p => p.peerId === stranger.engine.peerId && p.name === 'stranger'))
    await expect(a.engine.removeMember(room, stranger.engine.peerId)).rejects.toMatchObject({ name: 'NotAMemberError', message: 'stranger is not a member of "Team", nor invited to it.' })
    await expect(a.engine.giveRoomKeys(room, stranger.engine.peerId)).rejects.toMatchObject({ name: 'NotAMemberError', message: 'stranger is not a member of "Team": send them an invite.' })
    await expect(a.engine.removeMember(room, 'nobody')).rejects.toMatchObject({ name: 'BadPeerIdError' })
    expect(notes()).toBe(1)
    expect(keysOf(a, room)).toHaveLength(2)
    expect(a.engine.privateRoom(room).gone).toEqual([c.engine.peerId])
    // The key handed over is a DM nobody sees, though it is the newest in Dan's conversation with Ann:
    // the conversation is still listed after a restart, with only the real DM in it.
    const dDir = d.dataDir
    await stopPeer(d)
    const again = await startPeer('dan', { dataDir: dDir })
    expect(again.engine.dms().map(x => x.peerId)).toEqual([a.engine.peerId])
    expect(again.engine.history(again.engine.dms()[0]!.room).map(m => m.text)).toEqual(['a real dm'])
  })

  it('the creator invites a removed member back: it reads what is written from then on, not what was said while it was out; its old invite stays refused; a member offline throughout lists it again', async () => {
    const { a, c, d, room, code } = await annCatDan('Crew')
    await a.engine.send(room, 'before removal')
    await until('everyone has it', () => texts(c, room).includes('before removal') && texts(d, room).includes('before removal'))
    // Dan is away for the removal and the return alike.
    const dDir = d.dataDir
    await stopPeer(d)
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat knows', () => c.engine.privateRoom(room).removed)
    const out = await a.engine.send(room, 'while cat was out')
    // Cat writes with the old key it kept while it is out: refused, and still so once it is back.
    const oldKey = Buffer.from(keysOf(c, room)[0]!, 'hex')
    await inject(c, room, oldKey, 'cat sneaking in while out')
    await until('ann refuses it', () => errors(a, 'NotAMemberError') === 1)
    await until('cat has the message sealed', () => c.engine.ordering!.isDelivered(out.id))

    // Ann invites her back, in a DM: {"cmd":"invite","to"} (the window and /invite NAME make the same call).
    const line = parseLine(JSON.stringify({ cmd: 'invite', room, to: c.engine.peerId }))
    const answer = answerOf(line, await dispatchOver(headlessOperations(a.engine))(line.operation, line.payload)) as unknown as { type: string, code: string }
    expect(answer).toMatchObject({ type: 'invite', room, to: c.engine.peerId })
    const back = answer.code
    expect(a.engine.privateRoom(room).gone).toBeUndefined()
    expect(a.engine.privateRoom(room).invited).toEqual([c.engine.peerId])
    expect(a.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    await until('cat got the invitation', () => texts(c, dmRoom(a.engine.peerId, c.engine.peerId)).includes(back))
    // The invite from before the removal is still refused; the new one is not.
    expect(c.engine.checkInvite(code).refused).toBe('You were removed from "Crew": this invite no longer lets you in.')
    await expect(c.engine.joinInvite(code)).rejects.toMatchObject({ name: 'NotAMemberError' })
    expect(c.engine.checkInvite(back)).toEqual({ room, name: 'Crew' })
    const joined = await c.engine.joinInvite(back)
    expect(joined.removed).toBe(false)
    await until('ann lists cat again', () => a.engine.privateRoom(room).members.includes(c.engine.peerId))
    expect(a.engine.privateRoom(room).invited).toBeUndefined()
    await c.engine.send(room, 'cat is back')
    await a.engine.send(room, 'welcome back')
    await until('ann reads cat', () => texts(a, room).includes('cat is back'))
    await until('cat reads ann', () => texts(c, room).includes('welcome back'))
    // Cat reads what came before and after, not what was said while it was out (the invite back carried no key of then).
    expect(texts(c, room)).not.toContain('while cat was out')
    expect(holds(filesOf(c.dataDir), 'while cat was out')).toBe(false)
    expect(texts(c, room)).toEqual(expect.arrayContaining(['before removal', 'cat is back', 'welcome back']))
    expect(texts(a, room)).not.toContain('cat sneaking in while out')
    expect(new Set(c.engine.privateRoom(room).members)).toEqual(new Set([a.engine.peerId, c.engine.peerId, d.engine.peerId]))
    // Cat's own message is not marked as reaching nobody.
    expect(c.engine.history(room).find(m => m.text === 'cat is back')?.refused).toBeUndefined()
    // The room says so in its place, as it says a removal: on Ann's side and on Cat's, after the removal and before Cat's join.
    const cat = { [c.engine.peerId]: 'cat' }
    const sinceRemoval = (p: TestPeer): string[] => lines(p, room, cat).filter(l => !l.includes(' out')).slice(3)
    for (const p of [a, c]) expect(sinceRemoval(p)).toEqual(['ann removed cat', 'ann invited cat back', 'cat joined the room', 'cat is back', 'welcome back'])

    // Dan, back after both, hears the removal and the return in order: Cat listed, her messages since shown, the sneaked one not.
    const again = await startPeer('dan', { dataDir: dDir })
    await again.engine.dial(a.addr())
    await until('dan reads cat back', () => texts(again, room).includes('cat is back') && texts(again, room).includes('welcome back'), 20_000)
    expect(new Set(again.engine.privateRoom(room).members)).toEqual(new Set([a.engine.peerId, c.engine.peerId, again.engine.peerId]))
    expect(again.engine.privateRoom(room).gone).toBeUndefined()
    expect(texts(again, room)).toContain('while cat was out')
    expect(texts(again, room)).not.toContain('cat sneaking in while out')
    expect(sinceRemoval(again)).toEqual(['ann removed cat', 'ann invited cat back', 'cat joined the room', 'cat is back', 'welcome back'])
    // Ann can remove her again: one removal more, a new key, and Cat is out once more.
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat is out again', () => c.engine.privateRoom(room).removed && again.engine.privateRoom(room).gone?.includes(c.engine.peerId) === true)
    expect(texts(a, room)).not.toContain('cat sneaking in while out')
    expect(texts(again, room)).not.toContain('cat sneaking in while out')
    expect(texts(again, room)).toContain('cat is back')
  })

  it('a member invited back gets, from anyone, no key from while it was out: another member\'s invite or code, the creator\'s next key, leaving and coming back keep it blind to then; once in, it is sent no invite again', async () => {
    const { a, c, d, room } = await annCatDan('Crew')
    await a.engine.send(room, 'before cat was out')
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat knows', () => c.engine.privateRoom(room).removed)
    const out = await a.engine.send(room, 'while cat was out')
    await until('cat and dan have it', () => c.engine.ordering!.isDelivered(out.id) && texts(d, room).includes('while cat was out'))
    const danWhileOut = d.engine.invite(room)
    const back = await a.engine.sendInvite(room, c.engine.peerId)
    await until('cat got the invitation', () => texts(c, dmRoom(a.engine.peerId, c.engine.peerId)).includes(back))
    // Dan, who was there all along, sends Cat the room's invite too once he hears Ann let her back: Cat takes it.
    const backAt = (p: { dataDir: string }): unknown => (JSON.parse(readFileSync(join(p.dataDir, 'private-rooms.json'), 'utf8')) as Record<string, { back?: Record<string, unknown> } | undefined>)[room]?.back?.[c.engine.peerId]
    await until('dan hears cat may come back', () => backAt(d) !== undefined)
    const fromDan = await d.engine.sendInvite(room, c.engine.peerId)
    await until('cat got dan\'s invitation', () => texts(c, dmRoom(d.engine.peerId, c.engine.peerId)).includes(fromDan))
    await c.engine.joinInvite(back)
    await until('dan lists cat again', () => d.engine.privateRoom(room).members.includes(c.engine.peerId))
    const tookDans = await c.engine.joinInvite(fromDan).then(() => true, () => false)
    expect(texts(c, room)).not.toContain('while cat was out')
    expect(tookDans).toBe(true)
    // In again, she is sent no other invite, by Ann or by Dan: refused by name.
    for (const p of [a, d]) await expect(p.engine.sendInvite(room, c.engine.peerId)).rejects.toMatchObject({ name: 'AlreadyMemberError' })
    // Dan's code as his window shows it (every key he holds), pasted by Cat: she takes none of then, and what she writes reaches all.
    await c.engine.joinInvite(d.engine.invite(room))
    await c.engine.send(room, 'cat with dan\'s code')
    await a.engine.send(room, 'after')
    await until('cat reads on', () => texts(c, room).includes('after'))
    await until('ann and dan read cat', () => [a, d].every(p => texts(p, room).includes('cat with dan\'s code')))
    expect(texts(c, room)).not.toContain('while cat was out')
    // Cut off from Ann, Cat misses the key of Dan's removal; she pastes Ann's code, which brings it: still in, she writes with it.
    await keepApart(a, c)
    await a.engine.removeMember(room, d.engine.peerId)
    await a.engine.send(room, 'after dan')
    expect((await c.engine.joinInvite(a.engine.invite(room))).removed).toBe(false)
    await c.engine.send(room, 'cat cut off')
    // Linked again: what Ann wrote, and the DM that hands Cat the key of Dan's removal, reach her.
    a.engine.heal()
    c.engine.heal()
    await c.engine.dial(a.addr())
    await until('ann reads cat, cat reads ann', () => texts(a, room).includes('cat cut off') && texts(c, room).includes('after dan'))
    // Ann's new key reached her in a DM too (every key Ann holds): still none of while she was out.
    expect(texts(c, room)).not.toContain('while cat was out')
    // Cat leaves, and comes back with Ann's code: still blind to then.
    await c.engine.leavePrivateRoom(room)
    await until('ann lists cat no more', () => !a.engine.privateRoom(room).members.includes(c.engine.peerId))
    expect(c.engine.checkInvite(danWhileOut).refused).toBe('This invite to "Crew" was made while you were out of it, so it does not let you in: ask a member for a new one.')
    await c.engine.joinInvite(a.engine.invite(room))
    await a.engine.send(room, 'after cat left')
    await until('cat reads ann', () => texts(c, room).includes('after cat left'))
    expect(texts(c, room)).not.toContain('while cat was out')
    expect(texts(c, room)).toEqual(expect.arrayContaining(['before cat was out', 'cat cut off', 'after dan']))
  })

  it('one the member invited back invites reads the room as one the creator invites does: it is handed the keys of while that member was out, and that member still reads what it writes', async () => {
    const { a, c, d, room } = await annCatDan('Crew')
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat knows', () => c.engine.privateRoom(room).removed)
    await a.engine.send(room, 'while cat was out')
    const back = await a.engine.sendInvite(room, c.engine.peerId)
    await until('cat got the invitation', () => texts(c, dmRoom(a.engine.peerId, c.engine.peerId)).includes(back))
    await c.engine.joinInvite(back)
    await until('dan lists cat again', () => d.engine.privateRoom(room).members.includes(c.engine.peerId))
    // Neo comes with Cat's invite, Ora with Ann's.
    const started: TestPeer[] = []
    for (const [name, inviter] of [['neo', c], ['ora', a]] as const) {
      const n = await startPeer(name)
      started.push(n)
      await n.engine.dial(a.addr())
      await until(`${name} linked`, () => n.engine.peers().some(p => p.connected))
      await n.engine.joinInvite(inviter.engine.invite(room))
      await until(`${name} reads what was said while cat was out`, () => texts(n, room).includes('while cat was out'), 15_000)
    }
    await a.engine.send(room, 'after')
    await until('cat reads on', () => texts(c, room).includes('after'))
    expect(texts(c, room)).not.toContain('while cat was out')
    // Neo, handed those keys later, still writes with the room's newest key: Cat reads him.
    await started[0]!.engine.send(room, 'neo here')
    await until('cat reads neo', () => texts(c, room).includes('neo here'))
  })

  /**
   * Ann removes Cat and, cut off from Cat and Dan, invites Cat back; Cat joins again and writes "cat is back",
   * which Dan, linked to Cat, holds before Ann's new key and invite back reach him (Ann's clock ran ahead: her
   * invite back stands after Cat's words in the room's order).
   */
  async function catBackBeforeItsInvite (): Promise<{ a: TestPeer, c: TestPeer, d: TestPeer, room: string }> {
    const { a, c, d, room } = await annCatDan('Crew')
    // Dan and Cat also link to each other: Dan can hear Cat without Ann.
    await d.engine.dial(c.addr())
    await until('dan and cat linked', () => d.engine.peers().some(p => p.peerId === c.engine.peerId && p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat knows, dan too', () => c.engine.privateRoom(room).removed && d.engine.privateRoom(room).gone?.includes(c.engine.peerId) === true)
    // Ann is cut off from both; she invites Cat back, and Cat gets the code another way (read out, pasted).
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    // Ann's clock runs ahead of Cat's meanwhile: her invite back comes after Cat's words in the room's order.
    for (const n of [1, 2, 3]) await a.engine.send(room, `ann alone ${n}`)
    const back = await a.engine.sendInvite(room, c.engine.peerId)
    await c.engine.joinInvite(back)
    await c.engine.send(room, 'cat is back')
    // Dan has Cat's join and words, which Ann's new key seals: he cannot read them yet.
    const said = c.engine.history(room).filter(m => m.author === c.engine.peerId).map(m => m.id)
    await until('dan has what cat wrote', () => said.every(id => d.engine.ordering!.isDelivered(id)))
    expect(texts(d, room)).not.toContain('cat is back')
    return { a, c, d, room }
  }

  it('one invited back whose words come before the creator\'s invite back is listed once that is heard, without writing again: by a member who heard them first, and by one who joins later and learns the room in its order', async () => {
    const { a, c, d, room } = await catBackBeforeItsInvite()
    // Ann and Dan link again (Cat still refuses Ann): Dan hears the new key and Ann's invite back after Cat's words.
    a.engine.heal()
    d.engine.heal()
    await d.engine.dial(a.addr())
    await until('dan reads cat', () => texts(d, room).includes('cat is back'))
    await until('dan lists cat again', () => d.engine.privateRoom(room).members.includes(c.engine.peerId))
    expect(new Set(d.engine.privateRoom(room).members)).toEqual(new Set([a.engine.peerId, c.engine.peerId, d.engine.peerId]))
    // Ora joins now with Dan's code: she learns the room in its order, Cat's words before Ann's invite back, and lists Cat too.
    const o = await startPeer('ora')
    await o.engine.dial(d.addr())
    await until('ora linked', () => o.engine.peers().some(p => p.peerId === d.engine.peerId && p.connected))
    await o.engine.joinInvite(d.engine.invite(room))
    await until('ora reads cat', () => texts(o, room).includes('cat is back'), 15_000)
    await until('ora lists cat', () => o.engine.privateRoom(room).members.includes(c.engine.peerId))
  })

  it('the words of one invited back, held until the creator\'s invite back is heard, are announced as they open: an open window and the terminal show them without reading the room again, after the invite back, once', async () => {
    const { a, c, d, room } = await catBackBeforeItsInvite()
    // What the engine tells hosts (the window, the terminal, --json) from now on.
    const from = d.events.length
    const told = (): Told[] => toldOf(d, room, from)
    const cats = (): Told[] => told().filter(e => e.author === c.engine.peerId)
    // Dan hears what Ann wrote while apart one message at a time, as a link bringing each as it is written does
    // (the new key opens Cat's words, which stay refused until Ann's invite back comes, a moment later).
    const ann = (a.engine.ordering as LamportOrdering).causal
    const dans = d.engine.ordering as LamportOrdering
    for (const m of ann.missingFor(dans.causal.vector())) {
      dans.accept(m, a.engine.peerId, 1, false)
      await until('dan took it in', () => dans.isDelivered(m.id))
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    await until('dan reads cat', () => texts(d, room).includes('cat is back'))
    await until('dan lists cat again', () => d.engine.privateRoom(room).members.includes(c.engine.peerId))
    await until('dan is told of cat\'s words', () => cats().some(e => e.type === 'message'), 3_000)
    // Told once, with the join that came with them, each after Ann's invite back (which is what lets them in).
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(cats().map(toldLine)).toEqual(['note join', 'message cat is back'])
    const backAt = told().findIndex(e => e.type === 'note' && e.note?.t === 'back')
    expect(backAt).toBeGreaterThanOrEqual(0)
    expect(told().indexOf(cats()[0]!)).toBeGreaterThan(backAt)
    // Dan's terminal, which printed the room's events as they came, prints Cat's words in the room by its name.
    const term = new Terminal(() => d.engine.peerId)
    const printed = d.events.map(e => term.format(e))
    expect(printed[d.events.indexOf(cats()[1]!)]).toMatch(/^\[[^\]]*\] \(private "Crew"\) cat: cat is back$/)
  })

  it('the words of one invited back and the key they need, heard together with the invite back, are announced once', async () => {
    const { a, c, d, room } = await catBackBeforeItsInvite()
    const from = d.events.length
    a.engine.heal()
    d.engine.heal()
    await d.engine.dial(a.addr())
    await until('dan reads cat', () => texts(d, room).includes('cat is back'))
    const cats = (): Told[] => toldOf(d, room, from).filter(e => e.author === c.engine.peerId)
    await until('dan is told of cat\'s words', () => cats().some(e => e.type === 'message'), 3_000)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(cats().map(toldLine)).toEqual(['note join', 'message cat is back'])
  })

  it('a member who uses a code of the room again (a second invite, its own code pasted) is not said to join again: one join line each; a code that brings a key he missed keeps whom he invited', async () => {
    const { a, c, d, room, code } = await annCatDan('Crew')
    // Dan is given the invite again (one sent in a DM is refused: he is in), and joins with it; Ann pastes her own code.
    await expect(a.engine.sendInvite(room, d.engine.peerId)).rejects.toMatchObject({ name: 'AlreadyMemberError' })
    const sent = a.engine.invite(room)
    expect((await d.engine.joinInvite(sent)).members).toHaveLength(3)
    expect((await d.engine.joinInvite(code)).room).toBe(room)
    expect((await a.engine.joinInvite(code)).room).toBe(room)
    await d.engine.send(room, 'dan after')
    await a.engine.send(room, 'ann after')
    await until('cat has both', () => texts(c, room).includes('dan after') && texts(c, room).includes('ann after'))
    const joins = (p: TestPeer): string[] => p.engine.history(room, { notes: true }).filter(m => m.note?.t === 'join').map(m => m.name).sort()
    for (const p of [a, c, d]) expect(joins(p)).toEqual(['cat', 'dan'])
    // Dan invites Eve (not joined yet); cut off from Ann when Cat leaves, he misses the new key and pastes Ann's code, which brings it: his Members still say Eve was invited.
    const eve = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    await d.engine.sendInvite(room, eve)
    await keepApart(a, d)
    await c.engine.leavePrivateRoom(room)
    await until('ann made a new key', () => keysOf(a, room).length === 2)
    const pasted = await d.engine.joinInvite(a.engine.invite(room))
    expect(keysOf(d, room)).toHaveLength(2)
    expect(pasted.invited).toEqual([eve])
    expect(d.engine.privateRoom(room).invited).toEqual([eve])
  })

  it('a member who took in an edit before hearing of its author\'s removal takes it back, as the others never had it', async () => {
    const { a, c, d, room } = await annCatDan('Heard late')
    const earlier = await c.engine.send(room, 'cat earlier')
    await until('all have it', () => [a, d].every(p => texts(p, room).includes('cat earlier')))
    // Ann alone: her removal of Cat waits with her while Cat, unaware, edits, reacts and writes, and Dan takes it in.
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await c.engine.edit(room, earlier.id, 'cat edited while removed')
    await c.engine.react(room, earlier.id, '🎉')
    await c.engine.send(room, 'cat unaware')
    await until('dan took it all in', () => texts(d, room).includes('cat unaware') && d.engine.history(room).find(m => m.id === earlier.id)?.reactions?.length === 1 && texts(d, room)[0] === 'cat edited while removed')
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    // Dan shows Cat's message as Ann does, and his window was told.
    expect(d.engine.history(room).find(m => m.id === earlier.id)).toMatchObject({ text: 'cat earlier', edited: false, reactions: [] })
    expect(texts(d, room)).toEqual(texts(a, room))
    expect(d.events.slice(told).filter(e => e.type === 'message:updated' && e.id === earlier.id).at(-1)).toMatchObject({ text: 'cat earlier', edited: false })
    // The message Cat wrote meanwhile, shown to Dan, is told refused, once: hosts take it away.
    const unaware = c.engine.history(room).find(m => m.text === 'cat unaware')!
    expect(d.events.slice(told).filter(e => e.type === 'message:updated' && e.refused === true)).toEqual([expect.objectContaining({ id: unaware.id, author: c.engine.peerId, room })])
  })

  /**
   * Ann, cut off from the others, removes Cat; Cat, unaware, deletes her earlier message, and Dan takes the
   * delete in: its words are wiped from his disk. Ann never counts it (she heard of the removal first).
   */
  async function deletedWhileRemoved (name: string, edited?: string): Promise<{ a: TestPeer, c: TestPeer, d: TestPeer, room: string, earlier: MessageView }> {
    const { a, c, d, room } = await annCatDan(name)
    const earlier = await c.engine.send(room, 'cat earlier')
    // An edit while still a member counts for everyone: the delete wipes its words too.
    if (edited !== undefined) await c.engine.edit(room, earlier.id, edited)
    const shown = edited ?? 'cat earlier'
    await until('all have it', () => [a, d].every(p => texts(p, room).includes(shown)))
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await c.engine.delete(room, earlier.id)
    await until('dan took the delete in', () => d.engine.history(room).find(m => m.id === earlier.id)?.deleted === true)
    // Wiped on his disk: what he holds of it is a tombstone.
    expect((d.engine.ordering as LamportOrdering).causal.get(earlier.id)?.redacted).toBe(true)
    return { a, c, d, room, earlier }
  }

  /** Dan shows Cat's message as Ann does, holds it whole again, and his window was told with its text. */
  function expectRestored (a: TestPeer, d: TestPeer, room: string, id: string, told: number, text = 'cat earlier'): void {
    expect(d.engine.history(room).find(m => m.id === id)).toMatchObject({ text, edited: text !== 'cat earlier', deleted: false })
    expect(texts(d, room)).toEqual(texts(a, room))
    const held = (d.engine.ordering as LamportOrdering).causal.get(id)!
    expect(held.redacted).toBeUndefined()
    expect(hashBody(encodeBody(held))).toBe(id)
    expect(d.events.slice(told).filter(e => e.type === 'message:updated' && e.id === id).at(-1)).toMatchObject({ text, deleted: false })
  }

  /**
   * Ann answers Dan's want of the wiped message with `spoiled` (made from her copy) first, then as she would; the
   * removal heard, Dan shows the text again. Answers how many spoiled answers went.
   */
  async function spoiledAnswerFirst (a: TestPeer, c: TestPeer, d: TestPeer, room: string, id: string, spoiled: (original: ChatMessage) => ChatMessage | undefined): Promise<number> {
    const ann = a.engine.ordering as LamportOrdering
    const dan = d.engine.ordering as LamportOrdering
    let sent = 0
    const want = ann.answers.want.bind(ann.answers)
    ann.answers.want = (peerId, ids) => {
      const original = ann.causal.get(id)
      const fake = original !== undefined && peerId === d.engine.peerId && ids.includes(id) ? spoiled(original) : undefined
      if (fake !== undefined) {
        sent++
        void onFrame(dan, a.engine.peerId, { type: 'messages', messages: [{ message: fake, hops: 1 }], answer: true })
      }
      want(peerId, ids)
    }
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    await until('dan shows the text again', () => d.engine.history(room).find(m => m.id === id)?.deleted === false, 20_000)
    return sent
  }

  it('a member who took in a delete before hearing of its author\'s removal gets the wiped message back from a peer that never counted it, and shows its text', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Deleted late')
    expect(texts(a, room)).toContain('cat earlier')
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    await until('dan shows the text again', () => d.engine.history(room).find(m => m.id === earlier.id)?.deleted === false, 20_000)
    expectRestored(a, d, room, earlier.id, told)
    // Found by its words again, as on Ann's side.
    expect(d.engine.search('earlier', room).map(h => h.id)).toEqual([earlier.id])
    expect(a.engine.search('earlier', room).map(h => h.id)).toEqual([earlier.id])
  }, 60_000)

  it('a delete taken back brings back its message\'s edits that still count, wiped with it: the message reads as edited, as the others show it', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Edited, deleted late', 'cat edited in time')
    expect(texts(a, room)).toContain('cat edited in time')
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    await until('dan shows the edited text', () => d.engine.history(room).find(m => m.id === earlier.id)?.text === 'cat edited in time', 20_000)
    expectRestored(a, d, room, earlier.id, told, 'cat edited in time')
    expect(d.engine.versions(earlier.id).map(v => v.text)).toEqual(['cat earlier', 'cat edited in time'])
  }, 60_000)

  it('an answer with a tombstone for a wiped message is passed over: the message comes back from a peer that holds it whole', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Tombstone answer')
    const told = d.events.length
    // Cat, who wiped it too, is the first Dan asks: he hears of the removal through her, while he and Ann stay apart.
    const cat = c.engine.ordering as LamportOrdering
    // She keeps it wiped, as a peer that asks nobody would (her own delete, once she hears of her removal, counts
    // no more: she would otherwise get it back from Ann herself before she answers Dan).
    const catRefetch: Partial<Pick<LamportOrdering['refetch'], 'ask'>> | undefined = (cat as Partial<LamportOrdering>).refetch
    if (catRefetch !== undefined) catRefetch.ask = () => {}
    let asked = 0
    const want = cat.answers.want.bind(cat.answers)
    cat.answers.want = (peerId, ids) => {
      if (peerId === d.engine.peerId && ids.includes(earlier.id) && asked++ === 0) {
        // What Dan makes of her answer is watched from here on.
        const refetch = (d.engine.ordering as LamportOrdering).refetch
        const real = refetch.offered.bind(refetch)
        refetch.offered = (from, m) => { if (from === c.engine.peerId && m.id === earlier.id) offered = m.redacted === true; real(from, m) }
      }
      want(peerId, ids)
    }
    let offered: boolean | undefined
    a.engine.heal()
    c.engine.heal()
    await c.engine.dial(a.addr())
    await until('dan hears of the removal through cat', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    await until('dan asks cat for it', () => asked > 0, 20_000)
    await until('her tombstone reached dan', () => offered === true, 20_000)
    const ordering = d.engine.ordering as LamportOrdering
    expect(d.engine.history(room).find(m => m.id === earlier.id)?.deleted).toBe(true)
    expect(ordering.causal.get(earlier.id)?.redacted).toBe(true)
    // Ann links: she is asked, and her answer counts.
    d.engine.heal()
    await d.engine.dial(a.addr())
    await until('dan shows the text again', () => d.engine.history(room).find(m => m.id === earlier.id)?.deleted === false, 20_000)
    expectRestored(a, d, room, earlier.id, told)
    // Her tombstone made Dan ask her nothing more: one want, however she answers.
    expect(asked).toBe(1)
  }, 60_000)

  it('an answer whose body does not hash to the wiped message\'s id is passed over: the genuine one still counts', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Forged answer')
    const told = d.events.length
    // Ann's answer to Dan's want is preceded by a forged one in her name: the message with other sealed bytes, under its id.
    const forged = await spoiledAnswerFirst(a, c, d, room, earlier.id, original => {
      if (original.sealed === undefined) return undefined
      const sealed = Uint8Array.from(original.sealed)
      sealed[0] = sealed[0]! ^ 1
      return { ...original, sealed }
    })
    expect(forged).toBe(1)
    expectRestored(a, d, room, earlier.id, told)
  }, 60_000)

  it('an answer with the wiped message\'s words under a signature not its author\'s is passed over: what is put back, and served again, is signed as the author signed it', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Forged signature')
    const told = d.events.length
    // Ann's answer to Dan's want is preceded by one in her name: the message's very body, its signature spoiled.
    const ann = a.engine.ordering as LamportOrdering
    const dan = d.engine.ordering as LamportOrdering
    const forged = await spoiledAnswerFirst(a, c, d, room, earlier.id, original => {
      if (original.sig.byteLength === 0) return undefined
      const sig = Uint8Array.from(original.sig)
      sig[0] = sig[0]! ^ 1
      return withBody({ ...original, sig }, bodyOf(original))
    })
    expect(forged).toBe(1)
    expectRestored(a, d, room, earlier.id, told)
    const genuine = Buffer.from(ann.causal.get(earlier.id)!.sig).toString('hex')
    expect(Buffer.from(dan.causal.get(earlier.id)!.sig).toString('hex')).toBe(genuine)
    // On his disk too: after a restart he serves it as signed.
    await stopPeer(d)
    const { store } = PeerStore.open(d.dataDir)
    try {
      expect(Buffer.from(store.messages.get(earlier.id)!.message.sig).toString('hex')).toBe(genuine)
    } finally { store.close() }
  }, 60_000)

  it('a wiped message still asked for when its member restarts is asked for again after the restart: it comes back from a peer that links later', async () => {
    const { a, c, d, room, earlier } = await deletedWhileRemoved('Restart mid-refetch')
    // Cat, who wiped it too and keeps it so, is the only one Dan can ask when he hears of the removal through her.
    const cat = c.engine.ordering as LamportOrdering
    const catRefetch: Partial<Pick<LamportOrdering['refetch'], 'ask'>> | undefined = (cat as Partial<LamportOrdering>).refetch
    if (catRefetch !== undefined) catRefetch.ask = () => {}
    a.engine.heal()
    c.engine.heal()
    await c.engine.dial(a.addr())
    await until('dan hears of the removal through cat', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    await until('dan asked for it', () => (d.engine.ordering as LamportOrdering).refetch.wants(earlier.id), 20_000)
    expect(d.engine.history(room).find(m => m.id === earlier.id)?.deleted).toBe(true)
    // He restarts before anyone who holds it linked.
    await stopPeer(c)
    await stopPeer(d)
    const again = await startPeer('dan', { dataDir: d.dataDir })
    expect(again.engine.history(room).find(m => m.id === earlier.id)?.deleted).toBe(true)
    await again.engine.dial(a.addr())
    await until('dan shows the text again', () => again.engine.history(room).find(m => m.id === earlier.id)?.deleted === false, 20_000)
    expect(texts(again, room)).toEqual(texts(a, room))
    expect(again.engine.search('earlier', room).map(h => h.id)).toEqual([earlier.id])
  }, 60_000)

  it('a member who took in a pin before hearing of its author\'s removal takes it back: the message is unpinned there, its list empty, its window told', async () => {
    const { a, c, d, room } = await annCatDan('Pinned late')
    const earlier = await a.engine.send(room, 'ann earlier')
    await until('all have it', () => [c, d].every(p => texts(p, room).includes('ann earlier')))
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    // Only a pin: nothing else of the message changes when it is taken back.
    await c.engine.pin(room, earlier.id)
    await until('dan took the pin in', () => d.engine.pins(room).length === 1 && d.engine.history(room).find(m => m.id === earlier.id)?.pinned?.by === c.engine.peerId)
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    expect(d.engine.history(room).find(m => m.id === earlier.id)?.pinned).toBeUndefined()
    expect(d.engine.pins(room)).toEqual([])
    expect(a.engine.pins(room)).toEqual([])
    const update = d.events.slice(told).filter(e => e.type === 'message:updated' && e.id === earlier.id).at(-1)
    expect(update).toMatchObject({ text: 'ann earlier' })
    expect(update).not.toHaveProperty('pinned')
  })

  it('a change of members after a removal reads again only the actions of the member it concerns, not every one ever removed', async () => {
    const { a, c, d, room } = await annCatDan('Busy reactor')
    const note = await a.engine.send(room, 'react to this')
    await until('cat has it', () => texts(c, room).includes('react to this'))
    // Cat reacts and takes it back, again and again: many actions in the room's history.
    for (let i = 0; i < 20; i++) {
      await c.engine.react(room, note.id, '\u{1F44D}')
      await c.engine.react(room, note.id, '\u{1F44D}', false)
    }
    await c.engine.react(room, note.id, '\u{1F389}')
    const dans = (): MessageView | undefined => d.engine.history(room, { around: note.id, limit: 1 })[0]
    await until('dan has every reaction', () => dans()?.reactions?.length === 1, 20_000)
    // And ann, who removes her: what came before the removal is what her removal's message follows (seen in CI: removed
    // before ann had the 🎉, the reaction was concurrent with the removal, and refused everywhere, rightly).
    const anns = (): MessageView | undefined => a.engine.history(room, { around: note.id, limit: 1 })[0]
    await until('ann has every reaction', () => anns()?.reactions?.length === 1 && anns()?.reactions?.[0]?.emoji === '\u{1F389}', 20_000)
    await a.engine.removeMember(room, c.engine.peerId)
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2)
    // And cat, who then looks for her own refused actions once (read by author too, and not what is counted here).
    await until('cat hears of her removal', () => c.engine.privateRoom(room).removed === true)
    // Her reactions came before her removal: they still count.
    expect(dans()?.reactions).toMatchObject([{ emoji: '\u{1F389}' }])
    // Cat leaves: her own look, which may still be under way after her view says removed, is not counted below.
    await stopPeer(c)
    // From now on, count the actions read by author (every engine here shares the store's code).
    let rows = 0
    const real = MessageTable.prototype.actionsBy
    const spy = vi.spyOn(MessageTable.prototype, 'actionsBy').mockImplementation(function * (this: MessageTable, ...args: Parameters<MessageTable['actionsBy']>) {
      for (const m of real.apply(this, args)) { rows++; yield m }
    })
    try {
      // A rename (and the room's new key before it): changes that judge nobody anew. Cat's 41 actions are not read again for them.
      await a.engine.renamePrivateRoom(room, 'Quiet now')
      await until('dan has the new name', () => d.engine.privateRoom(room).name === 'Quiet now')
      expect(rows).toBe(0)
      expect(dans()?.reactions).toMatchObject([{ emoji: '\u{1F389}' }])
    } finally {
      spy.mockRestore()
    }
  }, 60_000)

  it('a pin and a reaction taken in before hearing of their author\'s removal are taken back on a message older than the newest page too: its window is told, and the JSON pins answer is empty', async () => {
    const { a, c, d, room } = await annCatDan('Pinned long ago')
    const earlier = await a.engine.send(room, 'ann long ago')
    await until('all have it', () => [c, d].every(p => texts(p, room).includes('ann long ago')))
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await c.engine.pin(room, earlier.id)
    await c.engine.react(room, earlier.id, '🎉')
    const dans = (): MessageView | undefined => d.engine.history(room, { around: earlier.id, limit: 1 })[0]
    await until('dan took both in', () => d.engine.pins(room).length === 1 && dans()?.reactions?.length === 1)
    // Dan, cut off from Cat too, writes on until Ann's message is far below the room's newest page.
    await keepApart(c, d)
    for (let i = 0; i <= MAX_PAGE; i++) await d.engine.send(room, `dan ${i}`)
    expect(d.engine.history(room).some(m => m.id === earlier.id)).toBe(false)
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    expect(dans()).toMatchObject({ text: 'ann long ago', reactions: [] })
    expect(dans()).not.toHaveProperty('pinned')
    expect(d.engine.pins(room)).toEqual([])
    // His window is told, as it would be of a message on the newest page: its row, its Pinned list and count read right.
    const update = d.events.slice(told).filter(e => e.type === 'message:updated' && e.id === earlier.id).at(-1)
    expect(update).toMatchObject({ text: 'ann long ago', reactions: [] })
    expect(update).not.toHaveProperty('pinned')
    // The terminal prints it as it reads now, without the chip (it no longer says "unpinned": what it
    // remembers of who pinned what went with the ten thousand lines since).
    const term = new Terminal(() => d.engine.peerId)
    const said = d.events.map(e => term.format(e))
    expect(said[d.events.indexOf(update!)]).toBe(`* [${earlier.id.slice(0, 8)}] ann: ann long ago`)
    // A script asking for the pins is answered from the store: none.
    const cmd = parseLine(JSON.stringify({ cmd: 'pins', room }))
    expect(answerOf(cmd, await dispatchOver(headlessOperations(d.engine))(cmd.operation, cmd.payload))).toEqual({ type: 'pins', room, messages: [] })
  }, 60_000)

  it('a message its author wrote after its removal, taken in before the removal was heard, is told refused however far below the newest page it is', async () => {
    const { a, c, d, room } = await annCatDan('Written long ago')
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    const unaware = await c.engine.send(room, 'cat unaware')
    await until('dan took it in', () => texts(d, room).includes('cat unaware'))
    // Dan, cut off from Cat too, writes on until Cat's message is far below the room's newest page.
    await keepApart(c, d)
    for (let i = 0; i <= MAX_PAGE; i++) await d.engine.send(room, `dan ${i}`)
    expect(d.engine.history(room).some(m => m.id === unaware.id)).toBe(false)
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    // His window is told, once, as it would be of a message on the newest page: a window scrolled back takes it away.
    expect(d.events.slice(told).filter(e => e.type === 'message:updated' && e.refused === true)).toEqual([expect.objectContaining({ id: unaware.id, author: c.engine.peerId, room, text: '' })])
  }, 60_000)

  it('a change in another invite-only room meanwhile does not hide a late pin and reaction from the take-back: the window is still told', async () => {
    const { a, c, d, room } = await annCatDan('Pinned, then busy')
    const earlier = await a.engine.send(room, 'ann earlier')
    await until('all have it', () => [c, d].every(p => texts(p, room).includes('ann earlier')))
    await keepApart(a, c)
    await keepApart(a, d)
    await until('ann alone', () => a.engine.peers().every(p => !p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await c.engine.pin(room, earlier.id)
    await c.engine.react(room, earlier.id, '🎉')
    await until('dan took both in', () => d.engine.pins(room).length === 1 && d.engine.history(room).find(m => m.id === earlier.id)?.reactions?.length === 1)
    // Dan, cut off from Cat too, invites Ann into a room of his own: a change of that room's members
    // (re-reading every reaction and pin the engine held would lose what the take-back compares with).
    await keepApart(c, d)
    const other = await d.engine.createPrivateRoom('Elsewhere')
    await d.engine.sendInvite(other.room, a.engine.peerId)
    expect(d.engine.privateRoom(other.room).invited).toEqual([a.engine.peerId])
    const told = d.events.length
    for (const p of [a, c, d]) p.engine.heal()
    await a.engine.dial(d.addr())
    await until('dan hears of the removal', () => d.engine.privateRoom(room).members.length === 2, 20_000)
    expect(d.engine.pins(room)).toEqual([])
    const update = d.events.slice(told).filter(e => e.type === 'message:updated' && e.id === earlier.id).at(-1)
    expect(update).toMatchObject({ text: 'ann earlier', reactions: [] })
    expect(update).not.toHaveProperty('pinned')
  })

  it('a member removed while cut off: what it wrote meanwhile, which the members refuse, shows on its side as reaching nobody', async () => {
    const { a, c, d, room } = await annCatDan('Cut off')
    const earlier = await c.engine.send(room, 'cat earlier')
    const anns = await a.engine.send(room, 'ann earlier')
    await until('everyone has both', () => [a, c, d].every(p => texts(p, room).includes('cat earlier') && texts(p, room).includes('ann earlier')))
    await c.engine.block(a.engine.peerId)
    await until('cat cut off', () => !c.engine.peers().some(p => p.peerId === a.engine.peerId && p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    const wrote: string[] = []
    for (let i = 0; i < 5; i++) wrote.push((await c.engine.send(room, `unaware ${i}`)).id)
    // Its edit of its own earlier message, and its reaction to Ann's, meanwhile: shown on its side until it hears.
    await c.engine.edit(room, earlier.id, 'cat edited while removed')
    await c.engine.react(room, anns.id, '👍')
    expect(texts(c, room).slice(0, 2)).toEqual(['cat edited while removed', 'ann earlier'])
    expect(c.engine.history(room).filter(m => m.refused === true)).toEqual([])
    await c.engine.unblock(a.engine.peerId)
    await c.engine.dial(a.addr())
    await until('cat hears it was removed', () => c.engine.privateRoom(room).removed)
    await until('ann and dan have what cat wrote (sealed)', () => wrote.every(id => a.engine.ordering!.isDelivered(id) && d.engine.ordering!.isDelivered(id)))
    // The edit and the reaction reached nobody either: Cat shows both messages as the others do, and was told.
    await until('cat takes back its edit', () => texts(c, room)[0] === 'cat earlier')
    // Dan may have taken Cat's edit in before Ann's removal reached him: he takes it back once it does.
    await until('ann and dan show it unedited', () => [a, d].every(p => texts(p, room)[0] === 'cat earlier'))
    for (const p of [a, d, c]) {
      expect(p.engine.history(room).find(m => m.id === earlier.id)).toMatchObject({ text: 'cat earlier', edited: false })
      expect(p.engine.history(room).find(m => m.id === anns.id)?.reactions ?? []).toEqual([])
    }
    const updatedTo = (id: string): MessageView | undefined => c.events.findLast(e => e.type === 'message:updated' && e.id === id) as MessageView | undefined
    expect(updatedTo(earlier.id)).toMatchObject({ text: 'cat earlier', edited: false })
    expect(updatedTo(anns.id)?.reactions ?? []).toEqual([])
    // Cat marks exactly what the members refuse (written after the removal by its own chain), and nothing else.
    const refused = c.engine.history(room).filter(m => m.refused === true).map(m => m.id)
    expect(refused).toEqual(wrote)
    for (const member of [a, d]) {
      const shown = new Set(member.engine.history(room).map(m => m.id))
      expect(wrote.filter(id => !shown.has(id))).toEqual(refused)
    }
    // Told as it happened, to a window showing them as sent, and in words at the terminal.
    const updates = c.events.flatMap(e => e.type === 'message:updated' && e.refused === true ? [e] : [])
    expect(updates.map(e => e.id)).toEqual(refused)
    // (A terminal that has printed the room's events knows it by name.)
    const term = new Terminal(() => c.engine.peerId)
    const line = c.events.map(e => term.format(e)).at(c.events.indexOf(updates[0]!))
    expect(line).toMatch(/^! your message \[[0-9a-f]{8}\] in .*Cut off.* reached nobody: you had been removed from the room before it arrived$/)
  })

  it('a member removed while cut off takes back its pin and reaction on a message older than the room\'s newest page once it hears, and its window is told', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await c.engine.dial(a.addr())
    const { room } = await a.engine.createPrivateRoom('Old news')
    await c.engine.joinInvite(a.engine.invite(room))
    await until('cat is in', () => a.engine.privateRoom(room).members.length === 2)
    const earlier = await a.engine.send(room, 'ann long ago')
    for (let i = 0; i <= MAX_PAGE; i++) await a.engine.send(room, `ann ${i}`)
    await until('cat has it all', () => c.engine.ordering!.isDelivered(earlier.id) && texts(c, room).at(-1) === `ann ${MAX_PAGE}`, 60_000)
    expect(c.engine.history(room).some(m => m.id === earlier.id)).toBe(false)
    await c.engine.block(a.engine.peerId)
    await until('cat cut off', () => !c.engine.peers().some(p => p.peerId === a.engine.peerId && p.connected))
    await a.engine.removeMember(room, c.engine.peerId)
    await c.engine.pin(room, earlier.id)
    await c.engine.react(room, earlier.id, '👍')
    const told = c.events.length
    await c.engine.unblock(a.engine.peerId)
    await c.engine.dial(a.addr())
    await until('cat hears it was removed', () => c.engine.privateRoom(room).removed)
    const cats = c.engine.history(room, { around: earlier.id, limit: 1 })[0]
    expect(cats).toMatchObject({ text: 'ann long ago', reactions: [] })
    expect(cats).not.toHaveProperty('pinned')
    expect(c.engine.pins(room)).toEqual([])
    const update = c.events.slice(told).filter(e => e.type === 'message:updated' && e.id === earlier.id).at(-1)
    expect(update).toMatchObject({ text: 'ann long ago', reactions: [] })
    expect(update).not.toHaveProperty('pinned')
  }, 120_000)

  it('one who joins late learns the room as it was: its members so far, and whom the creator removed, whose later messages it refuses', async () => {
    const { a, c, d, room } = await annCatDan('Late')
    await c.engine.send(room, 'cat was here')
    await a.engine.removeMember(room, d.engine.peerId)
    await until('cat heard of it', () => c.engine.privateRoom(room).gone?.includes(d.engine.peerId) === true)
    // Eve, linked to Ann all along, holds the room's messages sealed; then Ann invites her.
    const e = await startPeer('eve')
    await e.engine.dial(a.addr())
    await until('eve has them', () => a.engine.history(room, { notes: true }).every(m => e.engine.ordering!.isDelivered(m.id)))
    const joined = await e.engine.joinInvite(a.engine.invite(room))
    expect(new Set(joined.members)).toEqual(new Set([a.engine.peerId, c.engine.peerId, e.engine.peerId]))
    expect(joined.gone).toEqual([d.engine.peerId])
    expect(texts(e, room)).toEqual(['cat was here'])
    // Dan kept the key the invite also gave Eve (so she reads what came before): what he seals with it now, she refuses.
    const oldKey = Buffer.from(keysOf(d, room)[0]!, 'hex')
    await inject(d, room, oldKey, 'sneaking back in')
    await until('ann refuses it', () => errors(a, 'NotAMemberError') === 1)
    await until('eve refuses it', () => errors(e, 'NotAMemberError') === 1)
    expect(texts(e, room)).toEqual(['cat was here'])
    expect(e.engine.privateRoom(room).members).not.toContain(d.engine.peerId)
  })

  it('a removed member backdating a message below its removal, or writing one under a number of its chain it had used: the members refuse both by its chain, and its own side says they reached nobody', async () => {
    const { a, c, d, room } = await annCatDan('Board')
    const before = await d.engine.send(room, 'dan before')
    for (const text of ['one', 'two', 'three']) await a.engine.send(room, text)
    await until('ann and cat have dan\'s', () => [a, c].every(p => texts(p, room).includes('dan before')))
    await a.engine.removeMember(room, d.engine.peerId)
    await until('dan heard of it', () => d.engine.privateRoom(room).removed)
    await until('cat heard of it', () => c.engine.privateRoom(room).gone?.includes(d.engine.peerId) === true)
    const removal = c.engine.history(room, { notes: true }).find(m => m.note?.t === 'remove')!
    expect(before.lamport + 1).toBeLessThan(removal.lamport)
    // Dan, cheating, seals with the key he kept and stamps his next message just after his last one, well below the removal.
    const key = Buffer.from(keysOf(d, room)[0]!, 'hex')
    // (Depending on nothing but his own last message: a message is stamped above all it depends on.)
    const backdated = await inject(d, room, key, 'backdated', { ...d.engine.ordering!.place(undefined), deps: [], lamport: before.lamport + 1 })
    expect(backdated.prev).toBe(before.id)
    await until('the members refuse it', () => errors(a, 'NotAMemberError') === 1 && errors(c, 'NotAMemberError') === 1)
    await a.engine.send(room, 'after')
    await until('cat reads on', () => texts(c, room).includes('after'))
    for (const p of [a, c]) expect(texts(p, room)).toEqual(['dan before', 'one', 'two', 'three', 'after'])
    expect(d.engine.history(room).find(m => m.id === backdated.id)).toMatchObject({ text: 'backdated', refused: true })
    expect(d.engine.history(room).find(m => m.id === before.id)).not.toHaveProperty('refused')

    // A fork of his chain above the removal's number (as a copy of his profile restored from a backup would make,
    // here in the lobby) leaves what he wrote before it alone.
    const restored = await inject(d, 'lobby', undefined, 'from a restored backup', { seq: backdated.seq, prev: before.id, deps: [], lamport: backdated.lamport + 1 })
    const forkedAt = (floor: number) => [a, c].every(p => p.events.some(e => e.type === 'peer:forked' && e.peerId === d.engine.peerId && e.floor === floor))
    await until('ann and cat find the fork', () => forkedAt(backdated.seq) && [a, c].every(p => texts(p, 'lobby').includes('from a restored backup')))
    expect(restored.seq).toBe(before.authorSeq! + 1)
    for (const p of [a, c]) expect(texts(p, room)).toEqual(['dan before', 'one', 'two', 'three', 'after'])

    // Dan again, under the number of his message from before the removal: a fork there, which every peer finds.
    // Which of the two came first nobody can tell, so his messages in the room from that number up go: the fork costs him.
    expect(before.authorSeq).toBeGreaterThan(1)
    const fork = await inject(d, room, key, 'under an old number', { seq: before.authorSeq!, prev: before.deps[0]!, deps: [], lamport: before.lamport })
    await until('ann and cat find the fork', () => forkedAt(before.authorSeq!))
    await until('ann and cat have it (sealed)', () => [a, c].every(p => p.engine.ordering!.isDelivered(fork.id)))
    for (const p of [a, c]) expect(texts(p, room)).toEqual(['one', 'two', 'three', 'after'])
    // Below the fork all stands: his join is still a line of the room's timeline.
    for (const p of [a, c]) expect(p.engine.history(room, { notes: true }).filter(m => m.author === d.engine.peerId).map(m => m.note?.t)).toEqual(['join'])
    expect(d.engine.history(room).filter(m => m.refused !== true).map(m => m.text)).toEqual(['one', 'two', 'three'])
    // Everything else of the room stands, and the members read on.
    await c.engine.send(room, 'cat still here')
    await until('ann reads it', () => texts(a, room).includes('cat still here'))
  })

  it('a member killed after it stored the removal and its new key, before it took them in: at its restart it takes both, so it reads on and refuses the removed member', async () => {
    const trio = await annCatDan('Crew')
    const { a, c, room } = trio
    let d = trio.d
    const dDir = d.dataDir
    await stopPeer(d)
    const ann = a.engine.peerId
    const before = (a.engine.ordering as LamportOrdering).causal.last(ann)?.seq ?? 0
    await a.engine.removeMember(room, c.engine.peerId)
    await a.engine.send(room, 'after the removal')
    // Dan's data directory as a kill -9 leaves it between the commit of what arrived and its announcement:
    // Ann's removal, Dan's new key and her message written by the same call the intake makes, nothing taken in.
    const aDir = a.dataDir
    await stopPeer(a)
    const { store: annStore } = PeerStore.open(aDir)
    const arrived = annStore.messages.after(ann, before, 100)
    annStore.close()
    expect(arrived.length).toBe(3)
    const { store: danStore } = PeerStore.open(dDir)
    danStore.insert(arrived.map(m => ({ message: m, deliveredAt: Date.now(), via: ann, hops: 1 })))
    danStore.close()

    d = await startPeer('dan', { dataDir: dDir })
    expect(keysOf(d, room)).toHaveLength(2)
    expect(texts(d, room)).toEqual(['after the removal'])
    expect(d.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    // Taken in quietly: nothing complained of at the restart, and nothing announced twice.
    expect(d.events.filter(e => e.type === 'error' || e.type === 'message')).toEqual([])
    await d.engine.dial(c.addr())
    await until('linked to cat', () => d.engine.peers().some(p => p.peerId === c.engine.peerId && p.connected))
    const oldKey = Buffer.from(keysOf(c, room)[0]!, 'hex')
    await inject(c, room, oldKey, 'sneaking back in')
    await until('dan refuses it', () => errors(d, 'NotAMemberError') === 1)
    expect(texts(d, room)).toEqual(['after the removal'])
  })

  it('the creator killed after it heard a member leave, before it handed the others a new key: it hands it over at its restart', async () => {
    const trio = await annCatDan('Desk')
    const { c, d, room } = trio
    let a = trio.a
    const aDir = a.dataDir
    const dDir = d.dataDir
    await stopPeer(a)
    const dan = d.engine.peerId
    const before = (d.engine.ordering as LamportOrdering).causal.last(dan)!.seq
    await d.engine.leavePrivateRoom(room)
    await stopPeer(d)
    const { store: danStore } = PeerStore.open(dDir)
    const leave = danStore.messages.after(dan, before, 10)
    danStore.close()
    expect(leave).toHaveLength(1)
    // Ann's data directory as a kill -9 leaves it after she took the leave in (stored, announced, Dan off the list,
    // a new key owed) and before the new key went out: what the engine writes at each of those steps, nothing more.
    const { store: annStore } = PeerStore.open(aDir)
    annStore.insert([{ message: leave[0]!, deliveredAt: Date.now(), via: dan, hops: 1 }])
    annStore.settled()
    annStore.close()
    const file = join(aDir, 'private-rooms.json')
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>
    kept[room] = { ...kept[room], left: { [dan]: leave[0]!.lamport }, leftKey: { [dan]: 0 }, rekeyOwed: true }
    writeFileSync(file, JSON.stringify(kept))

    a = await startPeer('ann', { dataDir: aDir })
    expect(a.engine.privateRoom(room).members).not.toContain(dan)
    await until('ann made a new key', () => keysOf(a, room).length === 2)
    await c.engine.dial(a.addr())
    await until('cat has it', () => keysOf(c, room).length === 2)
    // Owed once: paid, it is not handed over again at the next start.
    expect(JSON.parse(readFileSync(file, 'utf8'))[room].rekeyOwed).toBeUndefined()
    await a.engine.send(room, 'after dan left')
    await until('cat reads it', () => texts(c, room).includes('after dan left'))
    await stopPeer(a)
    a = await startPeer('ann', { dataDir: aDir })
    expect(keysOf(a, room)).toHaveLength(2)
  })

  it('the creator removes a member before it heard of another\'s join: one it sent the invite gets the new key once heard; one who joins after it with the old code, or with a code passed on while cut off, does not', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    const d = await startPeer('dan')
    const eve = await startPeer('eve')
    await b.engine.dial(a.addr())
    await until('ann and ben linked', () => a.engine.peers().some(p => p.connected))
    const { room } = await a.engine.createPrivateRoom('Crew')
    const code = a.engine.invite(room)
    await b.engine.joinInvite(code)
    await until('ann lists ben', () => a.engine.privateRoom(room).members.includes(b.engine.peerId))
    // Ann sends Cat the invite (it waits for her: Cat is linked to nobody); Cat joins on her own, so Ann has not heard of her when she removes Ben.
    const sent = await a.engine.sendInvite(room, c.engine.peerId)
    expect(a.engine.privateRoom(room).invited).toEqual([c.engine.peerId])
    await c.engine.joinInvite(sent)
    // Eve has the code Ben had (he passes it on): she joins cut off from everyone, so her join's Lamport time is earlier than the removal.
    await eve.engine.joinInvite(b.engine.invite(room))
    const after = await a.engine.removeMember(room, b.engine.peerId)
    expect(after.members).toEqual([a.engine.peerId])
    await until('ann made a new key', () => keysOf(a, room).length === 2)
    // Dan hears of the removal first, then joins with the code from before it: that invite is void now.
    const removedBy = a.engine.clock
    await d.engine.dial(a.addr())
    await until('dan has had the removal', () => d.engine.clock >= removedBy)
    await d.engine.joinInvite(code)
    await until('ann lists dan', () => a.engine.privateRoom(room).members.includes(d.engine.peerId))
    // Written with the new key before Ann heard of Cat: it reaches Cat before her key does.
    await a.engine.send(room, 'before ann heard of cat')
    // Now Ann hears of Cat's join, which came before the removal: Cat is handed the new key.
    await c.engine.dial(a.addr())
    await until('ann lists cat', () => a.engine.privateRoom(room).members.includes(c.engine.peerId))
    await until('cat has the new key', () => keysOf(c, room).length === 2)
    expect(a.engine.privateRoom(room).invited).toBeUndefined()
    // What had come before the key opens with it, and Cat's window is told of it then, not only at its next history.
    await until('cat is told of it', () => c.events.some(ev => ev.type === 'message' && ev.room === room && ev.text === 'before ann heard of cat'))
    // Eve's early Lamport time vouches for nothing: Ann did not invite her, so Ann is asked, as for Dan.
    await eve.engine.dial(a.addr())
    await until('ann lists eve', () => a.engine.privateRoom(room).members.includes(eve.engine.peerId))
    await until('ann is asked about eve', () => a.engine.privateRoom(room).oldInvite?.includes(eve.engine.peerId) === true)
    expect(a.engine.privateRoom(room).oldInvite).toEqual([d.engine.peerId, eve.engine.peerId])
    expect(a.events.filter(ev => ev.type === 'error' && ev.code === 'OldInviteError').map(ev => ev.type === 'error' ? ev.message.split(' ')[0] : '')).toEqual(['dan', 'eve'])
    await a.engine.send(room, 'after the removal')
    await until('cat reads it', () => texts(c, room).includes('after the removal'))
    const said = a.engine.history(room).at(-1)!
    await until('dan has received it (sealed)', () => d.engine.ordering!.isDelivered(said.id))
    await until('eve has received it (sealed)', () => eve.engine.ordering!.isDelivered(said.id))
    expect(texts(d, room)).not.toContain('after the removal')
    expect(texts(eve, room)).not.toContain('after the removal')
    expect(keysOf(d, room)).toHaveLength(1)
    expect(keysOf(eve, room)).toHaveLength(1)
    expect(keysOf(b, room)).toHaveLength(1)
    // Owed once: handed over, nothing is owed at the next start.
    expect(JSON.parse(readFileSync(join(a.dataDir, 'private-rooms.json'), 'utf8'))[room].keysOwedTo).toBeUndefined()
  })

  it('one who joins with an invite from before a removal: the creator is told and sees them so; no new key reaches them until it gives them the keys, and then what waited opens', async () => {
    const a = await startPeer('ann')
    const others = [await startPeer('ben'), await startPeer('cat'), await startPeer('dan')]
    for (const p of others) await p.engine.dial(a.addr())
    await until('linked', () => a.engine.peers().filter(p => p.connected).length === 3)
    const [b, c, d] = others as [TestPeer, TestPeer, TestPeer]
    const { room } = await a.engine.createPrivateRoom('Crew')
    const code = a.engine.invite(room)
    await b.engine.joinInvite(code)
    await d.engine.joinInvite(code)
    await until('ann lists ben and dan', () => a.engine.privateRoom(room).members.length === 3)
    await a.engine.removeMember(room, b.engine.peerId)
    await until('dan has the new key', () => keysOf(d, room).length === 2)
    // Cat has had the removal when she uses the code she was given before it.
    const removedBy = a.engine.clock
    await until('cat has had the removal', () => c.engine.clock >= removedBy)
    await c.engine.joinInvite(code)
    await until('ann lists cat', () => a.engine.privateRoom(room).members.includes(c.engine.peerId))
    // Ann is told, by name, and her member list marks Cat; Dan's does not (only the creator knows).
    await until('ann is told', () => errors(a, 'OldInviteError') === 1)
    expect(a.events.find(e => e.type === 'error' && e.code === 'OldInviteError')).toMatchObject({ message: expect.stringContaining('cat joined "Crew" with an invite from before') })
    expect(a.engine.privateRoom(room).oldInvite).toEqual([c.engine.peerId])
    expect(d.engine.privateRoom(room).oldInvite).toBeUndefined()
    await a.engine.send(room, 'after the removal')
    await until('cat shows the room waits for a key', () => c.engine.privateRoom(room).unreadable === true)
    expect(texts(c, room)).not.toContain('after the removal')
    expect(c.events.some(e => e.type === 'private-room' && e.room === room && e.unreadable === true)).toBe(true)
    expect(c.events.find(e => e.type === 'error' && e.code === 'UnreadableMessageError')).toMatchObject({ room })
    // Dan leaves: the new key goes to the members Ann keyed, not to Cat.
    await d.engine.leavePrivateRoom(room)
    await until('ann made a third key', () => keysOf(a, room).length === 3)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(keysOf(c, room)).toHaveLength(1)
    // Ann gives Cat the keys (from her terminal, which said how): what waited opens, and Cat reads on.
    const term = new Terminal(() => a.engine.peerId)
    expect(term.format(a.events.find(e => e.type === 'error' && e.code === 'OldInviteError')!)).toMatch(/\(\/givekeys NAME, \/remove NAME, typed in that room\)$/)
    term.format({ type: 'peers', peers: a.engine.peers() })
    for (const e of a.events) if (e.type === 'private-room' && e.room === room) term.format(e)
    const dispatch = dispatchOver(headlessOperations(a.engine))
    const printed: Array<string | undefined> = []
    const answers = []
    for (const line of [`/room ${room}`, '/members', '/givekeys cat']) {
      const typed = term.command(line)
      if (!('run' in typed)) throw new Error(`not a command: ${line}`)
      const answer = await dispatch(typed.run.operation, typed.run.payload)
      answers.push(answer)
      const event = answerOf(typed.run, answer)
      if (event !== undefined) printed.push(term.format(event))
    }
    expect(answers[2]).toMatchObject({ ok: true, value: { room, members: expect.arrayContaining([c.engine.peerId]) } })
    // What Ann's terminal printed: /members marks Cat, and /givekeys says she holds the keys.
    expect(printed.find(p => p?.startsWith('in ') === true)).toMatch(/\(with an invite from before its last change of members, reading nothing new: cat; \/givekeys NAME or \/remove NAME\)$/)
    expect(printed.at(-1)).toBe('* cat holds the keys of private room "Crew" now')
    // And Cat's, when her room first held a message she could not open.
    const catTerm = new Terminal(() => c.engine.peerId)
    catTerm.format({ type: 'peers', peers: c.engine.peers() })
    const catSaw = c.events.filter(e => e.type === 'private-room' && e.room === room).map(e => catTerm.format(e))
    expect(catSaw).toContain('* some messages in private room "Crew" do not open with your keys: if your invite is older than its last change of members, ask ann for its key (they show when it comes)')
    expect(a.engine.privateRoom(room).oldInvite).toBeUndefined()
    await until('cat has every key', () => keysOf(c, room).length === 3)
    await until('cat is told of what waited', () => c.events.some(e => e.type === 'message' && e.room === room && e.text === 'after the removal'))
    expect(c.engine.privateRoom(room).unreadable).toBeUndefined()
    await a.engine.send(room, 'welcome cat')
    await until('cat reads on', () => texts(c, room).includes('welcome cat'))
    expect(texts(b, room)).not.toContain('welcome cat')
    // Only the creator gives keys, and only to a member.
    await expect(c.engine.giveRoomKeys(room, a.engine.peerId)).rejects.toMatchObject({ name: 'NotRoomOwnerError' })
    const json = parseLine(JSON.stringify({ cmd: 'give-keys', room, peerId: b.engine.peerId }))
    expect(answerOf(json, await dispatch(json.operation, json.payload))).toMatchObject({ type: 'error', code: 'NotAMemberError' })
  })

  it('one who joins with an invite from before a removal, after messages sealed with the newer key: the room says it waits for a key, and they are told once it comes in a newer code', async () => {
    const { a, c, d } = await annCatDanLinked()
    const { room } = await a.engine.createPrivateRoom('Desk')
    const code = a.engine.invite(room)
    await c.engine.joinInvite(code)
    await until('ann lists cat', () => a.engine.privateRoom(room).members.includes(c.engine.peerId))
    await a.engine.removeMember(room, c.engine.peerId)
    await a.engine.send(room, 'said before dan came')
    const sentBy = a.engine.clock
    await until('dan holds it, sealed', () => d.engine.clock >= sentBy)
    await d.engine.joinInvite(code)
    await until('dan\'s room says it waits for a key', () => d.engine.privateRoom(room).unreadable === true)
    expect(texts(d, room)).not.toContain('said before dan came')
    await until('ann is told of the old invite', () => a.engine.privateRoom(room).oldInvite?.includes(d.engine.peerId) === true)
    // The key comes in a newer code Dan is given and pastes (Ann's as her window shows it), not from Ann's /givekeys.
    await d.engine.joinInvite(a.engine.invite(room))
    await until('dan is told of what waited', () => d.events.some(e => e.type === 'message' && e.room === room && e.text === 'said before dan came'))
    expect(d.engine.privateRoom(room).unreadable).toBeUndefined()
    // Sealing with the newest key now, Dan reads the room as Ann sees it: no longer marked.
    await until('ann no longer marks dan', () => a.engine.privateRoom(room).oldInvite === undefined)
  })

  it('bad input: a bad invite code, a forged removal, a message sealed to the wrong key: named errors, nothing lost, the room goes on', async () => {
    const { a, c, d } = await annCatDanLinked()
    const { room } = await a.engine.createPrivateRoom('Ops')
    const code = a.engine.invite(room)
    for (const bad of ['', 'hello', 'lanchat-invite:', code.slice(0, code.length - 12), code.replace('lanchat-invite:', 'lanchat-invite:x')]) {
      await expect(d.engine.joinInvite(bad), bad).rejects.toMatchObject({ name: 'InvalidInviteError' })
    }
    await c.engine.joinInvite(code)
    await d.engine.joinInvite(code)
    await until('a sees both members', () => a.engine.privateRoom(room).members.length === 3)

    // Dan, a member but not the creator, says Cat is removed: everyone refuses it.
    const key = Buffer.from(JSON.parse(readFileSync(join(d.dataDir, 'private-rooms.json'), 'utf8'))[room].keys[0], 'hex')
    await inject(d, room, key, controlText({ t: 'remove', peer: c.engine.peerId }))
    await until('a and c refuse it', () => errors(a, 'NotRoomOwnerError') === 1 && errors(c, 'NotRoomOwnerError') === 1)
    expect(c.engine.privateRoom(room).removed).toBe(false)
    expect(a.engine.privateRoom(room).members).toContain(c.engine.peerId)
    // Nor is it a line of anyone's timeline.
    for (const p of [a, c]) {
      expect(p.engine.history(room, { notes: true }).map(m => m.note?.t)).toEqual(['join', 'join'])
      expect(p.events.some(e => e.type === 'note' && e.note?.t === 'remove')).toBe(false)
    }

    // Dan (with a fresh engine state) writes into the room with a key that is not the room's.
    await startPeer('eve').then(async (e) => {
      await e.engine.dial(a.addr())
      await until('e linked', () => a.engine.peers().filter(p => p.connected).length === 3)
      await inject(e, room, randomBytes(32), 'injected words')
    })
    await until('members refuse it', () => errors(c, 'UnreadableMessageError') === 1)
    await a.engine.send(room, 'still going')
    await until('c reads on', () => texts(c, room).includes('still going'))
    expect(texts(c, room)).toEqual(['still going'])
  })
})

describe('invite-only rooms through the JSON contract and the terminal', () => {
  it('create-private, invite, accept, send, members, remove: the same dispatch as the app', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await c.engine.dial(a.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const run = async (engine: TestPeer['engine'], line: string): Promise<Record<string, unknown>> => {
      const cmd = parseLine(line)
      return answerOf(cmd, await dispatchOver(headlessOperations(engine))(cmd.operation, cmd.payload)) as unknown as Record<string, unknown>
    }
    const created = await run(a.engine, '{"cmd":"create-private","name":"Board"}')
    expect(created).toMatchObject({ type: 'private-room', name: 'Board', members: [a.engine.peerId] })
    const room = created.room as string
    const invite = await run(a.engine, JSON.stringify({ cmd: 'invite', room }))
    expect(invite).toMatchObject({ type: 'invite', room, code: created.invite })
    expect(await run(c.engine, '{"cmd":"accept","code":"nonsense"}')).toMatchObject({ type: 'error', code: 'InvalidInviteError' })
    // Asked before joining: it would let cat in, and asking took nothing.
    expect(await run(c.engine, JSON.stringify({ cmd: 'check-invite', code: invite.code }))).toEqual({ type: 'invite-check', room, name: 'Board' })
    expect(await run(c.engine, '{"cmd":"check-invite","code":"nonsense"}')).toMatchObject({ type: 'error', code: 'InvalidInviteError' })
    expect(c.engine.privateRooms()).toEqual([])
    expect(await run(c.engine, JSON.stringify({ cmd: 'accept', code: invite.code }))).toMatchObject({ type: 'private-room', room })
    expect(await run(c.engine, JSON.stringify({ cmd: 'send', room, text: 'minutes' }))).toBeUndefined()
    await until('a reads it', () => texts(a, room).includes('minutes'))
    // Named as it is called, as the terminal takes it: the invite-only room, not a public room of that name
    // (where everyone would read it); "#board" is the public one; a room's name is read as the window reads it.
    const names: RoomNames = { privateNamed: name => a.engine.privateRooms().filter(r => r.name.toLowerCase() === name.trim().toLowerCase()).map(r => r.room) }
    const scripted = async (line: string): Promise<Record<string, unknown> | undefined> => {
      const cmd = parseLine(line, names)
      return answerOf(cmd, await dispatchOver(headlessOperations(a.engine))(cmd.operation, cmd.payload)) as Record<string, unknown> | undefined
    }
    expect(await scripted('{"cmd":"send","room":" board ","text":"agenda"}')).toBeUndefined()
    expect(await scripted('{"cmd":"send","room":"#Board","text":"for everyone"}')).toBeUndefined()
    expect(await scripted('{"cmd":"send","room":"#Board Games","text":"anyone?"}')).toBeUndefined()
    expect(texts(a, room).slice(-1)).toEqual(['agenda'])
    expect(texts(a, 'board')).toEqual(['for everyone'])
    expect(texts(a, 'board-games')).toEqual(['anyone?'])
    expect(await scripted('{"cmd":"history","room":"Board","limit":1}')).toMatchObject({ type: 'history', room, messages: [{ text: 'agenda' }] })
    await until('a sees cat', () => a.engine.privateRoom(room).members.length === 2)
    // Cat is in: an invite for her is refused by name, as /invite says it, and nothing is sent her.
    expect(await run(a.engine, JSON.stringify({ cmd: 'invite', room, to: c.engine.peerId }))).toEqual({ type: 'error', code: 'AlreadyMemberError', message: 'cat is in "Board" already: no invite sent.' })
    expect(texts(a, dmRoom(a.engine.peerId, c.engine.peerId))).toEqual([])
    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    const typed = term.command(`/room ${room}`)
    if (!('run' in typed)) throw new Error('not a command')
    const removal = term.command('/remove cat')
    if (!('run' in removal)) throw new Error('not a command')
    const dispatch = dispatchOver(headlessOperations(a.engine))
    expect(await dispatch(typed.run.operation, typed.run.payload)).toMatchObject({ ok: true })
    const removed = await dispatch(removal.run.operation, removal.run.payload)
    expect(removed).toMatchObject({ ok: true, value: { members: [a.engine.peerId] } })
    expect(await run(a.engine, '{"cmd":"private-rooms"}')).toMatchObject({ type: 'private-rooms', rooms: [{ room, name: 'Board' }] })
    await until('cat knows', () => c.engine.privateRoom(room).removed)
    // Cat's own lists (the Members dialog, `members`, `/members`) no longer count her in, whom the room removed.
    expect(await run(c.engine, JSON.stringify({ cmd: 'private-rooms' }))).toMatchObject({ type: 'private-rooms', rooms: [{ room, removed: true, members: [a.engine.peerId] }] })
    expect(await run(c.engine, JSON.stringify({ cmd: 'members', room }))).toMatchObject({ type: 'members', room, members: [{ peerId: a.engine.peerId }] })
    expect((await run(c.engine, JSON.stringify({ cmd: 'members', room }))).members).toHaveLength(1)
    // Two of one name: which one is not guessed.
    const twin = await a.engine.createPrivateRoom('Board')
    expect(() => parseLine('{"cmd":"send","room":"Board","text":"which?"}', names)).toThrow('2 of your invite-only rooms are called "Board": give its id')
    expect(await scripted(JSON.stringify({ cmd: 'send', room: twin.room, text: 'the second' }))).toBeUndefined()
    expect(texts(a, twin.room)).toEqual(['the second'])
  })

  it('a member leaves: the others take it off the list, it no longer opens the room (its history neither), an old key kept does not let it write; the creator cannot leave; a new invite brings it back', async () => {
    const { a, c: b, d: c } = await annCatDanLinked(['ann', 'ben', 'cat'])
    const room = (await a.engine.createPrivateRoom('Board')).room
    await b.engine.joinInvite(a.engine.invite(room))
    const firstCode = a.engine.invite(room)
    await c.engine.joinInvite(firstCode)
    await a.engine.send(room, 'minutes of monday')
    await until('all three listed everywhere', () => [a, b].every(p => p.engine.privateRoom(room).members.length === 3))
    await until('cat reads it', () => texts(c, room).includes('minutes of monday'))

    const catKey = Buffer.from(keysOf(c, room)[0]!, 'hex')
    // Through the JSON contract, as the terminal's /leave in the room does it.
    const term = new Terminal(() => c.engine.peerId)
    for (const e of c.events) if (e.type === 'private-room') term.format(e)
    const typed = term.command(`/leave ${room}`)
    if (!('run' in typed)) throw new Error('not a command')
    expect(typed.run.operation).toBe('leavePrivateRoom')
    const answer = await dispatchOver(headlessOperations(c.engine))(typed.run.operation, typed.run.payload)
    const left = answerOf(typed.run, answer)
    expect(left).toEqual({ type: 'private-rooms', rooms: [] })
    // The terminal says what happened, not the list of rooms left ("no private rooms").
    expect(term.format(left!)).toBeUndefined()
    expect(term.confirm(typed.run, 'cat', answer.ok ? answer.value : undefined)).toBe('* you left private room "Board": its keys are forgotten here, so it no longer opens (a new invite lets you back); typing in #lobby')
    expect(c.engine.history(room)).toEqual([])
    expect(() => c.engine.privateRoom(room)).toThrow(expect.objectContaining({ name: 'NotAMemberError' }))
    await expect(c.engine.send(room, 'still here?')).rejects.toMatchObject({ name: 'NotAMemberError' })
    await until('the others took cat off', () => [a, b].every(p => !p.engine.privateRoom(room).members.includes(c.engine.peerId)))
    expect(new Set(a.engine.privateRoom(room).members)).toEqual(new Set([a.engine.peerId, b.engine.peerId]))
    for (const p of [a, b]) expect(p.engine.privateRoom(room).left).toEqual([c.engine.peerId])
    // The creator handed ben a new key: had cat kept a copy of the old one, it would open nothing written now.
    await until('ben has the new key', () => keysOf(b, room).length === 2)
    const sent = await a.engine.send(room, 'after cat left')
    await until('ben reads it', () => texts(b, room).includes('after cat left'))
    const raw = a.engine.ordering!.history(room).find(m => m.id === sent.id)!
    expect(() => openSealed(catKey, raw.sealed!, associatedData({ room, author: a.engine.peerId }))).toThrow()
    // Had cat kept the old key, what it seals with it now is refused, and it is not listed again.
    await inject(c, room, catKey, 'sneaking back in')
    await until('ann and ben refuse it', () => errors(a, 'NotAMemberError') === 1 && errors(b, 'NotAMemberError') === 1)
    await inject(c, room, catKey, controlText({ t: 'join' }))
    await until('ann and ben refuse both', () => errors(a, 'NotAMemberError') === 2 && errors(b, 'NotAMemberError') === 2)
    for (const p of [a, b]) {
      expect(texts(p, room)).not.toContain('sneaking back in')
      expect(p.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    }
    // Nor can it write under a number of its chain from before it left (a fork, stamped below its leave): a Lamport
    // time there would say "before the leave", so once its chain forked nothing it sealed with a key it had is shown.
    const catJoin = a.engine.history(room, { notes: true }).find(m => m.author === c.engine.peerId && m.note?.t === 'join')!
    const fork = await inject(c, room, catKey, 'under the number of my join', { seq: catJoin.authorSeq!, prev: catJoin.authorSeq === 1 ? '' : catJoin.deps[0]!, deps: [], lamport: catJoin.lamport })
    await until('ann and ben have the fork', () => [a, b].every(p => p.engine.ordering!.isDelivered(fork.id) && p.events.some(e => e.type === 'peer:forked' && e.peerId === c.engine.peerId)))
    for (const p of [a, b]) {
      expect(texts(p, room)).not.toContain('under the number of my join')
      expect(p.engine.history(room, { notes: true }).filter(m => m.author === c.engine.peerId)).toEqual([])
    }
    // (Injected, those two did not move cat's own clock: it catches up on a later message before it writes again.)
    const later = await a.engine.send(room, 'after the old key was refused')
    await until('cat has it, sealed', () => c.engine.ordering!.isDelivered(later.id))

    // The creator is the one who removes members: it cannot leave.
    await expect(a.engine.leavePrivateRoom(room)).rejects.toMatchObject({ name: 'NotRoomOwnerError', message: 'You created "Board": you can remove its members, not leave it.' })
    // Her terminal's /leave, refused so, leaves her typing where she was; naming herself is said as such.
    const anns = new Terminal(() => a.engine.peerId, () => 'ann')
    for (const e of a.events) if (e.type === 'private-room') anns.format(e)
    anns.command(`/room ${room}`)
    const leave = anns.command('/leave')
    if (!('run' in leave)) throw new Error('not a command')
    expect(await dispatchOver(headlessOperations(a.engine))(leave.run.operation, leave.run.payload)).toMatchObject({ ok: false })
    expect(anns.command('/members')).toMatchObject({ run: { payload: { room } } })
    expect(() => anns.command('/remove ann')).toThrow('"ann" is you: name someone else')
    // A public room is not left this way.
    expect(await dispatchOver(headlessOperations(b.engine))('leavePrivateRoom', { room: 'lobby' })).toMatchObject({ ok: false })

    // The invite it joined with first is from before it left: it says so, and nothing changes (the creator would refuse
    // what it sealed with those keys); its keys stay forgotten.
    const refusal = { name: 'NotAMemberError', message: 'You left "Board" after this invite was made, so it no longer lets you in: ask a member for a new one.' }
    await expect(c.engine.joinInvite(firstCode)).rejects.toMatchObject(refusal)
    expect(c.engine.privateRooms()).toEqual([])
    expect(holds(filesOf(c.dataDir), catKey.toString('hex'))).toBe(false)
    // Asked first (as an invitation in a conversation asks before it offers Join), the code says the same and is not taken.
    expect(c.engine.checkInvite(firstCode)).toEqual({ room, name: 'Board', refused: refusal.message })
    expect(await dispatchOver(headlessOperations(c.engine))('checkInvite', { code: firstCode })).toEqual({ ok: true, value: { room, name: 'Board', refused: refusal.message } })
    expect(c.engine.privateRooms()).toEqual([])
    // Sent that code again in a DM, her terminal prints why it no longer lets her in, not "/accept".
    const resent = await a.engine.send('', firstCode, { to: c.engine.peerId })
    await until('cat has it', () => c.events.some(e => e.type === 'message' && e.id === resent.id))
    const cats = new Terminal(() => c.engine.peerId, () => 'cat', { refusal: code => c.engine.checkInvite(code).refused })
    const shown = c.events.find(e => e.type === 'message' && e.id === resent.id)!
    const line = cats.format(shown)
    expect(line).toContain(`] (dm) ann: invited you to the private room "Board" (${refusal.message})`)
    expect(line).not.toContain('/accept')
    // Invited again (by a member: the invite carries the new key): back in, and on the list once it joins.
    const again = b.engine.invite(room)
    expect(c.engine.checkInvite(again)).toEqual({ room, name: 'Board' })
    expect(c.engine.privateRooms()).toEqual([])
    await c.engine.joinInvite(again)
    await until('cat back on the list', () => [a, b].every(p => p.engine.privateRoom(room).members.includes(c.engine.peerId)))
    await a.engine.send(room, 'welcome back')
    await until('cat reads again', () => texts(c, room).includes('welcome back'))
    await c.engine.send(room, 'glad to be back')
    await until('ben reads cat again', () => texts(b, room).includes('glad to be back'))
    for (const p of [a, b]) expect(p.engine.privateRoom(room)).not.toHaveProperty('left')
  })

  it('the creator renames the room: the members hear it as it happens, a late joiner and a restart keep it; a member\'s rename is refused', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await b.engine.dial(a.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const { room } = await a.engine.createPrivateRoom('Board')
    await b.engine.joinInvite(a.engine.invite(room))
    await until('ann lists ben', () => a.engine.privateRoom(room).members.length === 2)

    // Through the JSON contract, as the terminal's /rename in the room does it.
    const term = new Terminal(() => a.engine.peerId)
    const typed = [term.command(`/room ${room}`), term.command('/rename  Board 2027 ')]
    const dispatch = dispatchOver(headlessOperations(a.engine))
    let answer
    for (const t of typed) {
      if (!('run' in t)) throw new Error('not a command')
      answer = answerOf(t.run, await dispatch(t.run.operation, t.run.payload))
    }
    expect(answer).toMatchObject({ type: 'private-room', room, name: 'Board 2027' })
    expect(term.format(answer!)).toContain('"Board 2027"')
    await until('ben hears the new name', () => b.events.some(e => e.type === 'private-room' && e.room === room && e.name === 'Board 2027'))
    // Ben's terminal, which printed the room as he joined, prints the rename as such.
    const bens = new Terminal(() => b.engine.peerId)
    expect(b.events.map(e => bens.format(e)).filter(l => l?.includes('private room') === true).at(-1)).toBe('* private room "Board" is now "Board 2027"')
    // Heard again with nothing new (the command's answer after the event, say), it prints nothing.
    expect(bens.format(b.events.findLast(e => e.type === 'private-room')!)).toBeUndefined()
    // /private alone lists the rooms; /room into one, and /members, name it.
    const list = bens.command('/private')
    if (!('run' in list)) throw new Error('not a command')
    expect(bens.format(answerOf(list.run, await dispatchOver(headlessOperations(b.engine))(list.run.operation, list.run.payload))!)).toBe(`🔒 Board 2027 ${room}`)
    const into = bens.command(`/room ${room}`)
    if (!('run' in into)) throw new Error('not a command')
    expect(bens.confirm(into.run, 'ben')).toBe(`* typing in private room "Board 2027" (${room})`)
    expect(bens.format({ type: 'members', room, members: [] })).toBe(`in private room "Board 2027" (${room}):\n`)
    expect(b.engine.privateRoom(room).name).toBe('Board 2027')
    expect(b.engine.privateRooms().map(r => r.name)).toEqual(['Board 2027'])
    // A line of Ben's timeline, through the JSON contract too.
    const json = parseLine(JSON.stringify({ cmd: 'history', room, notes: true }))
    const listed = await dispatchOver(headlessOperations(b.engine))(json.operation, json.payload)
    expect(listed.ok && (listed.value as MessageView[]).filter(m => m.note?.t === 'rename').map(m => [m.name, m.note])).toEqual([['ann', { t: 'rename', name: 'Board 2027' }]])

    // A blank name, or a member who is not the creator: refused by name.
    expect(await dispatch('renamePrivateRoom', { room, name: '   ' })).toMatchObject({ ok: false })
    await expect(b.engine.renamePrivateRoom(room, 'Ben\'s room')).rejects.toMatchObject({ name: 'NotRoomOwnerError' })
    const key = Buffer.from(keysOf(b, room)[0]!, 'hex')
    await inject(b, room, key, controlText({ t: 'rename', name: 'Hijacked' }))
    await until('ann refuses it', () => errors(a, 'NotRoomOwnerError') === 1)
    expect(a.engine.privateRoom(room).name).toBe('Board 2027')

    // Renamed again: a new member invited now, and one restarted, read the newest name.
    await a.engine.renamePrivateRoom(room, 'Board 2028')
    await until('ben has it', () => b.engine.privateRoom(room).name === 'Board 2028')
    const c = await startPeer('cat')
    await c.engine.dial(a.addr())
    await c.engine.joinInvite(a.engine.invite(room))
    await a.engine.send(room, 'welcome')
    await until('cat reads the room', () => texts(c, room).includes('welcome'))
    expect(c.engine.privateRoom(room).name).toBe('Board 2028')
    const bDir = b.dataDir
    await stopPeer(b)
    const again = await startPeer('ben', { dataDir: bDir })
    expect(again.engine.privateRoom(room).name).toBe('Board 2028')
  })

  it('/invite NAME sends the code in a DM; the terminal at the other end prints how to join, and that line joins', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await c.engine.dial(a.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected && p.name === 'cat'))
    const ann = new Terminal(() => a.engine.peerId)
    ann.format({ type: 'peers', peers: a.engine.peers() })
    const dispatchA = dispatchOver(headlessOperations(a.engine))
    // In a public room /invite says what it is for; /private makes a room and types into it, as /join does.
    expect(() => ann.command('/invite cat')).toThrow('#lobby is open to everyone: /invite is for an invite-only room')
    for (const typed of ['/remove cat', '/givekeys cat', '/rename Board']) expect(() => ann.command(typed)).toThrow(`#lobby is open to everyone: ${typed.split(' ')[0]!} is for an invite-only room`)
    // The same asked of the engine through JSON: named as a request for a private room, not "you are not in lobby".
    const inLobby = parseLine(JSON.stringify({ cmd: 'remove', room: 'lobby', peerId: c.engine.peerId }))
    expect(await dispatchA(inLobby.operation, inLobby.payload)).toMatchObject({ ok: false, error: { name: 'InvalidRequestError', message: expect.stringContaining('Not a private room') } })
    const make = ann.command('/private Board')
    if (!('run' in make)) throw new Error('not a command')
    const made = await dispatchA(make.run.operation, make.run.payload)
    if (!made.ok) throw new Error(made.error.message)
    const room = (made.value as { room: string }).room
    expect(ann.confirm(make.run, 'ann', made.value)).toBe(`* typing in private room "Board" (${room})`)
    // A restart's banner (or a /mode switch's) names where typing goes as the other lines do.
    ann.format({ type: 'private-room', ...a.engine.privateRoom(room) })
    expect(ann.format({ type: 'ready', peerId: a.engine.peerId, name: 'ann', mode: 'client', addrs: [] })).toMatch(new RegExp(`\ntype a line to chat in private room "Board" \\(${room}\\); /help lists the commands$`))
    const invite = ann.command('/invite cat')
    if (!('run' in invite)) throw new Error('not a command')
    const said = ann.format(answerOf(invite.run, await dispatchA(invite.run.operation, invite.run.payload))!)
    expect(said).toBe(`* invite to private room "Board" (${room}) sent to cat in a direct message`)
    // Until cat joins, /members says whom the room waits for.
    for (const e of a.events) if (e.type === 'private-room' && e.room === room) ann.format(e)
    const members = ann.command('/members')
    if (!('run' in members)) throw new Error('not a command')
    expect(ann.format(answerOf(members.run, await dispatchA(members.run.operation, members.run.payload))!)).toMatch(/\n {2}\(invited, not joined yet: cat\)$/)
    // A DM, sealed for cat: its text is the code.
    const sent = a.engine.history(a.engine.dms()[0]!.room).at(-1)!
    expect(sent).toMatchObject({ to: c.engine.peerId, private: true })
    expect(sent.text).toBe(a.engine.invite(room))

    const cat = new Terminal(() => c.engine.peerId)
    await until('cat has the DM', () => c.events.some(e => e.type === 'message' && e.to === c.engine.peerId))
    const dm = c.events.find(e => e.type === 'message' && e.to === c.engine.peerId)!
    const printed = cat.format(dm) ?? ''
    expect(printed).toMatch(/ann: invites you to the private room "Board": type \/accept to join \(its code: lanchat-invite:\S+\)$/)
    expect(ann.format(a.events.find(e => e.type === 'message' && e.to === c.engine.peerId)!)).toMatch(/you: \(an invitation to the private room "Board"\)$/)
    // /accept alone takes the invitation just printed; the code works as well.
    expect(() => new Terminal(() => c.engine.peerId).command('/accept')).toThrow('no invitation received yet')
    expect(cat.command(`/accept ${/lanchat-invite:[^\s)]+/.exec(printed)![0]}`)).toEqual(cat.command('/accept'))
    const accept = cat.command('/accept')
    if (!('run' in accept)) throw new Error('not a command')
    const accepted = await dispatchOver(headlessOperations(c.engine))(accept.run.operation, accept.run.payload)
    expect(accepted).toMatchObject({ ok: true, value: { room, name: 'Board' } })
    // Cat types into the room it joined next.
    expect(cat.confirm(accept.run, 'cat', accepted.ok ? accepted.value : undefined)).toBe(`* typing in private room "Board" (${room})`)
    expect(cat.command('hello board')).toMatchObject({ run: { operation: 'send', payload: { room, text: 'hello board' } } })
    // /rooms lists the public rooms, and still says where cat is typing (by the name its events told, as the CLI prints them).
    for (const e of c.events) if (e.type === 'private-room') cat.format(e)
    expect(cat.format({ type: 'rooms', rooms: c.engine.rooms() })).toBe(`  #lobby\n* private room "Board" (${room}) (/private lists your invite-only rooms)`)
    // Its name takes cat back into it, as the id does; #board is a public room; /private Board makes no second one.
    expect(cat.command('/room lobby')).toMatchObject({ run: { payload: { room: 'lobby' } } })
    expect(cat.command('/room board')).toMatchObject({ run: { operation: 'joinRoom', payload: { room } } })
    expect(cat.command('/history Board')).toMatchObject({ run: { operation: 'history', payload: { room } } })
    expect(cat.command('/room #board')).toMatchObject({ run: { payload: { room: 'board' } } })
    expect(() => cat.command('/private Board')).toThrow('you already have an invite-only room called "Board": /room Board types into it')
    cat.command(`/room ${room}`)
    await a.engine.send(room, 'agenda')
    await until('cat reads the room', () => texts(c, room).includes('agenda'))
    // Inviting a peer id that is not a peer: a named error, nothing sent.
    expect(await dispatchA('invite', { room, to: 'abc' })).toMatchObject({ ok: false, error: { name: 'UnknownRecipientError' } })
  })
})

describe('invite-only rooms in client–server mode', () => {
  it('the hub numbers and relays a private room it cannot read; its database holds only ciphertext', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    const b = await startClient('ben', h.addr())
    await until('connected', () => [a, b, c].every(x => x.engine.connected))
    const { room } = await a.engine.createPrivateRoom('Hub room')
    await c.engine.joinInvite(a.engine.invite(room))
    await a.engine.send(room, 'numbered but sealed')
    await until('c reads it', () => c.engine.history(room).some(m => m.text === 'numbered but sealed'))
    expect(c.engine.history(room).map(m => m.seq !== undefined)).toEqual([true])
    expect(b.engine.history(room)).toEqual([])
    expect(b.delivered()).toEqual([])
    expect(h.hub.history(room).every(m => m.text === '' && m.private === true)).toBe(true)
    await cleanupHubs()
    const disk = filesOf(h.dataDir)
    expect(holds(disk, room)).toBe(true)
    for (const t of ['numbered but sealed', 'Hub room']) expect(holds(disk, t), t).toBe(false)
  })

  it('removing a member while the hub is away: the list says so at once, not when the hub is back; then the removal and the new key land, and the removed member reads nothing after', async () => {
    const { h, port, clients: [a, c, d], room, code } = await hubRoom(['ann', 'cat', 'dan'], 'Late shift')
    // What a joiner's own list says as soon as its join is sent, not once the hub numbered it.
    expect((await c.engine.joinInvite(code)).members).toContain(c.engine.peerId)
    await d.engine.joinInvite(code)
    await until('ann sees both members', () => a.engine.privateRoom(room).members.length === 3)
    await stopHub(h)
    await until('the hub gone', () => !a.engine.connected)
    // What Ann's terminal prints of the room's changes: the removal once.
    const listed = (): number => {
      const term = new Terminal(() => a.engine.peerId)
      return a.events.filter(e => e.type === 'private-room' && e.room === room && /was removed/.test(term.format(e) ?? '')).length
    }
    const after = await a.engine.removeMember(room, c.engine.peerId)
    expect(new Set(after.members)).toEqual(new Set([a.engine.peerId, d.engine.peerId]))
    expect(after.gone).toEqual([c.engine.peerId])
    expect(a.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    expect(listed()).toBe(1)
    const said = await a.engine.send(room, 'written after the removal')
    await startHub({ dataDir: h.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await until('dan reads it', () => texts(d, room).includes('written after the removal'), 20_000)
    await until('cat hears it was removed', () => c.engine.privateRoom(room).removed, 20_000)
    await until('cat has received it (sealed)', () => c.engine.ordering!.isDelivered(said.id), 20_000)
    expect(texts(c, room)).not.toContain('written after the removal')
    expect(d.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    // Its return from the hub changes nothing on Ann's side: the change was told once.
    expect(a.engine.privateRoom(room).members).not.toContain(c.engine.peerId)
    expect(listed()).toBe(1)
  })

  it('the creator invites a removed member back through the hub: it reads on from there, not what was said while it was out, and everyone lists it', async () => {
    const { clients: [a, c, d], room, code } = await hubRoom(['ann', 'cat', 'dan'], 'Night shift')
    await c.engine.joinInvite(code)
    await d.engine.joinInvite(code)
    await until('ann sees both members', () => a.engine.privateRoom(room).members.length === 3)
    await a.engine.removeMember(room, c.engine.peerId)
    await until('cat hears it was removed', () => c.engine.privateRoom(room).removed, 20_000)
    const out = await a.engine.send(room, 'while cat was out')
    await until('cat has it (sealed)', () => c.engine.ordering!.isDelivered(out.id), 20_000)
    await expect(c.engine.joinInvite(code)).rejects.toMatchObject({ name: 'NotAMemberError' })
    const back = await a.engine.sendInvite(room, c.engine.peerId)
    await until('cat got the invitation', () => texts(c, dmRoom(a.engine.peerId, c.engine.peerId)).includes(back), 20_000)
    await c.engine.joinInvite(back)
    await c.engine.send(room, 'cat is back')
    await until('ann and dan read cat and list her', () => [a, d].every(p => texts(p, room).includes('cat is back') && p.engine.privateRoom(room).members.includes(c.engine.peerId)), 20_000)
    await a.engine.send(room, 'welcome back')
    await until('cat reads ann', () => texts(c, room).includes('welcome back'), 20_000)
    expect(texts(c, room)).not.toContain('while cat was out')
    expect(texts(d, room)).toContain('while cat was out')
    // Through the hub too, each side's room says Ann invited Cat back, in its place; Dan's window had the line as it came.
    for (const p of [a, c, d]) {
      const read = lines(p, room, { [c.engine.peerId]: 'cat' }).filter(l => !l.includes(' out'))
      expect(read.slice(read.indexOf('ann removed cat'))).toEqual(['ann removed cat', 'ann invited cat back', 'cat joined the room', 'cat is back', 'welcome back'])
    }
    expect(d.events.flatMap(e => e.type === 'note' && e.room === room && e.note?.t === 'back' ? [e.note] : [])).toEqual([{ t: 'back', peer: c.engine.peerId }])
  })

  it('the creator removes a member before the hub brought it another\'s join: that one, numbered before the removal, gets the new key', async () => {
    const { h, port, clients: [ann, b, c], room, code } = await hubRoom(['ann', 'ben', 'cat'], 'Night shift')
    let a = ann
    await b.engine.joinInvite(code)
    await until('ann lists ben', () => a.engine.privateRoom(room).members.includes(b.engine.peerId))
    // Ann is away while Cat joins; by the time she is back, so is the hub.
    const aDir = a.dataDir
    await stopClient(a)
    // Cat's clock runs well ahead of Ann's: by Lamport time her join would come after the removal; the hub's order decides.
    for (let i = 0; i < 10; i++) await c.engine.send('lobby', `busy ${i}`)
    await c.engine.joinInvite(code)
    await until('the hub numbered cat\'s join (ben lists her)', () => b.engine.privateRoom(room).members.includes(c.engine.peerId))
    await stopHub(h)
    a = await startClient('ann', h.addr(), { dataDir: aDir })
    const after = await a.engine.removeMember(room, b.engine.peerId)
    expect(after.members).toEqual([a.engine.peerId])
    expect(a.engine.clock).toBeLessThan(c.engine.clock)
    const said = await a.engine.send(room, 'after the removal')
    await startHub({ dataDir: h.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await until('ann lists cat', () => a.engine.privateRoom(room).members.includes(c.engine.peerId), 20_000)
    await until('cat has the new key', () => keysOf(c, room).length === 2, 20_000)
    await until('cat reads it', () => texts(c, room).includes('after the removal'), 20_000)
    await until('ben has received it (sealed)', () => b.engine.ordering!.isDelivered(said.id), 20_000)
    expect(texts(b, room)).not.toContain('after the removal')
    expect(keysOf(b, room)).toHaveLength(1)
  })

  it('a removed member backdating a message below its removal: the hub numbers it after, so the members refuse it, and its own side says it reached nobody', async () => {
    const { clients: [a, c, d], room, code } = await hubRoom(['ann', 'cat', 'dan'], 'Board')
    await c.engine.joinInvite(code)
    await d.engine.joinInvite(code)
    const before = await d.engine.send(room, 'dan before')
    for (const text of ['one', 'two', 'three']) await a.engine.send(room, text)
    await until('ann lists dan', () => a.engine.privateRoom(room).members.includes(d.engine.peerId))
    await a.engine.removeMember(room, d.engine.peerId)
    await until('dan heard of it', () => d.engine.privateRoom(room).removed)
    await until('cat heard of it', () => c.engine.privateRoom(room).gone?.includes(d.engine.peerId) === true)
    // Dan, cheating, seals with the key he kept and stamps his message just after his last one, well below the removal.
    const removal = c.engine.history(room, { notes: true }).find(m => m.note?.t === 'remove')!
    expect(before.lamport + 1).toBeLessThan(removal.lamport)
    const ordering = d.engine.ordering!
    const unsigned = {
      room, author: d.engine.peerId, name: 'dan', text: '',
      sealed: seal(Buffer.from(keysOf(d, room)[0]!, 'hex'), 'backdated', associatedData({ room, author: d.engine.peerId })),
      lamport: before.lamport + 1, sentAt: Date.now(), ...ordering.place(undefined)
    }
    const body = encodeBody(unsigned)
    const forged: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
    await ordering.submit(forged)
    await until('the members refuse it', () => errors(a, 'NotAMemberError') === 1 && errors(c, 'NotAMemberError') === 1)
    await a.engine.send(room, 'after')
    await until('cat reads on', () => texts(c, room).includes('after'))
    for (const p of [a, c]) expect(texts(p, room)).toEqual(['dan before', 'one', 'two', 'three', 'after'])
    // Dan's own history marks it as reaching nobody, as the members judged it: by the hub's numbers.
    await until('dan has it numbered', () => d.engine.history(room).some(m => m.id === forged.id && m.seq !== undefined))
    expect(d.engine.history(room).find(m => m.id === forged.id)).toMatchObject({ text: 'backdated', refused: true })
    expect(d.engine.history(room).find(m => m.id === before.id)).not.toHaveProperty('refused')
  })

  it('a member cut off from the hub while it is removed: its edit and reaction meanwhile, numbered after the removal, reached nobody, and its side takes them back', async () => {
    const { clients: [a, c, d], room, code } = await hubRoom(['ann', 'cat', 'dan'], 'Night desk')
    await c.engine.joinInvite(code)
    await d.engine.joinInvite(code)
    const earlier = await d.engine.send(room, 'dan earlier')
    const anns = await a.engine.send(room, 'ann earlier')
    await until('everyone has both', () => [a, c, d].every(p => texts(p, room).join() === 'dan earlier,ann earlier'))
    await until('ann lists dan', () => a.engine.privateRoom(room).members.includes(d.engine.peerId))
    await d.engine.cut('*')
    await until('dan cut off', () => !d.engine.connected)
    await a.engine.removeMember(room, d.engine.peerId)
    await d.engine.edit(room, earlier.id, 'dan edited while removed')
    await d.engine.react(room, anns.id, '👍')
    expect(texts(d, room)).toEqual(['dan edited while removed', 'ann earlier'])
    d.engine.heal()
    await until('dan heard of it', () => d.engine.privateRoom(room).removed)
    await until('dan takes back its edit', () => texts(d, room)[0] === 'dan earlier')
    await a.engine.send(room, 'after')
    await until('cat reads on', () => texts(c, room).includes('after'))
    for (const p of [a, c, d]) {
      expect(p.engine.history(room).find(m => m.id === earlier.id)).toMatchObject({ text: 'dan earlier', edited: false })
      expect(p.engine.history(room).find(m => m.id === anns.id)?.reactions ?? []).toEqual([])
    }
    expect(texts(d, room)).toEqual(['dan earlier', 'ann earlier'])
  })

  it('one who joins with an invite from before a removal the hub numbered: the creator is told; given the keys, it reads what waited, a restart in between', async () => {
    const { h, clients: [a, c0, d], room, code } = await hubRoom(['ann', 'cat', 'dan'], 'Back office')
    await d.engine.joinInvite(code)
    await until('ann lists dan', () => a.engine.privateRoom(room).members.includes(d.engine.peerId))
    await a.engine.removeMember(room, d.engine.peerId)
    await until('the removal numbered', () => a.engine.history(room).length === 0 && JSON.parse(readFileSync(join(a.dataDir, 'private-rooms.json'), 'utf8'))[room].retired?.['0']?.seq !== undefined)
    // Cat's join comes after the removal in the hub's order, whatever its Lamport time.
    await c0.engine.joinInvite(code)
    await until('ann is told', () => errors(a, 'OldInviteError') === 1)
    expect(a.engine.privateRoom(room).oldInvite).toEqual([c0.engine.peerId])
    await a.engine.send(room, 'numbered after')
    await until('cat shows the room waits for a key', () => c0.engine.privateRoom(room).unreadable === true)
    // Cat restarts, after a later message (a start takes in again only what the last commit stored sealed): the room still says it waits for a key.
    await a.engine.send('lobby', 'in the open')
    await until('cat has it', () => texts(c0, 'lobby').includes('in the open'))
    await stopClient(c0)
    const c = await startClient('cat', h.addr(), { dataDir: c0.dataDir })
    expect(c.engine.privateRoom(room).unreadable).toBe(true)
    await until('cat back on the hub', () => c.engine.connected)
    await a.engine.giveRoomKeys(room, c.engine.peerId)
    await until('cat reads what waited', () => texts(c, room).includes('numbered after'))
    // And is told of it, once, though the restart lost what her engine held: found again in the room's history.
    await until('cat is told of it', () => c.events.some(e => e.type === 'message' && e.room === room && e.text === 'numbered after'))
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(c.events.filter(e => e.type === 'message' && e.room === room).map(e => e.type === 'message' ? e.text : '')).toEqual(['numbered after'])
    await until('the room no longer waits', () => c.engine.privateRoom(room).unreadable === undefined)
    expect(a.engine.privateRoom(room).oldInvite).toBeUndefined()
    expect(texts(d, room)).not.toContain('numbered after')
  })

  it('joining while the hub is away: the join waits unannounced (it is no message), what is written then waits as pending, both land in order', async () => {
    const h = await startHub()
    const port = h.addr().split('/')[4]!
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('connected', () => [a, c].every(x => x.engine.connected))
    const { room } = await a.engine.createPrivateRoom('Night shift')
    const code = a.engine.invite(room)
    await stopHub(h)
    await until('the hub gone', () => !c.engine.connected)
    await c.engine.joinInvite(code)
    const said = await c.engine.send(room, 'joined while the hub was away')
    // The join is a control: never shown, so its wait is not told (a terminal would call it "your message").
    await until('the message pending', () => c.events.some(e => e.type === 'pending' && e.id === said.id))
    expect(c.events.filter(e => e.type === 'pending').map(e => (e as { id: string }).id)).toEqual([said.id])
    await startHub({ dataDir: h.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await until('ann reads it', () => a.engine.history(room).some(m => m.text === 'joined while the hub was away'), 20_000)
    expect(a.engine.privateRooms().find(r => r.room === room)?.members).toContain(c.engine.peerId)
    expect(c.engine.history(room).map(m => [m.text, m.pending === true])).toEqual([['joined while the hub was away', false]])
  })
})
