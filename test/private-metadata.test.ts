/**
 * What a peer that is no party learns of a direct conversation or an
 * invite-only room beyond what README's "Privacy and security" says it does:
 * over real engines on loopback (A–B–C, B relaying and never invited), the
 * frames B receives are decoded and searched.
 */
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { associatedData, dmRoom, seal, Keyring } from '../main/chat/private.js'
import { actionOf, EditState } from '../main/core/edits.js'
import type { ChatMessage } from '../main/core/message.js'
import { decodeFrame, encodeBody, hashBody, UNSIGNED, withBody } from '../main/net/codec.js'
import { loadOrCreateIdentity } from '../main/store/identity.js'
import { capture, holds } from './helpers/plaintext.js'
import { cleanup, connect, lineUp, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub, stopHub } from './helpers/hub.js'
import { TYPING_INTERVAL_MS } from '../main/chat/live.js'
import type { EngineEvent } from '../main/chat/types.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const reactionsOn = (p: TestPeer, room: string, id: string): Array<{ emoji: string, by: string[] }> =>
  p.engine.history(room).find(m => m.id === id)?.reactions ?? []

/** The emoji of every reaction in the frames a peer received, as the plain field of each message says. */
function plainEmoji (frames: Buffer[]): string[] {
  return frames.flatMap(f => {
    const frame = decodeFrame(f)
    return frame.type === 'messages' ? frame.messages.flatMap(r => r.message.action?.emoji ?? []) : []
  })
}

describe('reactions in private conversations', () => {
  it('the emoji of a reaction in a DM and in an invite-only room reaches the parties, not the relay between them', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    const bFrames = capture(b)
    await lineUp(a, b, c)

    const dm = await a.engine.send('', 'a direct one', { to: c.engine.peerId })
    await until('c has the DM', () => c.delivered().includes('a direct one'))
    await c.engine.react('', dm.id, '🍍')
    await until('a sees the reaction', () => reactionsOn(a, dm.room, dm.id).length === 1)
    expect(reactionsOn(a, dm.room, dm.id)).toEqual([{ emoji: '🍍', by: [c.engine.peerId] }])

    const room = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room.room))
    const said = await a.engine.send(room.room, 'in the room')
    await until('c reads the room', () => c.delivered().includes('in the room'))
    await c.engine.react(room.room, said.id, '🍌')
    await c.engine.react(room.room, said.id, '🥝')
    await c.engine.react(room.room, said.id, '🍌', false)
    await until('a sees what is left on', () => JSON.stringify(reactionsOn(a, room.room, said.id)) === JSON.stringify([{ emoji: '🥝', by: [c.engine.peerId] }]))
    expect(reactionsOn(c, room.room, said.id)).toEqual([{ emoji: '🥝', by: [c.engine.peerId] }])

    // B relayed all four reactions (a public one too, for contrast) and read none of their emoji.
    const pub = await a.engine.send('lobby', 'public')
    await until('c has the public one', () => c.delivered().includes('public'))
    await c.engine.react('lobby', pub.id, '🍉')
    await until('b relayed the public reaction', () => plainEmoji(bFrames).includes('🍉'))
    const wire = Buffer.concat(bFrames)
    for (const e of ['🍍', '🍌', '🥝']) expect(holds(wire, e), e).toBe(false)
    expect(plainEmoji(bFrames).filter(e => e !== '🍉').length).toBeGreaterThanOrEqual(4)
  })

  it('an older peer, which reads the plain field, shows a lock while any reaction of the author is on, and none once all are off', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    const aFrames = capture(a)
    await a.engine.dial(c.addr())
    await until('linked', () => c.engine.peers().some(p => p.connected))
    const room = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room.room))
    const said = await a.engine.send(room.room, 'in the room')
    await until('c reads the room', () => c.delivered().includes('in the room'))

    // What a build from before the emoji was sealed alone shows: its edit book over the plain fields it received.
    const olderPeerSees = (): Array<{ emoji: string, by: string[] }> => {
      const older = new EditState()
      for (const f of aFrames) {
        const frame = decodeFrame(f)
        if (frame.type !== 'messages') continue
        for (const { message } of frame.messages) {
          const e = message.action?.target === said.id ? actionOf(message) : undefined
          if (e !== undefined) older.add(e)
        }
      }
      return older.view({ id: said.id, author: a.engine.peerId, text: said.text }).reactions
    }
    const cats = (n: number): boolean => reactionsOn(a, room.room, said.id).flatMap(r => r.by).length === n
    await c.engine.react(room.room, said.id, '🍌')
    await c.engine.react(room.room, said.id, '🥝')
    await c.engine.react(room.room, said.id, '🍌', false)
    await until('a sees the kiwi alone', () => cats(1) && reactionsOn(a, room.room, said.id)[0]?.emoji === '🥝')
    expect(olderPeerSees()).toEqual([{ emoji: '🔒', by: [c.engine.peerId] }])
    await c.engine.react(room.room, said.id, '🥝', false)
    await until('a sees none', () => cats(0))
    expect(olderPeerSees()).toEqual([])
  })

  it('a reaction from an older peer, its emoji in the plain field as well as sealed, still shows', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await a.engine.dial(c.addr())
    await until('linked', () => c.engine.peers().some(p => p.connected))
    const dm = await a.engine.send('', 'hello', { to: c.engine.peerId })
    await until('c has it', () => c.delivered().includes('hello'))

    // Cat reacts as builds before the emoji was sealed alone did: the emoji in both places.
    const ordering = c.engine.ordering!
    const room = dmRoom(c.engine.peerId, a.engine.peerId)
    const key = new Keyring(c.engine.peerId, await loadOrCreateIdentity(c.dataDir)).dmKey(a.engine.peerId)
    const unsigned = {
      room, author: c.engine.peerId, name: 'cat', text: '', to: a.engine.peerId,
      sealed: seal(key, '👍', associatedData({ room, author: c.engine.peerId, to: a.engine.peerId })),
      lamport: c.engine.clock + 1, sentAt: Date.now(), ...ordering.place(dm.id),
      action: { kind: 'react' as const, target: dm.id, emoji: '👍' }
    }
    const body = encodeBody(unsigned)
    await ordering.submit(withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED } satisfies ChatMessage, body))
    await until('a sees it', () => reactionsOn(a, dm.room, dm.id).length === 1)
    expect(reactionsOn(a, dm.room, dm.id)).toEqual([{ emoji: '👍', by: [c.engine.peerId] }])
  })
})

