/**
 * Edits, deletes and reactions end to end (issue 18), over real engines on
 * loopback in both architectures: what every peer shows, live and after a
 * catch-up or a restart, and that only a message's author changes it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../main/chat/engine.js'
import type { LamportOrdering } from '../main/chat/lamport.js'
import type { EngineEvent, MessageView } from '../main/chat/types.js'
import type { ChatMessage, WireAction } from '../main/core/message.js'
import { encodeBody, hashBody, UNSIGNED, withBody } from '../main/net/codec.js'
import { encodeHubFrame, type HubFrame } from '../main/net/hub-codec.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { capture, filesOf, holds } from './helpers/plaintext.js'
import { cleanup, connect, startPeer, stopPeer, until, lineUp } from './helpers/peers.js'
import { NotificationBursts } from '../main/app/notify.js'
import type { AppEvent } from '../preload/contract.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const shown = (e: Engine, room = 'lobby'): MessageView[] => e.history(room)
const one = (e: Engine, id: string): MessageView | undefined => shown(e).find(m => m.id === id)
const updates = (events: EngineEvent[], id: string): MessageView[] => events.flatMap(e => e.type === 'message:updated' && e.id === id ? [e] : [])

/** What a message shows, in one comparable shape. */
const state = (m: MessageView | undefined): unknown => m === undefined
  ? undefined
  : { text: m.text, edited: m.edited, deleted: m.deleted, reactions: m.reactions }

/** Every frame a client's hub link received, re-encoded as the bytes it read. */
function captureHub (c: { engine: Engine }): Buffer[] {
  const frames: Buffer[] = []
  ;(c.engine.ordering!.transport as unknown as EventTarget).addEventListener('frame', (e) => { frames.push(Buffer.from(encodeHubFrame((e as CustomEvent<{ frame: HubFrame }>).detail.frame))) })
  return frames
}

/** Sign and send an action the engine would refuse to make (the test plays a peer that cheats). */
async function forge (e: Engine, action: WireAction, text: string, later = 0): Promise<void> {
  const ordering = e.ordering!
  await ordering.ready()
  // The engine's clock does not tick for what the test makes: a second forgery says how much later it is.
  const unsigned = { room: 'lobby', author: e.peerId, name: e.name, text, lamport: e.clock + 1 + later, sentAt: Date.now(), ...ordering.place(action.target), action }
  const body = encodeBody(unsigned)
  const m: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
  await ordering.submit(m)
}