/** The rooms of the typing frames in what a transport received. */
function typingRooms (t: unknown): string[] {
  const rooms: string[] = []
  ;(t as EventTarget).addEventListener('frame', (e) => {
    const frame = (e as CustomEvent<{ frame: { type: string, room?: string } }>).detail.frame
    if (frame.type === 'typing') rooms.push(frame.room!)
  })
  return rooms
}

const typingIn = (p: { events: EngineEvent[] }, room: string): boolean => p.events.some(e => e.type === 'peer:typing' && e.room === room)
const pause = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('a private reaction waiting for the hub', () => {
  it('is told with its emoji, not the placeholder the wire carries', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('connected', () => [a, c].every(x => x.engine.connected))
    const dm = await a.engine.send('', 'hello', { to: c.engine.peerId })
    await until('cat has it', () => c.events.some(e => e.type === 'message' && e.text === 'hello'))
    await stopHub(h)
    await until('the hub gone', () => !c.engine.connected)
    const reaction = await c.engine.react('', dm.id, '🍍')
    expect(reaction.reactions).toEqual([{ emoji: '🍍', by: [c.engine.peerId] }])
    await until('the reaction pending', () => c.events.some(e => e.type === 'pending'))
    const pending = c.events.find(e => e.type === 'pending') as Extract<EngineEvent, { type: 'pending' }>
    expect(pending.action).toMatchObject({ kind: 'react', target: dm.id, emoji: '🍍' })
  })
})

describe('typing in an invite-only room', () => {
  it('peer to peer: a member linked to everyone says it to the members, and a neighbour outside the room hears nothing of it', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await connect(a, b)
    await connect(a, c)
    await connect(b, c)
    const heardByB = typingRooms(b.engine.ordering!.transport)
    const room = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room.room))
    await until('a lists cat', () => a.engine.privateRoom(room.room).members.includes(c.engine.peerId))

    expect(a.engine.typing(room.room)).toBe(true)
    await until('cat hears ann typing', () => typingIn(c, room.room))
    // Then in the lobby (one typing frame every 3 s): ben hears that one, so he would have heard the other.
    await pause(TYPING_INTERVAL_MS)
    expect(a.engine.typing('lobby')).toBe(true)
    await until('ben hears the lobby', () => typingIn(b, 'lobby'))
    expect(heardByB).toEqual(['lobby'])
  })

  it('client–server: the hub tells the room\'s members, and no other client', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const b = await startClient('ben', h.addr())
    const c = await startClient('cat', h.addr())
    await until('all connected', () => [a, b, c].every(x => x.engine.connected))
    const heardByB = typingRooms(b.engine.ordering!.transport)
    const room = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room.room))
    await until('a lists cat', () => a.engine.privateRoom(room.room).members.includes(c.engine.peerId))

    expect(a.engine.typing(room.room)).toBe(true)
    await until('cat hears ann typing', () => typingIn(c, room.room))
    await pause(TYPING_INTERVAL_MS)
    expect(a.engine.typing('lobby')).toBe(true)
    await until('ben hears the lobby', () => typingIn(b, 'lobby'))
    expect(heardByB).toEqual(['lobby'])
  })
})

/** Every file under `dir` whose bytes another local user could read (each directory on the way open to them), with its mode. */
function readableByOthers (dir: string): string[] {
  const out: string[] = []
  const walk = (p: string): void => {
    const st = statSync(p)
    if (st.isDirectory()) {
      if ((st.mode & 0o011) !== 0) for (const name of readdirSync(p)) walk(join(p, name))
    } else if ((st.mode & 0o044) !== 0) {
      out.push(`${p} ${(st.mode & 0o777).toString(8)}`)
    }
  }
  walk(dir)
  return out
}

describe.skipIf(process.platform === 'win32')('a data directory at rest', () => {
  it('is its owner\'s alone: made so, with the database, its WAL and the files kept in it; a database an older build left readable is made so too', async () => {
    const dataDir = join(tempDir('lanchat-modes-'), 'home', 'chat')
    const a = await startPeer('ann', { dataDir, files: { downloadsDir: tempDir() } })
    const b = await startPeer('ben')
    await connect(a, b)
    await a.engine.send('lobby', 'history another user should not read')
    const src = join(tempDir(), 'notes.txt')
    writeFileSync(src, 'a shared file')
    await a.engine.sendFile('lobby', src)
    await a.engine.send('', 'a direct one', { to: b.engine.peerId })
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['lanchat.db', 'lanchat.db-wal', 'identity.key', 'files']))
    // Made by the engine, with the folder it was in: entered by nobody else.
    for (const d of [join(dataDir, '..'), dataDir, join(dataDir, 'files')]) expect(statSync(d).mode & 0o077, d).toBe(0)
    await stopPeer(a)

    // As a build before this one left it: the directories open to all, the database and its WAL readable by everyone.
    for (const d of [join(dataDir, '..'), dataDir, join(dataDir, 'files')]) chmodSync(d, 0o755)
    for (const f of ['lanchat.db', 'lanchat.db-wal', 'lanchat.db-shm']) if (existsSync(join(dataDir, f))) chmodSync(join(dataDir, f), 0o644)
    expect(readableByOthers(dataDir)).toEqual(expect.arrayContaining([expect.stringContaining('lanchat.db 644')]))
    const again = await startPeer('ann', { dataDir })
    await again.engine.send('lobby', 'written again')
    expect(again.engine.history('lobby').map(m => m.text)).toContain('history another user should not read')
    expect(readableByOthers(dataDir)).toEqual([])
  })
})