describe('edits, deletes and reactions over the mesh', () => {
  it('reach every peer, a late peer gets them by catch-up, only the author edits or deletes, and they survive a restart', async () => {
    const a = await startPeer('ann')
    let b = await startPeer('ben')
    await connect(a, b)
    const m1 = await a.engine.send('lobby', 'helo world')
    const m2 = await a.engine.send('lobby', 'the zanzibar code is 4417')
    await until('ben has both', () => shown(b.engine).length === 2)

    const edited = await a.engine.edit('lobby', m1.id, 'hello world')
    expect(state(edited)).toEqual({ text: 'hello world', edited: true, deleted: false, reactions: [] })
    await b.engine.react('lobby', m1.id, '👍')
    await a.engine.react('lobby', m1.id, '👍')
    await a.engine.react('lobby', m1.id, '🎉')
    await a.engine.react('lobby', m1.id, '🎉', false)
    const gone = await a.engine.delete('lobby', m2.id)
    expect(state(gone)).toEqual({ text: '', edited: false, deleted: true, reactions: [] })

    const want = [
      { text: 'hello world', edited: true, deleted: false, reactions: [{ emoji: '👍', by: [a.engine.peerId, b.engine.peerId].sort() }] },
      { text: '', edited: false, deleted: true, reactions: [] }
    ]
    for (const p of [a, b]) {
      await until(`${p.engine.name} shows the edit, the reactions and the delete`, () => JSON.stringify(shown(p.engine).map(state)) === JSON.stringify(want))
    }
    // Live: ben heard each change of m1 as an update, never the actions as messages.
    expect(updates(b.events, m1.id).at(-1)).toMatchObject({ text: 'hello world', edited: true })
    expect(updates(b.events, m2.id).at(-1)).toMatchObject({ deleted: true, text: '' })
    expect(b.delivered()).toEqual(['helo world', 'the zanzibar code is 4417'])
    expect(b.engine.versions(m1.id).map(v => v.text)).toEqual(['helo world', 'hello world'])
    expect(b.engine.versions(m2.id)).toEqual([])
    // Search finds a message by its edited words, under its own id; never an action.
    expect(b.engine.search('hello').map(h => h.id)).toEqual([m1.id])
    expect(b.engine.search('deleted')).toEqual([])
    // The deleted text is no longer found by search, and has left both peers' files.
    expect(b.engine.search('zanzibar')).toEqual([])
    for (const p of [a, b]) await until(`${p.engine.name}'s disk lost the deleted words`, () => !holds(filesOf(p.dataDir), 'zanzibar'))

    // Only the author edits or deletes; a deleted message takes nothing more.
    await expect(b.engine.edit('lobby', m1.id, 'mine now')).rejects.toMatchObject({ name: 'NotAuthorError' })
    await expect(b.engine.delete('lobby', m1.id)).rejects.toMatchObject({ name: 'NotAuthorError' })
    await expect(a.engine.edit('lobby', m2.id, 'back')).rejects.toMatchObject({ name: 'MessageDeletedError' })
    // Nor a reply, from anyone: it would quote nothing.
    await expect(b.engine.send('lobby', 'what did you say?', { replyTo: m2.id })).rejects.toMatchObject({ name: 'MessageDeletedError', message: 'That message was deleted: there is nothing to reply to.' })
    await expect(a.engine.edit('lobby', 'f'.repeat(64), 'x')).rejects.toMatchObject({ name: 'UnknownMessageError' })
    await expect(a.engine.edit('lobby', m1.id, 'x'.repeat(70_000))).rejects.toMatchObject({ name: 'TextTooLongError' })

    // A cheating peer signs a delete and an edit of ann's message itself: every peer ignores them.
    await forge(b.engine, { kind: 'delete', target: m1.id }, '(message deleted)')
    await forge(b.engine, { kind: 'edit', target: m1.id }, 'forged words', 1)
    const c = await startPeer('cat')
    const wire = capture(c)
    await connect(c, b)
    const raw = (p: typeof a): number => p.engine.ordering!.history('lobby').length
    for (const p of [a, c]) await until(`${p.engine.name} has the forgeries`, () => raw(p) === raw(b), 15_000)
    await until('cat caught up', () => JSON.stringify(shown(c.engine).map(state)) === JSON.stringify(want), 15_000)
    await new Promise(resolve => setTimeout(resolve, 300))
    for (const p of [a, b, c]) expect(shown(p.engine).map(state)).toEqual(want)
    expect(c.engine.versions(m1.id).map(v => v.text)).toEqual(['helo world', 'hello world'])
    // Cat caught up from ben, who serves the tombstone and the signed delete: cat never had the words.
    expect(c.delivered()).not.toContain('the zanzibar code is 4417')
    expect(holds(filesOf(c.dataDir), 'zanzibar')).toBe(false)
    expect(wire.length).toBeGreaterThan(0)
    expect(wire.some(f => holds(f, 'zanzibar'))).toBe(false)

    // After a restart the state is read back from the store.
    const dir = b.dataDir
    await stopPeer(b)
    b = await startPeer('ben', { dataDir: dir })
    expect(shown(b.engine).map(state)).toEqual(want)
    expect(b.engine.history('lobby', { limit: 1 }).map(state)).toEqual([want[1]])
    expect(b.engine.versions(m1.id).map(v => v.text)).toEqual(['helo world', 'hello world'])
    expect(b.engine.search('zanzibar')).toEqual([])
    expect(holds(filesOf(b.dataDir), 'zanzibar')).toBe(false)
  }, 60_000)

  it('search finds an edited message by the words it reads now, marked there, never by words edited away', async () => {
    const a = await startPeer('ann')
    const typo = await a.engine.send('lobby', 'the quaterly budget is late')
    const twice = await a.engine.send('lobby', 'meet at noon')
    await a.engine.edit('lobby', typo.id, 'the quarterly report is late')
    await a.engine.edit('lobby', twice.id, 'meet at the kiosk')
    await a.engine.edit('lobby', twice.id, 'meet at the gate')
    // The old words are in the index still (the original, the first edit): no hit on them.
    expect(a.engine.search('quaterly')).toEqual([])
    expect(a.engine.search('budget')).toEqual([])
    expect(a.engine.search('kiosk')).toEqual([])
    // A word both versions share finds it once, its snippet the text as it reads now.
    expect(a.engine.search('late').map(h => [h.id, h.snippet])).toEqual([[typo.id, 'the quarterly report is [late]']])
    expect(a.engine.search('meet').map(h => [h.id, h.snippet])).toEqual([[twice.id, '[meet] at the gate']])
    expect(a.engine.search('gate').map(h => h.id)).toEqual([twice.id])
  })

  it('a search asked for N hits gets N, though the newest matches were edited or deleted since', async () => {
    const a = await startPeer('ann')
    const kept = await a.engine.send('lobby', 'apple one')
    const older = await a.engine.send('lobby', 'apple two')
    for (let i = 0; i < 5; i++) {
      const m = await a.engine.send('lobby', `apple ${i + 3}`)
      if (i % 2 === 0) await a.engine.edit('lobby', m.id, `pear ${i + 3}`)
      else await a.engine.delete('lobby', m.id)
    }
    // The index's newest five "apple" rows are all gone: the two that still say it are found.
    expect(a.engine.search('apple', undefined, 2).map(h => h.id)).toEqual([older.id, kept.id])
  })

  it('a long catch-up (its batches read their events in one look) ends with every message as it reads now, each change announced once', async () => {
    const a = await startPeer('ann')
    const ids: string[] = []
    for (let i = 0; i < 80; i++) ids.push((await a.engine.send('lobby', `m${i}`)).id)
    await a.engine.edit('lobby', ids[3]!, 'm3, edited')
    await a.engine.react('lobby', ids[7]!, '👍')
    const c = await startPeer('cat')
    await connect(c, a)
    await until('cat caught up', () => c.delivered().length === 80, 15_000)
    const announced = (id: string): MessageView | undefined => c.events.find((e): e is EngineEvent & { type: 'message' } => e.type === 'message' && e.id === id)
    await until('cat shows the changes', () => JSON.stringify(shown(c.engine).map(state)) === JSON.stringify(shown(a.engine).map(state)))
    // Each changed message is announced once, then updated at most once: as it was with one update, or as it reads now
    // with none when its change came in the same batch (the edit and the reaction come after all 80 in causal order).
    const last = (id: string): MessageView | undefined => updates(c.events, id).at(-1) ?? announced(id)
    for (const id of [ids[3]!, ids[7]!]) expect(updates(c.events, id).length).toBeLessThanOrEqual(1)
    expect(last(ids[3]!)).toMatchObject({ text: 'm3, edited', edited: true })
    expect(last(ids[7]!)?.reactions).toEqual([{ emoji: '👍', by: [a.engine.peerId] }])
    expect(c.events.filter(e => e.type === 'message').length).toBe(80)
  }, 30_000)

  it('a peer offline during an edit gets it on catch-up; an edit that comes before its target is held, then applied', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const m = await a.engine.send('lobby', 'first draft')
    await until('ben has it', () => shown(b.engine).length === 1)
    await stopPeer(b)
    await a.engine.edit('lobby', m.id, 'second draft')
    await a.engine.react('lobby', m.id, '❤️')
    const back = await startPeer('ben', { dataDir: b.dataDir })
    await connect(a, back)
    await until('ben caught up', () => one(back.engine, m.id)?.text === 'second draft' && one(back.engine, m.id)?.reactions?.length === 1)
    expect(updates(back.events, m.id).at(-1)).toMatchObject({ text: 'second draft', edited: true })

    // Cat gets ann's edit first: it is held until the target comes, then both show as one edited message.
    const c = await startPeer('cat')
    const store = (a.engine.ordering as unknown as { causal: { get: (id: string) => ChatMessage | undefined } }).causal
    const edit = a.engine.ordering!.history('lobby').find(v => v.action?.kind === 'edit')!
    const target = store.get(m.id)!
    const editMsg = store.get(edit.id)!
    const mesh = c.engine.ordering as LamportOrdering
    mesh.accept(editMsg, a.engine.peerId, 1, false)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(shown(c.engine)).toEqual([])
    expect(updates(c.events, m.id)).toEqual([])
    mesh.accept(target, a.engine.peerId, 1, false)
    await until('cat shows the edited message', () => one(c.engine, m.id)?.text === 'second draft')
    // Shown once, as it reads now.
    expect(c.delivered()).toEqual(['second draft'])
  }, 60_000)

  it('a reaction put on twice, or taken off when it was not on, sends nothing', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const m = await a.engine.send('lobby', 'react to me')
    await until('ben has it', () => one(b.engine, m.id) !== undefined)
    await a.engine.react('lobby', m.id, '👍')
    const twice = await a.engine.react('lobby', m.id, '👍')
    expect(twice.reactions).toEqual([{ emoji: '👍', by: [a.engine.peerId] }])
    expect((await a.engine.react('lobby', m.id, '🎉', false)).reactions).toEqual([{ emoji: '👍', by: [a.engine.peerId] }])
    await a.engine.send('lobby', 'after')
    await until('ben has that', () => shown(b.engine).length === 2)
    // Ben heard one change of the message, and Ann's history holds one reaction.
    expect(updates(b.events, m.id)).toHaveLength(1)
    expect(state(one(b.engine, m.id))).toEqual({ text: 'react to me', edited: false, deleted: false, reactions: [{ emoji: '👍', by: [a.engine.peerId] }] })
    expect((a.engine.ordering as LamportOrdering).causal.size).toBe(3)
  }, 30_000)

  it('a reaction taken off while putting it on is still being written ends off (a quick double click)', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const m = await a.engine.send('lobby', 'double click me')
    await until('ben has it', () => one(b.engine, m.id) !== undefined)
    // Both asked at once, as a window's two clicks are, neither awaited before the other.
    const [on, off] = await Promise.all([a.engine.react('lobby', m.id, '🎉', true), a.engine.react('lobby', m.id, '🎉', false)])
    expect(on.reactions).toEqual([{ emoji: '🎉', by: [a.engine.peerId] }])
    expect(off.reactions ?? []).toEqual([])
    await until('ben has both', () => updates(b.events, m.id).length === 2)
    expect(one(b.engine, m.id)?.reactions ?? []).toEqual([])
  }, 30_000)

  it('at most 20 different reactions per person on a message', async () => {
    const a = await startPeer('ann')
    const m = await a.engine.send('lobby', 'react to me')
    const emoji = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋', '😎', '😍', '😘', '🥰', '😗', '😙', '🥲', '😚', '🙂']
    for (const e of emoji) await a.engine.react('lobby', m.id, e)
    await expect(a.engine.react('lobby', m.id, '🤔')).rejects.toMatchObject({ name: 'TooManyReactionsError' })
    await a.engine.react('lobby', m.id, '😀')
    await a.engine.react('lobby', m.id, '😀', false)
    const v = await a.engine.react('lobby', m.id, '🤔')
    expect(v.reactions).toHaveLength(20)
    await expect(a.engine.react('lobby', m.id, 'not an emoji')).rejects.toMatchObject({ name: 'InvalidMessageError' })
  }, 30_000)
})

describe('a desktop notification about a message changed later', () => {
  it('is closed when its author deletes the message or edits its words on another peer, not when someone reacts', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    // b's desktop: each event as Electron's main gets it, into the bursts it notifies with.
    const bursts = new NotificationBursts()
    const ctx = { self: b.engine.peerId, name: 'b', muted: [] }
    const closed: string[] = []
    const shown: string[] = []
    b.engine.on((event) => {
      const note = bursts.next(event as AppEvent, ctx, Date.now())
      if (note !== undefined) shown.push(note.body)
      const room = bursts.retracted(event as AppEvent)
      if (room !== undefined) closed.push(room)
    })
    const oops = await a.engine.send('lobby', 'the exam answers are 4, 2, 9')
    await until('b notified', () => shown.length === 1)
    await b.engine.react('lobby', oops.id, '😮', true)
    await until('a has the reaction', () => one(a.engine, oops.id)?.reactions?.length === 1)
    await until('b shows its reaction', () => one(b.engine, oops.id)?.reactions?.length === 1)
    expect(closed).toEqual([])
    await a.engine.delete('lobby', oops.id)
    await until('b closed it', () => closed.length === 1)
    expect(closed).toEqual(['lobby'])

    const typo = await a.engine.send('lobby', 'meet at 3')
    await until('b notified again', () => shown.length === 2)
    await a.engine.edit('lobby', typo.id, 'meet at 4')
    await until('b closed that one too', () => closed.length === 2)
    // The deleted one counted no more: the next is a notification of its own, not "2 new messages".
    expect(shown).toEqual(['the exam answers are 4, 2, 9', 'meet at 3'])
  })

  it('counts an earlier message of its burst no more when the author deletes it on another peer', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    const bursts = new NotificationBursts()
    const ctx = { self: b.engine.peerId, name: 'b', muted: [] }
    const shown: string[] = []
    b.engine.on((event) => {
      const note = bursts.next(event as AppEvent, ctx, Date.now()) ?? bursts.recounted(event as AppEvent)
      if (note !== undefined) shown.push(`${note.title} | ${note.body}`)
    })
    const oops = await a.engine.send('lobby', 'the exam answers are 4, 2, 9')
    await a.engine.send('lobby', 'lunch at 12')
    await a.engine.send('lobby', 'see you there')
    await until('b notified of all three', () => shown.length === 3)
    expect(shown[2]).toBe('3 new messages in #lobby | a: see you there')
    await a.engine.delete('lobby', oops.id)
    await until('b shows the burst without it', () => shown.length === 4)
    expect(shown[3]).toBe('2 new messages in #lobby | a: see you there')
  })
})

describe('a window around a message, among edits and reactions', () => {
  /** Ten messages, each after a reaction and an edit (rows a page does not show), then the window around the fifth. */
  async function room (e: Engine): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const m = await e.send('lobby', `m${i}`)
      await e.react('lobby', m.id, '👍')
      await e.edit('lobby', m.id, `m${i}`)
      ids.push(m.id)
    }
    return ids
  }
  const texts = (views: MessageView[]): string[] => views.map(v => v.text)

  it('holds as many as asked, it and about half before it; at either end the other side gives the rest', async () => {
    const a = await startPeer('ann')
    const ids = await room(a.engine)
    expect(texts(a.engine.history('lobby', { around: ids[4]!, limit: 1 }))).toEqual(['m4'])
    expect(texts(a.engine.history('lobby', { around: ids[4]!, limit: 2 }))).toEqual(['m4', 'm5'])
    expect(texts(a.engine.history('lobby', { around: ids[4]!, limit: 3 }))).toEqual(['m3', 'm4', 'm5'])
    expect(texts(a.engine.history('lobby', { around: ids[4]!, limit: 5 }))).toEqual(['m2', 'm3', 'm4', 'm5', 'm6'])
    expect(texts(a.engine.history('lobby', { around: ids[4]!, limit: 6 }))).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7'])
    // Near the start and the newest.
    expect(texts(a.engine.history('lobby', { around: ids[0]!, limit: 4 }))).toEqual(['m0', 'm1', 'm2', 'm3'])
    expect(texts(a.engine.history('lobby', { around: ids[9]!, limit: 4 }))).toEqual(['m6', 'm7', 'm8', 'm9'])
    expect(texts(a.engine.history('lobby', { around: ids[8]!, limit: 5 }))).toEqual(['m5', 'm6', 'm7', 'm8', 'm9'])
    // More than the room: the room.
    expect(a.engine.history('lobby', { around: ids[4]!, limit: 50 })).toHaveLength(10)
    expect(a.engine.history('lobby', { around: 'f'.repeat(64), limit: 5 })).toEqual([])
  }, 30_000)

  it('in client–server mode too', async () => {
    const h = await startHub()
    const x = await startClient('xena', h.addr())
    await until('connected', () => x.engine.connected)
    const ids = await room(x.engine)
    // Every row numbered, the reactions and edits too (they do not show, so history's rows cannot tell).
    await until('all numbered', () => x.engine.ordering!.history('lobby').length === 30 && x.engine.ordering!.history('lobby').every(m => m.pending !== true))
    expect(texts(x.engine.history('lobby', { around: ids[4]!, limit: 5 }))).toEqual(['m2', 'm3', 'm4', 'm5', 'm6'])
    expect(texts(x.engine.history('lobby', { around: ids[9]!, limit: 3 }))).toEqual(['m7', 'm8', 'm9'])

    // Cut off, a message and a reaction wait for the hub: they come after the newest numbered one, once,
    // in a page that reaches the newest, and nowhere in a window that does not (they once showed in the
    // middle of one, twice, and a reaction waiting made a page read for ever).
    await x.engine.cut('*')
    await until('cut off', () => !x.engine.connected)
    await x.engine.send('lobby', 'waiting')
    await x.engine.react('lobby', ids[9]!, '🎉')
    expect(texts(x.engine.history('lobby', { around: ids[4]!, limit: 5 }))).toEqual(['m2', 'm3', 'm4', 'm5', 'm6'])
    expect(texts(x.engine.history('lobby', { around: ids[9]!, limit: 3 }))).toEqual(['m8', 'm9', 'waiting'])
    expect(texts(x.engine.history('lobby', { after: ids[7]!, limit: 5 }))).toEqual(['m8', 'm9', 'waiting'])
    expect(texts(x.engine.history('lobby', { after: ids[2]!, limit: 3 }))).toEqual(['m3', 'm4', 'm5'])
    expect(texts(x.engine.history('lobby', { before: ids[2]!, limit: 5 }))).toEqual(['m0', 'm1'])
    expect(texts(x.engine.history('lobby', { limit: 2 }))).toEqual(['m9', 'waiting'])
  }, 30_000)
})

describe('edits, deletes and reactions in a direct message', () => {
  it('are sealed like the messages: the two see them, a relay shows nothing, not even the tombstone', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await lineUp(a, b, c)
    const m = await a.engine.send('', 'the marmoset plan', { to: c.engine.peerId })
    const room = m.room
    await until('cat has it', () => shown(c.engine, room).length === 1)
    await a.engine.edit(room, m.id, 'the marmoset plan, revised')
    await c.engine.react(room, m.id, '🙈')
    await until('both see the edit and the reaction', () => [a, c].every(p =>
      shown(p.engine, room)[0]?.text === 'the marmoset plan, revised' && shown(p.engine, room)[0]?.reactions?.length === 1))
    await a.engine.delete(room, m.id)
    await until('both see it deleted', () => [a, c].every(p => shown(p.engine, room)[0]?.deleted === true))
    await until('ben relayed the delete', () => b.engine.ordering!.history(room).length === 4)
    // The relay shows nothing of the conversation, not even the tombstone; no disk has the words in the clear.
    expect(shown(b.engine, room)).toEqual([])
    for (const p of [a, b, c]) await until(`${p.engine.name}'s disk has no words`, () => !holds(filesOf(p.dataDir), 'marmoset'))
  }, 60_000)
})

describe('edits, deletes and reactions through a hub', () => {
  it('the hub numbers them like messages: every client shows them, a late client catches up, forgeries are ignored, a restart keeps them', async () => {
    const h = await startHub()
    const x = await startClient('xena', h.addr())
    let y = await startClient('yuri', h.addr())
    await until('both connected', () => x.engine.connected && y.engine.connected)
    const m1 = await x.engine.send('lobby', 'helo hub')
    const m2 = await x.engine.send('lobby', 'the quokka password')
    await until('yuri has both', () => shown(y.engine).length === 2 && shown(x.engine).every(m => m.pending !== true))

    await x.engine.edit('lobby', m1.id, 'hello hub')
    await y.engine.react('lobby', m1.id, '👀')
    await x.engine.delete('lobby', m2.id)
    await expect(y.engine.edit('lobby', m1.id, 'mine')).rejects.toMatchObject({ name: 'NotAuthorError' })
    await forge(y.engine, { kind: 'delete', target: m1.id }, '(message deleted)')
    await x.engine.send('lobby', 'after the forgery')

    const want = [
      { text: 'hello hub', edited: true, deleted: false, reactions: [{ emoji: '👀', by: [y.engine.peerId] }] },
      { text: '', edited: false, deleted: true, reactions: [] },
      { text: 'after the forgery', edited: false, deleted: false, reactions: [] }
    ]
    for (const c of [x, y]) await until(`${c.engine.name} shows it all`, () => JSON.stringify(shown(c.engine).map(state)) === JSON.stringify(want))
    expect(updates(x.events, m1.id).at(-1)).toMatchObject({ reactions: want[0]!.reactions })
    expect(x.delivered().map(m => m.text)).toEqual(['helo hub', 'the quokka password', 'after the forgery'])
    expect(x.engine.search('quokka')).toEqual([])
    for (const c of [x, y]) await until(`${c.engine.name}'s disk lost the deleted words`, () => !holds(filesOf(c.dataDir), 'quokka'))

    // The hub made the deleted message a tombstone too: a client that comes later is sent that, never the words.
    await until('the hub\'s disk lost the deleted words', () => !holds(filesOf(h.dataDir), 'quokka'))
    const z = await startClient('zoe', h.addr())
    const wire = captureHub(z)
    await until('zoe caught up', () => JSON.stringify(shown(z.engine).map(state)) === JSON.stringify(want))
    expect(z.engine.versions(m1.id).map(v => v.text)).toEqual(['helo hub', 'hello hub'])
    expect(holds(filesOf(z.dataDir), 'quokka')).toBe(false)
    expect(wire.length).toBeGreaterThan(0)
    expect(wire.some(f => holds(f, 'quokka'))).toBe(false)
    expect(z.delivered().map(m => m.text)).not.toContain('the quokka password')

    const dir = y.dataDir
    await stopClient(y)
    y = await startClient('yuri', h.addr(), { dataDir: dir })
    expect(shown(y.engine).map(state)).toEqual(want)
  }, 60_000)

  it('an own message deleted while the hub is unreachable goes out with its delete, and is blanked once numbered', async () => {
    const h = await startHub()
    const x = await startClient('xena', h.addr())
    const y = await startClient('yuri', h.addr())
    await until('both connected', () => x.engine.connected && y.engine.connected)
    await x.engine.cut('*')
    await until('cut off', () => !x.engine.connected)
    const m = await x.engine.send('lobby', 'the wombat secret')
    expect(m.pending).toBe(true)
    const gone = await x.engine.delete('lobby', m.id)
    expect(gone).toMatchObject({ deleted: true, text: '' })
    x.engine.heal()
    await until('yuri shows it deleted', () => one(y.engine, m.id)?.deleted === true, 20_000)
    for (const c of [x, y]) await until(`${c.engine.name}'s disk lost the words`, () => !holds(filesOf(c.dataDir), 'wombat'), 20_000)
    await until('the hub\'s disk lost the words', () => !holds(filesOf(h.dataDir), 'wombat'))
  }, 60_000)
})
